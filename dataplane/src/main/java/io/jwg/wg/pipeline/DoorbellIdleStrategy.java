package io.jwg.wg.pipeline;

/**
 * Spin, then yield, then sleep on a {@link Doorbell} until a producer rings; owner thread only (one
 * instance per consumer thread, registered with the doorbell on first use).
 *
 * <p>Used by crypto and handshake workers: a busy device keeps them spinning briefly between
 * batches, an idle one parks them at no CPU cost, and new work wakes one in microseconds instead of
 * a poll period.
 */
public final class DoorbellIdleStrategy implements IdleStrategy {
    private final Doorbell doorbell;
    private final WorkSource source;
    private final int maxSpins;
    private final int maxYields;
    private final long maxParkNs;
    private int slot = -1;
    private int spins;
    private int yields;

    /**
     * Creates a strategy for one consumer thread.
     *
     * @param doorbell rung by the producers of {@code source}
     * @param source re-checked before parking
     * @param maxSpins busy-spin steps before yielding
     * @param maxYields yield steps before parking
     * @param maxParkNs upper bound of one park (safety net; wake-ups normally come from the bell)
     */
    public DoorbellIdleStrategy(Doorbell doorbell, WorkSource source, int maxSpins, int maxYields, long maxParkNs) {
        if (maxSpins < 0 || maxYields < 0 || maxParkNs < 1) {
            throw new IllegalArgumentException("maxSpins=" + maxSpins + " maxYields=" + maxYields
                + " maxParkNs=" + maxParkNs);
        }
        this.doorbell = doorbell;
        this.source = source;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.maxParkNs = maxParkNs;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            Thread.yield();
        } else {
            if (slot < 0) {
                slot = doorbell.register();
            }
            doorbell.sleep(slot, source, maxParkNs);
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
    }
}
