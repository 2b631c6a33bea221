package io.jwg.crypto;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarmupTest {
    @Test
    void shouldRunUpToTheRoundBudgetAndRoundTripEveryPacket() {
        // run() throws if any sealed packet fails to open, so completing is the round-trip check.
        assertEquals(3, Warmup.run(3, Long.MAX_VALUE));
        assertEquals(5, Warmup.run(5, Long.MAX_VALUE));
    }

    @Test
    void shouldStopAtTheTimeBudget() {
        assertEquals(0, Warmup.run(1_000_000, 0));
    }

    @Test
    void shouldStartADaemonThreadThatFinishes() throws InterruptedException {
        final Thread t = Warmup.startInBackground(2, Long.MAX_VALUE);
        assertTrue(t.isDaemon());
        t.join(60_000);
        assertTrue(!t.isAlive(), "warm-up thread still running");
    }
}
