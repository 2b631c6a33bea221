package io.jwg.wg.pipeline;

/**
 * One role's work loop body, run by exactly one thread at a time (an {@link AgentRunner}, possibly
 * as part of a {@link CompositeAgent}); mirrors Agrona's {@code Agent} so agents compose onto
 * threads without changing their code.
 */
public interface Agent {
    /** Called once on the agent's thread before the first {@link #doWork()}. */
    default void onStart() {
    }

    /**
     * Does one bounded slice of work: read the clock once, drain commands up to a limit, process at
     * most one batch.
     *
     * @return amount of work done (0 means idle; the runner's {@link IdleStrategy} then backs off)
     */
    int doWork();

    /** Called once on the agent's thread after the last {@link #doWork()}, also after failure. */
    default void onClose() {
    }

    /** Role name, used as the thread name. */
    String roleName();
}
