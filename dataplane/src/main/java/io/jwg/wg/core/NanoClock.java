package io.jwg.wg.core;

/** Monotonic time in nanoseconds (timers, key ages); injectable so tests can drive time. */
@FunctionalInterface
public interface NanoClock {
    /** Monotonic nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** {@link System#nanoTime()}. */
    NanoClock SYSTEM = System::nanoTime;
}
