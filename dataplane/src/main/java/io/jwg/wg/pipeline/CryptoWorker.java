package io.jwg.wg.pipeline;

/**
 * Crypto worker agent: one of N parallel consumers of the shared crypto queue (producers are the
 * ingress stages); for each unit it runs {@link Unit#crypt()}, publishes the final state, and then
 * tries to drain the unit's peer queue into this worker's own {@link UnitSink} for the unit's kind.
 *
 * <p>So the thread that completes the unit at the head of a peer's queue also performs that peer's
 * ordered release (design.md, Outbound step 5): no hand-off to a per-peer sender thread, and no
 * reorder buffer. The sinks belong to this worker (each owns its own output batch), which is why a
 * worker is bound to one thread.
 */
public final class CryptoWorker implements Agent {
    private final String roleName;
    private final ManyToManyArrayQueue<Unit> queue;
    private final UnitSink<Unit>[] sinksByKind;
    private final int batchLimit;
    private long unitsProcessed;

    /**
     * Creates a worker.
     *
     * @param roleName thread name
     * @param queue the shared crypto queue
     * @param sinksByKind this worker's sink for each {@link Unit#kind()}; owned by this worker
     * @param batchLimit units processed per {@link #doWork()} at most
     */
    @SafeVarargs
    public CryptoWorker(String roleName, ManyToManyArrayQueue<Unit> queue, int batchLimit,
                        UnitSink<? extends Unit>... sinksByKind) {
        if (batchLimit < 1 || sinksByKind.length == 0) {
            throw new IllegalArgumentException("batchLimit=" + batchLimit + " sinks=" + sinksByKind.length);
        }
        this.roleName = roleName;
        this.queue = queue;
        this.batchLimit = batchLimit;
        @SuppressWarnings("unchecked")
        UnitSink<Unit>[] sinks = (UnitSink<Unit>[]) sinksByKind.clone();
        this.sinksByKind = sinks;
    }

    @Override
    public int doWork() {
        final ManyToManyArrayQueue<Unit> q = queue;
        final int limit = batchLimit;
        int work = 0;
        while (work < limit) {
            Unit u = q.poll();
            if (u == null) {
                break;
            }
            process(u, sinksByKind[u.kind()]);
            work++;
        }
        unitsProcessed += work;
        return work;
    }

    /**
     * Crypts one unit, publishes its state and drains its peer queue into {@code sink}; also used by
     * a stage that processes a unit inline. The unit must have been enqueued on its peer queue.
     */
    @SuppressWarnings("unchecked")
    public static void process(Unit u, UnitSink<Unit> sink) {
        // Read the queue before publishing: once the state is final another thread's drain may
        // release and recycle the unit at any moment, so after publish() the unit is not ours.
        final PeerOrderedQueue<Unit> q = (PeerOrderedQueue<Unit>) u.queue();
        int state;
        try {
            state = u.crypt();
        } catch (RuntimeException e) {
            // A bug must not wedge the peer's queue: the unit still gets a final state and a drain.
            u.publish(Unit.DEAD);
            q.drain(sink);
            throw e;
        }
        u.publish(state);
        q.drain(sink);
    }

    /** Units this worker has taken from the queue; owner thread only (or racy read for stats). */
    public long unitsProcessed() {
        return unitsProcessed;
    }

    @Override
    public String roleName() {
        return roleName;
    }
}
