package io.jwg.wg.cookie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.crypto.X25519;
import io.jwg.wg.noise.StaticIdentity;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.protocol.CookieReplyMessage;
import io.jwg.wg.protocol.InitiationMessage;
import io.jwg.wg.protocol.ProtocolConstants;
import io.jwg.wg.ratelimit.HandshakeRateLimiter;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** mac1/mac2 and the cookie exchange between an initiator's {@link PeerCookie} and a responder's {@link CookieChecker}. */
class CookieTest {
    private final Random rnd = new Random(42);
    private final byte[] responderPriv = new byte[32];
    private final StaticIdentity responder;
    private final CookieChecker checker = new CookieChecker(rnd, new HandshakeRateLimiter());
    private final PeerCookie initiator;
    private final Endpoint src = Endpoint.ofV4(0xC0000201, 40000);

    CookieTest() {
        X25519.generatePrivateKey(rnd, responderPriv);
        responder = StaticIdentity.of(responderPriv);
        checker.setIdentity(responder);
        initiator = new PeerCookie(responder.publicKey());
    }

    private byte[] message(final long nowNs) {
        final byte[] m = new byte[InitiationMessage.LENGTH];
        rnd.nextBytes(m);
        m[0] = 1;
        m[1] = 0;
        m[2] = 0;
        m[3] = 0;
        initiator.addMacs(MemorySegment.ofArray(m), 0, m.length, nowNs);
        return m;
    }

    private MacState check(final byte[] m, final boolean underLoad, final long nowNs) {
        return checker.validate(MemorySegment.ofArray(m), 0, m.length, src, underLoad, nowNs);
    }

    private byte[] reply(final byte[] m, final long nowNs) {
        final byte[] r = new byte[CookieReplyMessage.LENGTH];
        assertTrue(checker.createReply(MemorySegment.ofArray(m), 0, m.length, 1234, src, nowNs, MemorySegment.ofArray(r), 0));
        return r;
    }

    @Test
    void shouldAcceptMac1AndRequireCookieOnlyUnderLoad() {
        final byte[] m = message(0);
        assertEquals(MacState.VALID_MAC_BUT_NO_COOKIE, check(m, false, 0));
        assertEquals(MacState.VALID_MAC_BUT_NO_COOKIE, check(m, true, 0));
        final byte[] wrong = m.clone();
        wrong[10] ^= 1;
        assertEquals(MacState.INVALID_MAC, check(wrong, false, 0));
        final PeerCookie other = new PeerCookie(new byte[32]);
        final byte[] m2 = m.clone();
        other.addMacs(MemorySegment.ofArray(m2), 0, m2.length, 0);
        assertEquals(MacState.INVALID_MAC, check(m2, false, 0), "mac1 keyed by someone else's public key");
    }

    @Test
    void shouldCarryCookieInMac2AfterReplyAndExpireIt() {
        final byte[] m = message(0);
        final byte[] r = reply(m, 0);
        assertEquals(1234, CookieReplyMessage.receiverIndex(MemorySegment.ofArray(r), 0));
        assertTrue(initiator.consumeReply(MemorySegment.ofArray(r), 0, 0));
        assertFalse(initiator.consumeReply(MemorySegment.ofArray(r), 0, 0), "one reply per mac1 sent");
        final byte[] m2 = message(1_000);
        assertEquals(MacState.VALID_MAC_WITH_COOKIE, check(m2, true, 1_000));
        // The initiator stops using a cookie after 120 - 5 s.
        final long late = ProtocolConstants.COOKIE_SECRET_MAX_AGE_NS - ProtocolConstants.COOKIE_SECRET_LATENCY_NS;
        assertTrue(initiator.hasFreshCookie(late - 1));
        final byte[] m3 = message(late);
        assertTrue(isZero(m3, InitiationMessage.MAC2_OFFSET), "stale cookie: mac2 zero");
    }

    @Test
    void shouldRotateTheCookieSecretEveryTwoMinutes() {
        final byte[] m = message(0);
        assertTrue(initiator.consumeReply(MemorySegment.ofArray(reply(m, 0)), 0, 0));
        final byte[] before = message(10);
        assertEquals(MacState.VALID_MAC_WITH_COOKIE, check(before, true, 10));
        // A cookie issued before the rotation no longer verifies after it.
        final byte[] again = message(50);
        assertEquals(MacState.VALID_MAC_BUT_NO_COOKIE, check(again, true, ProtocolConstants.COOKIE_SECRET_MAX_AGE_NS + 1));
    }

    @Test
    void shouldBindCookieToSourceAddressAndPort() {
        final byte[] m = message(0);
        assertTrue(initiator.consumeReply(MemorySegment.ofArray(reply(m, 0)), 0, 0));
        final byte[] m2 = message(1);
        final Endpoint otherPort = Endpoint.ofV4(0xC0000201, 40001);
        assertEquals(MacState.VALID_MAC_BUT_NO_COOKIE,
                checker.validate(MemorySegment.ofArray(m2), 0, m2.length, otherPort, true, 1));
    }

    @Test
    void shouldRejectReplyEncryptedToAnotherMac1() {
        final byte[] m = message(0);
        final byte[] r = reply(m, 0);
        message(1); // a newer mac1 was sent since
        assertFalse(initiator.consumeReply(MemorySegment.ofArray(r), 0, 1));
        final byte[] tampered = reply(message(2), 2);
        tampered[40] ^= 1;
        assertFalse(initiator.consumeReply(MemorySegment.ofArray(tampered), 0, 2));
        assertFalse(Arrays.equals(r, tampered));
    }

    @Test
    void shouldReportRateLimitedSourcesWithValidCookie() {
        final byte[] m = message(0);
        assertTrue(initiator.consumeReply(MemorySegment.ofArray(reply(m, 0)), 0, 0));
        final byte[] m2 = message(0);
        int limited = 0;
        for (int i = 0; i < 10; i++) {
            if (check(m2, true, 0) == MacState.VALID_MAC_WITH_COOKIE_BUT_RATELIMITED) {
                limited++;
            }
        }
        assertEquals(5, limited);
    }

    private static boolean isZero(final byte[] b, final int off) {
        for (int i = off; i < off + 16; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void shouldNotCheckAnythingWithoutIdentity() {
        final CookieChecker none = new CookieChecker(rnd, new HandshakeRateLimiter());
        final byte[] m = message(0);
        assertEquals(MacState.INVALID_MAC, none.validate(MemorySegment.ofArray(m), 0, m.length, src, false, 0));
        assertArrayEquals(responder.mac1Key(), io.jwg.wg.noise.HandshakeKeys.mac1Key(responder.publicKey()));
    }
}
