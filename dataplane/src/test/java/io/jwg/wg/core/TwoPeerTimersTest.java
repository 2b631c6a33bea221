package io.jwg.wg.core;

import static io.jwg.wg.core.TestNet.s;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_DATA;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_HANDSHAKE_INITIATION;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_HANDSHAKE_RESPONSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.wg.noise.HandshakeState;
import io.jwg.wg.noise.Keypair;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.protocol.InitiationMessage;
import io.jwg.wg.protocol.ProtocolConstants;
import io.jwg.wg.stats.CounterEvent;
import io.jwg.wg.stats.DropReason;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Timer-driven behaviour of two in-memory peers under a fake clock (whitepaper 6, protocol.md 1.8). */
class TwoPeerTimersTest {
    private static long keepalives(final TestNet.Node n) {
        return n.sent.stream().filter(d -> d.type() == MESSAGE_DATA && d.bytes().length == 32).count();
    }

    private static TestNet established(final long seed) {
        final TestNet net = new TestNet(seed);
        net.a.sendTo(net.b, 100);
        net.pump();
        assertNotNull(net.b.peer.keypairs().current());
        return net;
    }

    @Test
    void shouldRekeyWhenInitiatorSendsAfterRekeyAfterTime() {
        final TestNet net = established(10);
        final long t0 = net.clock.now();
        final Keypair first = net.a.peer.keypairs().current();
        net.advanceTo(t0 + ProtocolConstants.REKEY_AFTER_TIME_NS - s(1));
        net.a.sendTo(net.b, 100);
        net.pump();
        assertEquals(1, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION), "key younger than REKEY_AFTER_TIME");
        net.advanceTo(t0 + ProtocolConstants.REKEY_AFTER_TIME_NS + s(0.5));
        net.a.sendTo(net.b, 100);
        net.pump();
        assertEquals(2, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION));
        assertEquals(2, net.b.countSent(MESSAGE_HANDSHAKE_RESPONSE));
        final Keypair second = net.a.peer.keypairs().current();
        assertNotEquals(first, second);
        assertSame(first, net.a.peer.keypairs().previous());
        assertEquals(0, net.b.countSent(MESSAGE_HANDSHAKE_INITIATION), "the responder never rekeys on time");
    }

    @Test
    void shouldNotRekeyOnTimeWhenResponderSends() {
        final TestNet net = established(11);
        final long t0 = net.clock.now();
        net.advanceTo(t0 + ProtocolConstants.REKEY_AFTER_TIME_NS + s(5));
        net.b.sendTo(net.a, 100);
        net.pump();
        assertEquals(0, net.b.countSent(MESSAGE_HANDSHAKE_INITIATION));
        assertEquals(1, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION));
        assertEquals(2, net.a.tun.size() + net.b.tun.size());
    }

    @Test
    void shouldRetransmitLostInitiationsWithJitterAndFreshKeys() {
        final TestNet net = new TestNet(12);
        net.drop = d -> d.from() == net.a;
        net.a.sendTo(net.b, 100);
        net.advance(s(31));
        final List<TestNet.Datagram> inits = net.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION);
        assertEquals(6, inits.size(), "first attempt plus a retry every 5 s + jitter");
        final Set<Long> gaps = new HashSet<>();
        final Set<String> ephemerals = new HashSet<>();
        final Set<Integer> indices = new HashSet<>();
        for (int i = 0; i < inits.size(); i++) {
            final byte[] m = inits.get(i).bytes();
            ephemerals.add(Arrays.toString(Arrays.copyOfRange(m, InitiationMessage.EPHEMERAL_OFFSET,
                    InitiationMessage.EPHEMERAL_OFFSET + 32)));
            indices.add(InitiationMessage.senderIndex(MemorySegment.ofArray(m), 0));
            if (i > 0) {
                final long gap = inits.get(i).sentAtNs() - inits.get(i - 1).sentAtNs();
                assertTrue(gap >= ProtocolConstants.REKEY_TIMEOUT_NS
                        && gap < ProtocolConstants.REKEY_TIMEOUT_NS + ProtocolConstants.REKEY_TIMEOUT_JITTER_MAX_NS, "gap " + gap);
                gaps.add(gap);
            }
        }
        assertTrue(gaps.size() > 1, "jitter varies: " + gaps);
        assertEquals(inits.size(), ephemerals.size(), "every retry has a fresh ephemeral key");
        assertEquals(inits.size(), indices.size(), "every retry has a fresh sender index");
        assertEquals(1, net.a.dev.indexTable().size(), "the previous handshake index is released");
        assertEquals(5, net.a.peer.timers().handshakeAttempts());
    }

    @Test
    void shouldGiveUpAfterRekeyAttemptTimeAndPurgeStagedPackets() {
        final TestNet net = new TestNet(13);
        net.drop = d -> d.from() == net.a;
        final long t0 = net.clock.now();
        net.a.sendTo(net.b, 100);
        net.a.sendTo(net.b, 101);
        net.advance(s(200));
        final List<TestNet.Datagram> inits = net.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION);
        // One initiation plus MAX_TIMER_HANDSHAKES + 1 retries (the kernel's "attempts > 18" rule).
        assertEquals(ProtocolConstants.MAX_TIMER_HANDSHAKES + 2, inits.size());
        final long last = inits.get(inits.size() - 1).sentAtNs() - t0;
        assertTrue(last >= s(95) && last < s(102), "last retry at " + last);
        assertEquals(1, net.a.dev.counters().get(CounterEvent.HANDSHAKE_GAVE_UP));
        assertEquals(2, net.a.dev.counters().get(DropReason.STAGED_PURGED));
        assertEquals(0, net.a.peer.staged().size());
        final long zeroAt = net.a.peer.timers().zeroKeyDeadlineNs();
        // Given up when the retransmit timer of the last attempt expired: REKEY_TIMEOUT + jitter after it.
        final long sinceLast = zeroAt - (t0 + last) - ProtocolConstants.ZERO_KEY_MATERIAL_AFTER_NS;
        assertTrue(sinceLast >= ProtocolConstants.REKEY_TIMEOUT_NS
                && sinceLast < ProtocolConstants.REKEY_TIMEOUT_NS + ProtocolConstants.REKEY_TIMEOUT_JITTER_MAX_NS,
                "zero-key armed when giving up: " + sinceLast);
        net.advance(s(600));
        assertEquals(ProtocolConstants.MAX_TIMER_HANDSHAKES + 2, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION),
                "nothing more after giving up");
        assertEquals(0, net.a.dev.indexTable().size(), "zero-key released the last handshake index");
    }

    @Test
    void shouldRotateKeypairsAcrossHandshakesAndKeepPreviousForLatePackets() {
        final TestNet net = established(14);
        final Keypair k1 = net.b.peer.keypairs().current();
        // A late packet still under k1, captured now and delivered after the rotation.
        final List<TestNet.Datagram> captured = new java.util.ArrayList<>();
        net.drop = d -> {
            if (d.from() == net.a && d.type() == MESSAGE_DATA && captured.isEmpty()) {
                captured.add(d);
                return true;
            }
            return false;
        };
        net.a.sendTo(net.b, 77);
        net.pump();
        net.drop = d -> false;
        net.advance(ProtocolConstants.REKEY_AFTER_TIME_NS + s(1));
        net.a.sendTo(net.b, 100);
        net.pump();
        final Keypair k2 = net.b.peer.keypairs().current();
        assertNotEquals(k1, k2);
        assertSame(k1, net.b.peer.keypairs().previous());
        assertNull(net.b.peer.keypairs().next());
        final int before = net.b.tun.size();
        net.inflight.add(captured.get(0));
        net.pump();
        assertEquals(before + 1, net.b.tun.size(), "previous keypair still decrypts late packets");
        // A third handshake drops k1 entirely.
        net.advance(ProtocolConstants.REKEY_AFTER_TIME_NS + s(1));
        net.a.sendTo(net.b, 100);
        net.pump();
        assertNotEquals(k2, net.b.peer.keypairs().current());
        assertSame(k2, net.b.peer.keypairs().previous());
        assertTrue(k1.isDead(), "dropped keypair's keys are wiped");
        assertNull(net.b.dev.indexTable().lookup(k1.localIndex()));
        assertEquals(3, net.b.dev.counters().get(CounterEvent.SESSION_CONFIRMED));
    }

    @Test
    void shouldZeroAllKeyMaterialAfterThreeRejectAfterTimes() {
        final TestNet net = established(15);
        final long derived = net.clock.now();
        final Keypair ka = net.a.peer.keypairs().current();
        final Keypair kb = net.b.peer.keypairs().current();
        net.advanceTo(derived + ProtocolConstants.ZERO_KEY_MATERIAL_AFTER_NS - s(1));
        assertNotNull(net.a.peer.keypairs().current());
        net.advanceTo(derived + ProtocolConstants.ZERO_KEY_MATERIAL_AFTER_NS + s(1));
        assertNull(net.a.peer.keypairs().current());
        assertNull(net.b.peer.keypairs().current());
        assertNull(net.b.peer.keypairs().previous());
        assertTrue(ka.isDead() && kb.isDead());
        assertEquals(HandshakeState.ZEROED, net.a.peer.handshake().state());
        assertEquals(0, net.a.dev.indexTable().size());
        assertEquals(0, net.b.dev.indexTable().size());
        assertEquals(1, net.a.dev.counters().get(CounterEvent.KEYS_ZEROED));
        // A new packet starts over with a new handshake.
        net.a.sendTo(net.b, 100);
        net.pump();
        assertEquals(2, net.b.tun.size());
    }

    @Test
    void shouldRejectKeysOlderThanRejectAfterTime() {
        final TestNet net = established(16);
        final long t0 = net.clock.now();
        // Keep B from rekeying and A from sending: only B sends, as responder, past REJECT_AFTER_TIME.
        net.advanceTo(t0 + ProtocolConstants.REJECT_AFTER_TIME_NS + s(1));
        net.b.sendTo(net.a, 100);
        // B's key is too old to send: the packet is staged and B initiates.
        assertEquals(1, net.b.countSent(MESSAGE_HANDSHAKE_INITIATION));
        net.pump();
        assertEquals(1, net.a.tun.size());
        assertTrue(net.b.peer.keypairs().current().isInitiator());
    }

    @Test
    void shouldSendLastMinuteHandshakeOnceWhenInitiatorReceivesOnOldKey() {
        final TestNet net = established(17);
        final long t0 = net.clock.now();
        net.advanceTo(t0 + ProtocolConstants.REKEY_LAST_MINUTE_AGE_NS - s(1));
        net.b.sendTo(net.a, 100);
        net.pump();
        assertEquals(1, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION), "not yet");
        net.drop = d -> d.from() == net.a && d.type() == MESSAGE_HANDSHAKE_INITIATION;
        net.advanceTo(t0 + ProtocolConstants.REKEY_LAST_MINUTE_AGE_NS + s(1));
        net.b.sendTo(net.a, 100);
        net.pump();
        assertEquals(2, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION));
        net.b.sendTo(net.a, 100);
        net.pump();
        assertEquals(2, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION), "only once per key");
    }

    @Test
    void shouldClearCachedSourceBeforeRetransmission() {
        final TestNet net = new TestNet(21);
        final Endpoint sticky = Endpoint.mutable().setV4(Packets.v4("192.0.2.2"), 51820)
                .setSource(((long) Packets.v4("192.0.2.1")) << 32, 0, 3);
        net.a.dev.setEndpoint(net.a.peer, sticky);
        assertTrue(net.a.peer.endpoint().hasSource());
        net.drop = d -> true;
        net.a.sendTo(net.b, 100);
        net.advance(s(5.5));
        assertEquals(2, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION));
        assertFalse(net.a.peer.endpoint().hasSource());
        assertTrue(net.a.peer.endpoint().sameRemote(sticky));
    }
}
