package io.jwg.wg.core;

import static io.jwg.wg.core.TestNet.s;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_DATA;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_HANDSHAKE_COOKIE;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_HANDSHAKE_INITIATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.crypto.X25519;
import io.jwg.wg.noise.Keypair;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.peer.PeerKey;
import io.jwg.wg.protocol.ProtocolConstants;
import io.jwg.wg.protocol.TransportMessage;
import io.jwg.wg.routing.Prefix;
import io.jwg.wg.stats.CounterEvent;
import io.jwg.wg.stats.DropReason;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compatibility pitfalls of protocol.md section 1.16 that concern the protocol core, one named
 * test each (the UAPI and TUN-offload pitfalls belong to those layers):
 *
 * <ol>
 *   <li>passive keepalive only for received non-empty data, timed from the receive;
 *       persistent keepalive silent while traffic flows; "no packets received" handshakes jittered
 *       (GotaTun 0.7.2);</li>
 *   <li>REJECT_AFTER_MESSAGES enforced on the send counter (GotaTun 0.7.2 "Security");</li>
 *   <li>oversized / coalesced datagrams never crash the receive path (GotaTun 0.7.2);</li>
 *   <li>AllowedIPs source check by longest-prefix lookup equality (GotaTun 0.7.2);</li>
 *   <li>no roaming on cookie replies (GotaTun 0.8.0);</li>
 *   <li>last-handshake time as a wall-clock epoch timestamp (boringtun #447, #388, #343).</li>
 * </ol>
 */
class CompatibilityPitfallsTest {
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

    private static DropReason deliver(final TestNet.Node to, final byte[] bytes, final Endpoint source, final TestNet net) {
        final byte[] copy = bytes.clone();
        return to.dev.onDatagram(MemorySegment.ofArray(copy), 0, copy.length, source, net.clock.now(), to);
    }

    private static Endpoint ep(final String ip, final int port) {
        return Endpoint.ofV4(Packets.v4(ip), port);
    }

    /** Pitfall (1.16): keepalive only for received non-empty data, measured from the receive. */
    @Test
    void shouldSendPassiveKeepaliveOnlyAfterReceivedDataMeasuredFromReceive() {
        final TestNet net = established(18);
        final long kb0 = keepalives(net.b);
        final long t0 = net.clock.now();
        net.advanceTo(t0 + s(9.9));
        assertEquals(kb0, keepalives(net.b));
        net.advanceTo(t0 + s(10.1));
        assertEquals(kb0 + 1, keepalives(net.b), "B answers received data after KEEPALIVE_TIMEOUT");
        // A received only a keepalive: it must not answer with one (no ping-pong).
        final long ka0 = keepalives(net.a);
        net.advance(s(60));
        assertEquals(ka0, keepalives(net.a));
        assertEquals(kb0 + 1, keepalives(net.b));
        // B sends data then receives data 5 s later: the keepalive is timed from the receive.
        net.b.sendTo(net.a, 100);
        net.pump();
        final long t1 = net.clock.now();
        net.advanceTo(t1 + s(5));
        net.a.sendTo(net.b, 100);
        net.pump();
        net.advanceTo(t1 + s(14.9));
        // A got data at t1 and sent at t1+5: its keepalive timer was cancelled by that send.
        assertEquals(ka0, keepalives(net.a));
        net.advanceTo(t1 + s(15.1));
        assertEquals(kb0 + 2, keepalives(net.b), "B keepalive 10 s after the receive at t1+5");
    }


    /** Pitfall (1.16): persistent keepalive must not fire while traffic flows. */
    @Test
    void shouldNotSendPersistentKeepaliveWhileTrafficFlows() {
        final TestNet net = established(19);
        net.a.dev.setPersistentKeepalive(net.a.peer, 25, net.clock.now(), net.a);
        net.pump();
        final long k0 = keepalives(net.a);
        assertEquals(1, k0, "turning it on sent one keepalive at once");
        // Five rounds only, so that everything below happens before REKEY_AFTER_TIME (a rekey would
        // send a confirmation keepalive of its own).
        for (int i = 0; i < 5; i++) {
            net.advance(s(10));
            net.a.sendTo(net.b, 100);
            net.pump();
        }
        assertEquals(k0, keepalives(net.a), "traffic keeps re-arming the persistent keepalive");
        // Last traffic: B's passive keepalive answering A's last packet, 10 s from now.
        final long t = net.clock.now() + ProtocolConstants.KEEPALIVE_TIMEOUT_NS;
        net.advanceTo(t + s(24.9));
        assertEquals(k0, keepalives(net.a));
        net.advanceTo(t + s(25.1));
        assertEquals(k0 + 1, keepalives(net.a));
        net.advanceTo(t + s(50.2));
        assertEquals(k0 + 2, keepalives(net.a));
        net.a.dev.setPersistentKeepalive(net.a.peer, 0, net.clock.now(), net.a);
        net.advance(s(100));
        assertEquals(k0 + 2, keepalives(net.a));
    }


    /** Pitfall (1.16): a handshake for "sent data, heard nothing" is jittered too. */
    @Test
    void shouldJitterNewHandshakeAfterUnansweredData() {
        final TestNet net = established(20);
        net.drop = d -> d.from() == net.b;
        final long t = net.clock.now();
        net.a.sendTo(net.b, 100);
        final long deadline = net.a.peer.timers().newHandshakeDeadlineNs() - t;
        final long base = ProtocolConstants.KEEPALIVE_TIMEOUT_NS + ProtocolConstants.REKEY_TIMEOUT_NS;
        assertTrue(deadline >= base && deadline < base + ProtocolConstants.REKEY_TIMEOUT_JITTER_MAX_NS, "" + deadline);
        net.advanceTo(t + deadline - 1);
        assertEquals(1, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION));
        net.advanceTo(t + deadline);
        assertEquals(2, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION));
    }


    /** Pitfall (1.16, GotaTun 0.8.0): no roaming on cookie replies. */
    @Test
    void shouldNotRoamOnCookieReply() {
        final TestNet net = new TestNet(31);
        net.b.dev.loadDetector().force(true);
        net.drop = d -> d.type() == MESSAGE_HANDSHAKE_COOKIE;
        net.a.sendTo(net.b, 100);
        net.pump();
        final List<TestNet.Datagram> replies = net.b.sentOfType(MESSAGE_HANDSHAKE_COOKIE);
        assertEquals(1, replies.size());
        assertNull(deliver(net.a, replies.get(0).bytes(), ep("203.0.113.99", 9), net));
        assertEquals(1, net.a.dev.counters().get(CounterEvent.COOKIE_REPLY_RECEIVED));
        assertTrue(net.a.peer.endpoint().sameRemote(net.b.endpoint), "endpoint unchanged by the cookie reply");
        assertEquals(1, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION), "a cookie reply does not trigger a retransmission");
    }


    /** Pitfall (1.13, 1.16): lookup equality, not "inside one of my prefixes". */
    @Test
    void shouldDropSourceOwnedByMoreSpecificOtherPeer() {
        final TestNet net = established(38);
        final byte[] otherKey = new byte[32];
        X25519.publicKey(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
                9, 9, 9, 9, 9}, otherKey);
        final Peer c = net.b.dev.addPeer(PeerKey.of(otherKey));
        net.b.dev.addAllowedIp(net.b.peer, Prefix.parse("198.51.100.0/24"));
        net.b.dev.addAllowedIp(c, Prefix.parse("198.51.100.64/26"));
        final byte[] fromC = Packets.ipv4("198.51.100.70", net.b.tunnelIp, 80, 1);
        final byte[] fromA = Packets.ipv4("198.51.100.5", net.b.tunnelIp, 80, 1);
        net.a.dev.onTunPacket(MemorySegment.ofArray(fromC), 0, fromC.length, net.clock.now(), net.a);
        net.a.dev.onTunPacket(MemorySegment.ofArray(fromA), 0, fromA.length, net.clock.now(), net.a);
        net.pump();
        assertEquals(1, net.b.dev.counters().get(DropReason.SOURCE_NOT_ALLOWED));
        assertEquals(2, net.b.tun.size());
        assertTrue(Arrays.equals(fromA, net.b.tun.get(1)));
    }


    /** Pitfall (1.16, GotaTun 0.7.2): the send counter can never reach REJECT_AFTER_MESSAGES. */
    @Test
    void shouldNeverSendWithCounterAtRejectAfterMessages() {
        final TestNet net = established(47);
        net.advance(s(6));
        final Keypair kp = net.a.peer.keypairs().current();
        kp.reserveSendCounters(ProtocolConstants.REJECT_AFTER_MESSAGES - kp.sendCounter() - 2);
        net.a.sendTo(net.b, 100);
        net.a.sendTo(net.b, 100);
        // Counters beyond REKEY_AFTER_MESSAGES already started a handshake (REKEY_TIMEOUT spaces them).
        final long initsBefore = net.a.countSent(MESSAGE_HANDSHAKE_INITIATION);
        assertEquals(2, initsBefore);
        net.a.sendTo(net.b, 100);
        assertFalse(kp.isSendValid(), "counter REJECT_AFTER_MESSAGES is never used: the key is retired");
        assertEquals(1, net.a.peer.staged().size());
        for (final TestNet.Datagram d : net.a.sentOfType(MESSAGE_DATA)) {
            final long c = TransportMessage.counter(MemorySegment.ofArray(d.bytes()), 0);
            assertTrue(Long.compareUnsigned(c, ProtocolConstants.REJECT_AFTER_MESSAGES) < 0, Long.toUnsignedString(c));
        }
        assertEquals(initsBefore, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION));
        net.pump();
        assertEquals(4, net.b.tun.size(), "the staged packet went out under the new key");
    }


    @Test
    void shouldSurviveDatagramsOfEveryShortLengthAndHugeOnes() {
        final TestNet net = new TestNet(75);
                final Random rnd = new Random(75);
        for (int len = 0; len < 200; len++) {
            for (int k = 0; k < 20; k++) {
                final byte[] m = new byte[len];
                rnd.nextBytes(m);
                if (len >= 4 && rnd.nextBoolean()) {
                    m[0] = (byte) (1 + rnd.nextInt(4));
                    m[1] = 0;
                    m[2] = 0;
                    m[3] = 0;
                }
                assertNotNull(deliver(net.b, m, net.a.endpoint, net));
            }
        }
        final byte[] huge = new byte[1 << 20];
        rnd.nextBytes(huge);
        huge[0] = MESSAGE_DATA;
        huge[1] = 0;
        huge[2] = 0;
        huge[3] = 0;
        assertEquals(DropReason.UNKNOWN_INDEX, deliver(net.b, huge, net.a.endpoint, net));
        assertTrue(net.b.sent.isEmpty());
    }

    @Test
    void shouldReportLastHandshakeAsWallClockEpochTime() {
        final TestNet net = new TestNet(80);
        assertEquals(0, net.a.peer.lastHandshakeWallNs(), "0 = never");
        net.clock.advance(s(3.25));
        net.a.sendTo(net.b, 100);
        net.pump();
        final long expected = FakeClock.WALL_BASE_NS + net.clock.now();
        assertEquals(expected, net.a.peer.lastHandshakeWallNs());
        assertEquals(expected, net.b.peer.lastHandshakeWallNs());
        assertEquals(1_767_225_604L, net.a.peer.lastHandshakeWallNs() / 1_000_000_000L, "Unix seconds, not 'seconds since'");
    }
}
