package io.jwg.wg.stats;

/**
 * Drop and event counters, written by a single owner thread and read by anyone: a pipeline gives
 * each thread its own instance and sums them with {@link #addTo} when reporting, so the fast path
 * never writes a shared cache line. Readers on other threads may see slightly stale values (plain
 * longs, no tearing on 64-bit JVMs, monotonic per writer).
 */
public final class Counters {
    private static final DropReason[] REASONS = DropReason.values();
    private static final CounterEvent[] EVENTS = CounterEvent.values();

    private final long[] drops = new long[REASONS.length];
    private final long[] events = new long[EVENTS.length];

    /** Counts one drop; owner thread only. */
    public void drop(final DropReason reason) {
        drops[reason.ordinal()]++;
    }

    /** Counts one event; owner thread only. */
    public void event(final CounterEvent event) {
        events[event.ordinal()]++;
    }

    /** Drops counted under {@code reason}. */
    public long get(final DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Occurrences of {@code event}. */
    public long get(final CounterEvent event) {
        return events[event.ordinal()];
    }

    /** Sum of all drops. */
    public long totalDrops() {
        long sum = 0;
        for (final long d : drops) {
            sum += d;
        }
        return sum;
    }

    /** Adds this instance's values into {@code sum} (for aggregation across threads). */
    public void addTo(final Counters sum) {
        for (int i = 0; i < drops.length; i++) {
            sum.drops[i] += drops[i];
        }
        for (int i = 0; i < events.length; i++) {
            sum.events[i] += events[i];
        }
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder("Counters{");
        String sep = "";
        for (final DropReason r : REASONS) {
            if (drops[r.ordinal()] != 0) {
                sb.append(sep).append(r.label()).append('=').append(drops[r.ordinal()]);
                sep = ", ";
            }
        }
        for (final CounterEvent e : EVENTS) {
            if (events[e.ordinal()] != 0) {
                sb.append(sep).append(e.label()).append('=').append(events[e.ordinal()]);
                sep = ", ";
            }
        }
        return sb.append('}').toString();
    }
}
