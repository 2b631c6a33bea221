package io.jwg.wg.timers;

import static io.jwg.wg.protocol.ProtocolConstants.KEEPALIVE_TIMEOUT_NS;
import static io.jwg.wg.protocol.ProtocolConstants.MAX_TIMER_HANDSHAKES;
import static io.jwg.wg.protocol.ProtocolConstants.REKEY_TIMEOUT_JITTER_MAX_NS;
import static io.jwg.wg.protocol.ProtocolConstants.REKEY_TIMEOUT_NS;
import static io.jwg.wg.protocol.ProtocolConstants.ZERO_KEY_MATERIAL_AFTER_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PeerTimersTest {
    private static final long NONE = Long.MIN_VALUE;

    @Test
    void shouldArmRetransmitWithJitterAndRetryUntilGivingUp() {
        final PeerTimers t = new PeerTimers(new Random(1));
        long now = 0;
        t.onHandshakeInitiated(now);
        int retries = 0;
        while (true) {
            final long d = t.retransmitDeadlineNs();
            assertTrue(d - now >= REKEY_TIMEOUT_NS && d - now < REKEY_TIMEOUT_NS + REKEY_TIMEOUT_JITTER_MAX_NS);
            assertEquals(0, t.expire(d - 1));
            now = d;
            final int a = t.expire(now);
            if ((a & PeerTimers.GIVE_UP_HANDSHAKE) != 0) {
                assertEquals(now + ZERO_KEY_MATERIAL_AFTER_NS, t.zeroKeyDeadlineNs());
                break;
            }
            assertEquals(PeerTimers.RETRANSMIT_HANDSHAKE, a);
            retries++;
            t.onHandshakeInitiated(now);
        }
        assertEquals(MAX_TIMER_HANDSHAKES + 1, retries);
    }

    @Test
    void shouldDrawFromTheInjectedGeneratorOnlyOnceSoThePacketPathNeverTouchesIt() {
        // The daemon injects a SecureRandom: drawing from it per data packet allocated and locked.
        final int[] draws = {0};
        final Random counting = new Random(7) {
            @Override
            protected int next(final int bits) {
                draws[0]++;
                return super.next(bits);
            }
        };
        final PeerTimers t = new PeerTimers(counting);
        final int atConstruction = draws[0];
        assertTrue(atConstruction > 0, "seeded from the injected generator");
        for (long now = 0; now < 1_000; now++) {
            t.onDataSent(now);
            t.onAnyAuthenticatedPacketReceived(now); // re-arms new_handshake on the next send
            t.onHandshakeInitiated(now);
        }
        final long armedAt = 1_000;
        t.onDataSent(armedAt);
        assertEquals(atConstruction, draws[0]);
        final long d = t.newHandshakeDeadlineNs();
        assertTrue(d - armedAt >= KEEPALIVE_TIMEOUT_NS + REKEY_TIMEOUT_NS
                && d - armedAt < KEEPALIVE_TIMEOUT_NS + REKEY_TIMEOUT_NS + REKEY_TIMEOUT_JITTER_MAX_NS, "jittered: " + d);
    }

    @Test
    void shouldGiveTheSameJitterForTheSameSeed() {
        final PeerTimers a = new PeerTimers(new Random(11));
        final PeerTimers b = new PeerTimers(new Random(11));
        for (int i = 0; i < 10; i++) {
            a.onHandshakeInitiated(i);
            b.onHandshakeInitiated(i);
            assertEquals(a.retransmitDeadlineNs(), b.retransmitDeadlineNs());
        }
    }

    @Test
    void shouldResetAttemptsOnCompletionAndNonRetryInitiation() {
        final PeerTimers t = new PeerTimers(new Random(2));
        t.onHandshakeInitiated(0);
        t.expire(t.retransmitDeadlineNs());
        assertEquals(1, t.handshakeAttempts());
        t.onNonRetryInitiation();
        assertEquals(0, t.handshakeAttempts());
        t.onHandshakeInitiated(10);
        t.onHandshakeComplete(11);
        assertEquals(NONE, t.retransmitDeadlineNs());
        assertEquals(0, t.expire(Long.MAX_VALUE / 2));
    }

    @Test
    void shouldSendKeepaliveAfterDataReceivedAndAnotherIfMoreArrived() {
        final PeerTimers t = new PeerTimers(new Random(3));
        t.onDataReceived(0);
        t.onDataReceived(3);
        assertEquals(KEEPALIVE_TIMEOUT_NS, t.keepaliveDeadlineNs(), "armed by the first receive");
        assertEquals(PeerTimers.SEND_KEEPALIVE, t.expire(KEEPALIVE_TIMEOUT_NS));
        assertEquals(2 * KEEPALIVE_TIMEOUT_NS, t.keepaliveDeadlineNs(), "need another: re-armed");
        t.onAnyAuthenticatedPacketSent(2 * KEEPALIVE_TIMEOUT_NS - 1);
        assertEquals(NONE, t.keepaliveDeadlineNs(), "sending anything cancels it");
    }

    @Test
    void shouldArmNewHandshakeOnceAfterDataSentAndCancelOnReceive() {
        final PeerTimers t = new PeerTimers(new Random(4));
        t.onDataSent(0);
        final long d = t.newHandshakeDeadlineNs();
        t.onDataSent(1_000);
        assertEquals(d, t.newHandshakeDeadlineNs(), "not pushed back by more sends");
        t.onAnyAuthenticatedPacketReceived(2_000);
        assertEquals(NONE, t.newHandshakeDeadlineNs());
        t.onDataSent(3_000);
        assertEquals(PeerTimers.NEW_HANDSHAKE, t.expire(t.newHandshakeDeadlineNs()));
    }

    @Test
    void shouldReportPersistentKeepaliveTurningOnAndRearmOnTraversal() {
        final PeerTimers t = new PeerTimers(new Random(5));
        assertTrue(t.setPersistentKeepalive(25, 0));
        assertFalse(t.setPersistentKeepalive(30, 0), "n -> m is not 'turning on'");
        t.onAnyAuthenticatedPacketTraversal(100);
        assertEquals(100 + 30_000_000_000L, t.persistentKeepaliveDeadlineNs());
        assertEquals(PeerTimers.PERSISTENT_KEEPALIVE, t.expire(100 + 30_000_000_000L));
        assertFalse(t.setPersistentKeepalive(0, 0));
        t.onAnyAuthenticatedPacketTraversal(200);
        assertEquals(NONE, t.persistentKeepaliveDeadlineNs());
    }

    @Test
    void shouldStopArmingWhenStoppedAndReportEarliestDeadline() {
        final PeerTimers t = new PeerTimers(new Random(6));
        t.onSessionDerived(0);
        t.onDataReceived(5);
        assertEquals(5 + KEEPALIVE_TIMEOUT_NS, t.nextDeadlineNs());
        t.stop();
        assertEquals(Long.MAX_VALUE, t.nextDeadlineNs());
        t.onDataSent(10);
        t.onHandshakeInitiated(10);
        assertEquals(Long.MAX_VALUE, t.nextDeadlineNs());
        t.start();
        t.onHandshakeInitiated(10);
        assertTrue(t.nextDeadlineNs() != Long.MAX_VALUE);
    }

    @Test
    void shouldClaimLastMinuteHandshakeOncePerCompletedHandshake() {
        final PeerTimers t = new PeerTimers(new Random(7));
        assertTrue(t.claimLastMinuteHandshake());
        assertFalse(t.claimLastMinuteHandshake());
        t.onHandshakeComplete(1);
        assertTrue(t.claimLastMinuteHandshake());
    }

    @Test
    void shouldCompareDeadlinesAcrossLongWraparound() {
        final PeerTimers t = new PeerTimers(new Random(8));
        final long nearMax = Long.MAX_VALUE - 1_000;
        t.onDataReceived(nearMax);
        final long d = t.keepaliveDeadlineNs();
        assertTrue(d < 0, "deadline wrapped");
        assertEquals(0, t.expire(nearMax + 1));
        assertEquals(PeerTimers.SEND_KEEPALIVE, t.expire(d));
    }
}
