package io.jwg.wg.replay;

import static io.jwg.wg.protocol.ProtocolConstants.COUNTER_WINDOW_SIZE;
import static io.jwg.wg.protocol.ProtocolConstants.REJECT_AFTER_MESSAGES;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kernel's nonce-counter self-test ({@code selftest/counter.c}: 34 fixed cases and the sweeps
 * around the window edge) reproduced against {@link ReplayWindow}, plus a random differential test
 * against an obviously-correct set-based reference.
 */
class ReplayWindowTest {
    private static final long T_LIM = COUNTER_WINDOW_SIZE + 1;

    private ReplayWindow w;
    private int testNum;

    private void init() {
        w = new ReplayWindow();
        testNum = 0;
    }

    private void t(final long n, final boolean expected) {
        testNum++;
        assertEquals(expected, w.validate(n), "nonce counter self-test " + testNum + " (counter " + Long.toUnsignedString(n) + ")");
    }

    @Test
    void shouldPassKernelFixedCases() {
        init();
        t(0, true);
        t(1, true);
        t(1, false);
        t(9, true);
        t(8, true);
        t(7, true);
        t(7, false);
        t(T_LIM, true);
        t(T_LIM - 1, true);
        t(T_LIM - 1, false);
        t(T_LIM - 2, true);
        t(2, true);
        t(2, false);
        t(T_LIM + 16, true);
        t(3, false);
        t(T_LIM + 16, false);
        t(T_LIM * 4, true);
        t(T_LIM * 4 - (T_LIM - 1), true);
        t(10, false);
        t(T_LIM * 4 - T_LIM, false);
        t(T_LIM * 4 - (T_LIM + 1), false);
        t(T_LIM * 4 - (T_LIM - 2), true);
        t(T_LIM * 4 + 1 - T_LIM, false);
        t(0, false);
        t(REJECT_AFTER_MESSAGES, false);
        t(REJECT_AFTER_MESSAGES - 1, true);
        t(REJECT_AFTER_MESSAGES, false);
        t(REJECT_AFTER_MESSAGES - 1, false);
        t(REJECT_AFTER_MESSAGES - 2, true);
        t(REJECT_AFTER_MESSAGES + 1, false);
        t(REJECT_AFTER_MESSAGES + 2, false);
        t(REJECT_AFTER_MESSAGES - 2, false);
        t(REJECT_AFTER_MESSAGES - 3, true);
        t(0, false);
        assertEquals(34, testNum);
    }

    @Test
    void shouldAcceptZeroAfterFillingTheWholeWindowForward() {
        init();
        for (long i = 1; i <= COUNTER_WINDOW_SIZE; ++i) {
            t(i, true);
        }
        t(0, true);
        t(0, false);
    }

    @Test
    void shouldAcceptOneButNotZeroAfterMovingOnePastTheWindow() {
        init();
        for (long i = 2; i <= COUNTER_WINDOW_SIZE + 1; ++i) {
            t(i, true);
        }
        t(1, true);
        t(0, false);
    }

    @Test
    void shouldAcceptWholeWindowInReverseOrder() {
        init();
        for (long i = COUNTER_WINDOW_SIZE + 1; i-- > 0; ) {
            t(i, true);
        }
    }

    @Test
    void shouldRejectZeroAfterReverseFillFromOnePastTheWindow() {
        init();
        for (long i = COUNTER_WINDOW_SIZE + 2; i-- > 1; ) {
            t(i, true);
        }
        t(0, false);
    }

    @Test
    void shouldRejectZeroAfterReverseFillThenAdvance() {
        init();
        for (long i = COUNTER_WINDOW_SIZE + 1; i-- > 1; ) {
            t(i, true);
        }
        t(COUNTER_WINDOW_SIZE + 1, true);
        t(0, false);
    }

    @Test
    void shouldAcceptZeroBeforeAdvancingAfterReverseFill() {
        init();
        for (long i = COUNTER_WINDOW_SIZE + 1; i-- > 1; ) {
            t(i, true);
        }
        t(0, true);
        t(COUNTER_WINDOW_SIZE + 1, true);
    }

    @Test
    void shouldNeverAcceptAnythingOnceReachingTheRejectLimit() {
        init();
        t(REJECT_AFTER_MESSAGES - 1, true);
        t(REJECT_AFTER_MESSAGES - 2, true);
        t(-1L, false);
        assertEquals(REJECT_AFTER_MESSAGES - 1, w.highest());
    }

    /** Reference: accept iff below the limit, not seen, and within the window behind the highest. */
    private static final class Reference {
        private final Set<Long> seen = new HashSet<>();
        private long next;

        boolean validate(final long counter) {
            if (Long.compareUnsigned(counter, REJECT_AFTER_MESSAGES) >= 0) {
                return false;
            }
            final long c = counter + 1;
            if (Long.compareUnsigned(c + COUNTER_WINDOW_SIZE, next) < 0) {
                return false;
            }
            if (!seen.add(counter)) {
                return false;
            }
            if (Long.compareUnsigned(c, next) > 0) {
                next = c;
            }
            return true;
        }
    }

    @Test
    void shouldMatchSetReferenceOnRandomReorderedStreams() {
        final long seed = System.nanoTime();
        final Random rnd = new Random(seed);
        for (int round = 0; round < 20; round++) {
            final ReplayWindow win = new ReplayWindow();
            final Reference ref = new Reference();
            long base = round % 2 == 0 ? 0 : REJECT_AFTER_MESSAGES - 200_000 - rnd.nextInt(1000);
            for (int i = 0; i < 50_000; i++) {
                final int mode = rnd.nextInt(10);
                final long c;
                if (mode < 6) {
                    c = base + rnd.nextInt(COUNTER_WINDOW_SIZE + 200) - COUNTER_WINDOW_SIZE;
                } else if (mode < 8) {
                    c = base + rnd.nextInt(64);
                    base = c;
                } else if (mode < 9) {
                    c = base + rnd.nextInt(3 * COUNTER_WINDOW_SIZE);
                    base = c;
                } else {
                    c = base - COUNTER_WINDOW_SIZE - 2 + rnd.nextInt(5);
                }
                final boolean expected = ref.validate(c);
                assertEquals(expected, win.validate(c),
                        "seed " + seed + " round " + round + " step " + i + " counter " + Long.toUnsignedString(c));
            }
        }
    }
}
