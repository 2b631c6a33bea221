package io.jwg.wg.core;

/** A manually advanced clock: monotonic nanoseconds and a wall clock that moves with them. */
final class FakeClock implements NanoClock, WallClock {
    /** 2026-01-01T00:00:00Z, so TAI64N timestamps look real. */
    static final long WALL_BASE_NS = 1_767_225_600_000_000_000L;

    private long nowNs;

    FakeClock(final long startNs) {
        this.nowNs = startNs;
    }

    long now() {
        return nowNs;
    }

    void set(final long ns) {
        if (ns < nowNs) {
            throw new IllegalArgumentException("time goes forward only");
        }
        nowNs = ns;
    }

    void advance(final long ns) {
        set(nowNs + ns);
    }

    @Override
    public long nanoTime() {
        return nowNs;
    }

    @Override
    public long epochNanos() {
        return WALL_BASE_NS + nowNs;
    }
}
