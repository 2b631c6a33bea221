package io.jwg.wg.core;

import static io.jwg.wg.core.TestNet.s;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_DATA;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_HANDSHAKE_COOKIE;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_HANDSHAKE_INITIATION;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_HANDSHAKE_RESPONSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.wg.protocol.CookieReplyMessage;
import io.jwg.wg.protocol.InitiationMessage;
import io.jwg.wg.protocol.ResponseMessage;
import io.jwg.wg.protocol.TransportMessage;
import io.jwg.wg.stats.DropReason;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Every truncation, oversize, wrong type, non-zero reserved byte and single-bit flip of a valid
 * message of each type is dropped with a counted reason, without an exception, and without any
 * answer except the one the protocol prescribes (a cookie reply under load; a changed mac2 is not
 * checked when not under load, so such a message is processed as the protocol says).
 */
class MalformedMessageTest {
    /** A receiver and one valid message for it. */
    private record Target(TestNet net, TestNet.Node receiver, TestNet.Node sender, byte[] valid) {
    }

    private static DropReason inject(final Target t, final byte[] bytes) {
        final byte[] copy = bytes.clone();
        return t.receiver.dev.onDatagram(MemorySegment.ofArray(copy), 0, copy.length, t.sender.endpoint,
                t.net.clock.now(), t.receiver);
    }

    /** Injects and checks: dropped with {@code expected(reason)}, counted once, nothing sent or delivered. */
    private static void expectDrop(final Target t, final byte[] bytes, final Set<DropReason> expected, final String what) {
        final long drops = t.receiver.dev.counters().totalDrops();
        final long[] byReason = new long[DropReason.values().length];
        for (final DropReason d : DropReason.values()) {
            byReason[d.ordinal()] = t.receiver.dev.counters().get(d);
        }
        final int sent = t.receiver.sent.size();
        final int delivered = t.receiver.tun.size();
        final DropReason r = inject(t, bytes);
        assertNotNull(r, what + " was accepted");
        assertTrue(expected.contains(r), what + ": " + r + " not in " + expected);
        assertEquals(drops + 1, t.receiver.dev.counters().totalDrops(), what + ": counted once");
        assertEquals(byReason[r.ordinal()] + 1, t.receiver.dev.counters().get(r), what + ": counted under " + r);
        assertEquals(sent, t.receiver.sent.size(), what + ": answered");
        assertEquals(delivered, t.receiver.tun.size(), what + ": delivered");
    }

    private static void checkLengthsAndTypes(final Target t, final DropReason tooLong) {
        final byte[] v = t.valid;
        for (int len = 0; len < v.length; len++) {
            final Set<DropReason> ok = len >= TransportMessage.MIN_LENGTH && v[0] == MESSAGE_DATA
                    ? Set.of(DropReason.BAD_TAG) : Set.of(DropReason.BAD_LENGTH);
            expectDrop(t, Arrays.copyOf(v, len), ok, "truncated to " + len);
        }
        for (final int len : new int[] {v.length + 1, v.length + 15, v.length + 16, v.length + 64, 1500, 65535, 70000}) {
            expectDrop(t, Arrays.copyOf(v, len), Set.of(tooLong), "oversized to " + len);
        }
        for (int type = 0; type < 256; type++) {
            if (type == v[0]) {
                continue;
            }
            final byte[] m = v.clone();
            m[0] = (byte) type;
            // Another type's length check, or read as that type (a handshake-sized packet is a valid-length
            // transport message whose index or tag then fails).
            expectDrop(t, m, Set.of(DropReason.BAD_TYPE, DropReason.BAD_LENGTH, DropReason.BAD_MAC1,
                    DropReason.UNKNOWN_INDEX, DropReason.BAD_TAG), "type " + type);
        }
        for (int i = 1; i < 4; i++) {
            for (int b = 1; b < 256; b++) {
                final byte[] m = v.clone();
                m[i] = (byte) b;
                expectDrop(t, m, Set.of(DropReason.BAD_TYPE), "reserved byte " + i + " = " + b);
            }
        }
    }

    /** Flips every bit of {@code [from, to)} and expects the reason given per byte offset. */
    private static void flipBits(final Target t, final int from, final int to, final IntFunction<Set<DropReason>> reasonAt) {
        for (int bit = from * 8; bit < to * 8; bit++) {
            final byte[] m = t.valid.clone();
            m[bit >>> 3] ^= (byte) (1 << (bit & 7));
            expectDrop(t, m, reasonAt.apply(bit >>> 3), "bit " + bit);
        }
    }

    private static void randomGarbage(final Target t, final long seed, final int macEnd) {
        final Random rnd = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            final byte[] m = t.valid.clone();
            final int changes = 1 + rnd.nextInt(8);
            for (int c = 0; c < changes; c++) {
                m[rnd.nextInt(macEnd)] ^= (byte) (1 + rnd.nextInt(255));
            }
            final DropReason r = inject(t, m);
            assertNotNull(r, "seed " + seed + " garbage " + i + " accepted");
        }
    }

    private static Set<DropReason> typeReasons() {
        return Set.of(DropReason.BAD_TYPE, DropReason.BAD_LENGTH);
    }

    @Test
    void shouldDropEveryCorruptionOfAnInitiation() {
        final TestNet net = new TestNet(70);
        net.drop = d -> true;
        net.a.sendTo(net.b, 100);
        final Target t = new Target(net, net.b, net.a, net.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION).get(0).bytes());
        checkLengthsAndTypes(t, DropReason.BAD_LENGTH);
        flipBits(t, 0, 4, i -> typeReasons());
        flipBits(t, 4, InitiationMessage.MAC2_OFFSET, i -> Set.of(DropReason.BAD_MAC1));
        randomGarbage(t, System.nanoTime(), InitiationMessage.MAC2_OFFSET);
        // Thousands of handshake messages within a second put the device under load (its backlog
        // signal is the per-second count); let that pass before looking at mac2.
        net.clock.advance(s(2));
        // mac2 is not checked when not under load: the first copy is processed and answered,
        // later copies repeat its timestamp.
        assertNull(inject(t, flipped(t.valid, InitiationMessage.MAC2_OFFSET * 8)));
        assertEquals(1, net.b.countSent(MESSAGE_HANDSHAKE_RESPONSE));
        flipBits(t, InitiationMessage.MAC2_OFFSET + 1, InitiationMessage.LENGTH, i -> Set.of(DropReason.HANDSHAKE_REPLAY));
    }

    @Test
    void shouldAnswerCorruptMac2UnderLoadOnlyWithCookieReplies() {
        final TestNet net = new TestNet(71);
        net.b.dev.loadDetector().force(true);
        net.drop = d -> d.type() == MESSAGE_HANDSHAKE_INITIATION && d.from() == net.a
                && net.a.countSent(MESSAGE_HANDSHAKE_INITIATION) > 1;
        net.a.sendTo(net.b, 100);
        net.pump();
        net.advance(s(5.5));
        final byte[] withCookie = net.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION).get(1).bytes();
        final Target t = new Target(net, net.b, net.a, withCookie);
        flipBits(t, 0, 4, i -> typeReasons());
        flipBits(t, 4, InitiationMessage.MAC2_OFFSET, i -> Set.of(DropReason.BAD_MAC1));
        for (int bit = InitiationMessage.MAC2_OFFSET * 8; bit < InitiationMessage.LENGTH * 8; bit++) {
            final int sent = net.b.sent.size();
            assertEquals(DropReason.COOKIE_REQUIRED, inject(t, flipped(withCookie, bit)));
            assertEquals(sent + 1, net.b.sent.size());
            assertEquals(MESSAGE_HANDSHAKE_COOKIE, net.b.sent.get(sent).type());
            assertEquals(CookieReplyMessage.LENGTH, net.b.sent.get(sent).bytes().length);
        }
        net.clock.advance(s(1));
        assertNull(inject(t, withCookie), "the intact message is still accepted");
    }

    @Test
    void shouldDropEveryCorruptionOfAResponse() {
        final TestNet net = new TestNet(72);
        net.drop = d -> d.type() == MESSAGE_HANDSHAKE_RESPONSE;
        net.a.sendTo(net.b, 100);
        net.pump();
        final Target t = new Target(net, net.a, net.b, net.b.sentOfType(MESSAGE_HANDSHAKE_RESPONSE).get(0).bytes());
        checkLengthsAndTypes(t, DropReason.BAD_LENGTH);
        flipBits(t, 0, 4, i -> typeReasons());
        flipBits(t, 4, ResponseMessage.MAC2_OFFSET, i -> Set.of(DropReason.BAD_MAC1));
        randomGarbage(t, System.nanoTime(), ResponseMessage.MAC2_OFFSET);
        assertNull(net.a.peer.keypairs().current());
        net.clock.advance(s(2));
        assertNull(inject(t, flipped(t.valid, ResponseMessage.MAC2_OFFSET * 8)), "mac2 unchecked when not under load");
        assertNotNull(net.a.peer.keypairs().current());
        flipBits(t, ResponseMessage.MAC2_OFFSET + 1, ResponseMessage.LENGTH, i -> Set.of(DropReason.UNKNOWN_INDEX));
    }

    @Test
    void shouldDropEveryCorruptionOfACookieReply() {
        final TestNet net = new TestNet(73);
        net.b.dev.loadDetector().force(true);
        net.drop = d -> d.type() == MESSAGE_HANDSHAKE_COOKIE;
        net.a.sendTo(net.b, 100);
        net.pump();
        final Target t = new Target(net, net.a, net.b, net.b.sentOfType(MESSAGE_HANDSHAKE_COOKIE).get(0).bytes());
        checkLengthsAndTypes(t, DropReason.BAD_LENGTH);
        flipBits(t, 0, 4, i -> typeReasons());
        flipBits(t, CookieReplyMessage.RECEIVER_INDEX_OFFSET, CookieReplyMessage.NONCE_OFFSET,
                i -> Set.of(DropReason.UNKNOWN_INDEX));
        flipBits(t, CookieReplyMessage.NONCE_OFFSET, CookieReplyMessage.LENGTH, i -> Set.of(DropReason.BAD_COOKIE_REPLY));
        randomGarbage(t, System.nanoTime(), CookieReplyMessage.LENGTH);
        assertNull(inject(t, t.valid));
        assertEquals(DropReason.BAD_COOKIE_REPLY, inject(t, t.valid), "one cookie per mac1 sent");
    }

    @Test
    void shouldDropEveryCorruptionOfTransportData() {
        final TestNet net = new TestNet(74);
        net.a.sendTo(net.b, 100);
        net.pump();
        net.drop = d -> d.type() == MESSAGE_DATA;
        net.a.sendTo(net.b, 200);
        final java.util.List<TestNet.Datagram> data = net.a.sentOfType(MESSAGE_DATA);
        final Target t = new Target(net, net.b, net.a, data.get(data.size() - 1).bytes());
        checkLengthsAndTypes(t, DropReason.BAD_TAG);
        flipBits(t, 0, 4, i -> typeReasons());
        flipBits(t, TransportMessage.RECEIVER_INDEX_OFFSET, TransportMessage.COUNTER_OFFSET,
                i -> Set.of(DropReason.UNKNOWN_INDEX));
        flipBits(t, TransportMessage.COUNTER_OFFSET, t.valid.length, i -> Set.of(DropReason.BAD_TAG));
        randomGarbage(t, System.nanoTime(), t.valid.length);
        final int before = net.b.tun.size();
        assertNull(inject(t, t.valid));
        assertEquals(before + 1, net.b.tun.size(), "the intact packet is still delivered");
    }

    private static byte[] flipped(final byte[] m, final int bit) {
        final byte[] c = m.clone();
        c[bit >>> 3] ^= (byte) (1 << (bit & 7));
        return c;
    }
}
