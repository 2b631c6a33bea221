package io.jwg.wg.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes parked consumers of a shared queue: any producer thread rings after offering work, and up
 * to 64 registered consumer threads sleep on it when idle ({@link DoorbellIdleStrategy}).
 *
 * <p>An event count over a bitmask of sleepers. A consumer sets its bit (atomic OR, a full fence),
 * re-checks its {@link WorkSource}, and only then parks; a producer publishes its work, issues a
 * full fence and reads the mask. Both sides order "write mine, read theirs" with a full fence, so a
 * producer either sees the sleeper's bit and unparks it, or the sleeper's re-check sees the work: no
 * lost wake-up. Parking is still bounded ({@code maxParkNs}) as a second line of defence.
 *
 * <p>Ringing costs a fence and one volatile read when nobody sleeps (once per batch, not per
 * packet).
 */
public final class Doorbell {
    /** Maximum consumer threads per doorbell (bits in the sleeper mask). */
    public static final int MAX_SLEEPERS = 64;

    private static final VarHandle SLEEPERS;

    static {
        try {
            SLEEPERS = MethodHandles.lookup().findVarHandle(Doorbell.class, "sleepers", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread[] threads = new Thread[MAX_SLEEPERS];
    private int registered;
    @SuppressWarnings("unused") // accessed through SLEEPERS
    private volatile long sleepers;

    /**
     * Registers the calling thread as a possible sleeper; once per consumer thread at start-up.
     *
     * @return the thread's slot, passed to {@link #sleep}
     */
    public synchronized int register() {
        if (registered == MAX_SLEEPERS) {
            throw new IllegalStateException("too many consumers: max=" + MAX_SLEEPERS);
        }
        threads[registered] = Thread.currentThread();
        return registered++;
    }

    /**
     * Wakes up to {@code n} sleeping consumers; any thread, after its work is visible in the queue.
     */
    public void ring(int n) {
        VarHandle.fullFence();
        for (int i = 0; i < n; i++) {
            long s = (long) SLEEPERS.getVolatile(this);
            if (s == 0) {
                return;
            }
            long bit = Long.lowestOneBit(s);
            long prev = (long) SLEEPERS.getAndBitwiseAnd(this, ~bit);
            if ((prev & bit) != 0) {
                LockSupport.unpark(threadAt(Long.numberOfTrailingZeros(bit)));
            }
        }
    }

    /** Wakes every sleeping consumer (shutdown, configuration change). */
    public void ringAll() {
        ring(MAX_SLEEPERS);
    }

    /**
     * Parks the calling consumer until rung, unless {@code source} has work; consumer thread only.
     *
     * @param slot value returned by {@link #register()} on this thread
     * @param source re-checked after the sleeper bit is set
     * @param maxParkNs upper bound of the park
     */
    public void sleep(int slot, WorkSource source, long maxParkNs) {
        long bit = 1L << slot;
        SLEEPERS.getAndBitwiseOr(this, bit);
        if (!source.hasWork()) {
            LockSupport.parkNanos(this, maxParkNs);
        }
        SLEEPERS.getAndBitwiseAnd(this, ~bit);
    }

    /**
     * Plain read is enough: the slot was written by {@link #register()} before the sleeper set its
     * bit (a volatile RMW), and the ringer read that bit with a volatile load.
     */
    private Thread threadAt(int slot) {
        return threads[slot];
    }
}
