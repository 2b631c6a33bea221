package io.jwg.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Per-iteration CPU time of the benchmark thread. The machine these benches run on is shared, so
 * wall-clock JMH scores also count the time the thread waited for a CPU; nanoseconds of the
 * thread's own CPU time per operation are the per-core figure. Owner thread only.
 */
final class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long startNs;
    private long wallStartNs;

    /** Thread CPU time now. */
    static long now() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Starts an iteration. */
    void start() {
        startNs = now();
        wallStartNs = System.nanoTime();
    }

    /** Prints CPU ns per operation and the share of wall time the thread was on a CPU. */
    void report(final String what, final long ops) {
        final long cpu = now() - startNs;
        final long wall = System.nanoTime() - wallStartNs;
        if (ops > 0) {
            System.out.printf("%n[%s] %d ops, %.1f ns CPU/op (thread on CPU %.0f%% of the iteration)%n",
                    what, ops, (double) cpu / ops, 100.0 * cpu / wall);
        }
    }
}
