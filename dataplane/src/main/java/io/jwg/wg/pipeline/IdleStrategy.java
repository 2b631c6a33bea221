package io.jwg.wg.pipeline;

/**
 * How an agent thread waits when it found no work; owner thread only (each runner has its own
 * instance, since implementations keep backoff state).
 *
 * <p>Calling pattern, as in Agrona: {@code idle(agent.doWork())} in a loop. A work count above zero
 * resets the backoff; zero advances it. Implementations that park may return early (spurious wake,
 * unpark on new work or shutdown); callers must not rely on the duration.
 */
public interface IdleStrategy {
    /** Idles if {@code workCount} is 0, else resets the backoff. */
    void idle(int workCount);

    /** Advances the backoff one step unconditionally. */
    void idle();

    /** Resets the backoff to its first step. */
    void reset();
}
