package io.jwg.wg.device;

import io.jwg.wg.core.NanoClock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real monotonic time plus an offset that tests push forward by hand ({@link #advance}; any thread):
 * the pipeline keeps running in real time, and a test jumps over REKEY_AFTER_TIME without waiting.
 */
final class ManualClock implements NanoClock {
    private final AtomicLong offsetNs = new AtomicLong();

    @Override
    public long nanoTime() {
        return System.nanoTime() + offsetNs.get();
    }

    void advance(final long ns) {
        offsetNs.addAndGet(ns);
    }
}
