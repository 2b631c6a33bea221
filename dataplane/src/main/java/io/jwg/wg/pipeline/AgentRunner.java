package io.jwg.wg.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one {@link Agent} on one thread: created and closed by the device's owner thread, the loop
 * itself runs only on the runner's thread ({@code onStart}, then {@code idle(doWork())} until
 * closed, then {@code onClose}).
 *
 * <p>Every throwable from {@code doWork} goes to the {@link ErrorHandler} and the loop continues, so a
 * bug on one packet cannot kill a data-path thread; {@link #errors()} counts them.
 */
public final class AgentRunner implements Runnable, AutoCloseable {
    private static final VarHandle ERRORS;

    static {
        try {
            ERRORS = MethodHandles.lookup().findVarHandle(AgentRunner.class, "errorCount", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Agent agent;
    private final IdleStrategy idleStrategy;
    private final ErrorHandler errorHandler;
    private volatile boolean running = true;
    private volatile Thread thread;
    @SuppressWarnings("unused") // accessed through ERRORS
    private volatile long errorCount;

    /** Creates a runner; nothing runs until {@link #start()} (or {@link #run()} on a chosen thread). */
    public AgentRunner(Agent agent, IdleStrategy idleStrategy, ErrorHandler errorHandler) {
        this.agent = agent;
        this.idleStrategy = idleStrategy;
        this.errorHandler = errorHandler;
    }

    /** Starts a new platform thread named after the agent's role and returns it. */
    public Thread start() {
        Thread t = new Thread(this, agent.roleName());
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            if (!running) {
                return;
            }
            try {
                agent.onStart();
            } catch (Throwable t) {
                fail(t);
                return;
            }
            final Agent a = agent;
            final IdleStrategy idle = idleStrategy;
            while (running) {
                try {
                    idle.idle(a.doWork());
                } catch (Throwable t) {
                    fail(t);
                }
            }
        } finally {
            try {
                agent.onClose();
            } catch (Throwable t) {
                fail(t);
            }
            thread = null;
        }
    }

    private void fail(Throwable t) {
        ERRORS.getAndAdd(this, 1L);
        try {
            errorHandler.onError(agent, t);
        } catch (Throwable ignored) {
            // The handler must not throw; nothing more can be done about it here.
        }
    }

    /** Throwables caught from the agent so far. */
    public long errors() {
        return (long) ERRORS.getVolatile(this);
    }

    /** The agent this runner drives. */
    public Agent agent() {
        return agent;
    }

    /** Whether the loop has not been told to stop. */
    public boolean isRunning() {
        return running;
    }

    /**
     * Stops the loop and waits (up to 5 s) for the thread to finish; any thread except the
     * runner's own. Unparks the thread so a parked idle strategy notices at once.
     */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.isAlive() && deadlineNs - System.nanoTime() > 0) {
            LockSupport.unpark(t);
            try {
                t.join(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
