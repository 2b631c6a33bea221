package io.jwg.wg.pipeline;

import java.util.Arrays;

/**
 * Several agents run in turn on one thread (the thread of the runner that owns the composite), so a
 * small machine can host all roles on fewer threads without changing agent code.
 */
public final class CompositeAgent implements Agent {
    private final Agent[] agents;
    private final String roleName;

    /** Composes {@code agents}, run in the given order every duty cycle. */
    public CompositeAgent(Agent... agents) {
        if (agents.length == 0) {
            throw new IllegalArgumentException("no agents");
        }
        this.agents = agents.clone();
        StringBuilder b = new StringBuilder();
        for (Agent a : this.agents) {
            b.append(b.length() == 0 ? "" : "+").append(a.roleName());
        }
        this.roleName = b.toString();
    }

    @Override
    public void onStart() {
        for (Agent a : agents) {
            a.onStart();
        }
    }

    @Override
    public int doWork() {
        int work = 0;
        for (Agent a : agents) {
            work += a.doWork();
        }
        return work;
    }

    @Override
    public void onClose() {
        RuntimeException first = null;
        for (Agent a : agents) {
            try {
                a.onClose();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String roleName() {
        return roleName;
    }

    @Override
    public String toString() {
        return "CompositeAgent" + Arrays.toString(agents);
    }
}
