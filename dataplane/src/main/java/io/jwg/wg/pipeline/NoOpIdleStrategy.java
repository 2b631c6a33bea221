package io.jwg.wg.pipeline;

/**
 * Does not idle; for agents whose {@code doWork()} already waits in a system call with a timeout
 * (TUN reader, UDP receivers), so their wait is the kernel's, not a park. Stateless, shareable.
 */
public final class NoOpIdleStrategy implements IdleStrategy {
    /** The shared instance. */
    public static final NoOpIdleStrategy INSTANCE = new NoOpIdleStrategy();

    private NoOpIdleStrategy() {
    }

    @Override
    public void idle(final int workCount) {
    }

    @Override
    public void idle() {
    }

    @Override
    public void reset() {
    }
}
