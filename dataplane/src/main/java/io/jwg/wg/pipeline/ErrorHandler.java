package io.jwg.wg.pipeline;

/**
 * Receives throwables escaping an agent's work loop; called on the failing agent's thread, so an
 * implementation shared by several runners must be thread-safe. Must not throw.
 */
@FunctionalInterface
public interface ErrorHandler {
    /** Handles one failure of {@code agent}; the runner then continues with the next duty cycle. */
    void onError(Agent agent, Throwable failure);
}
