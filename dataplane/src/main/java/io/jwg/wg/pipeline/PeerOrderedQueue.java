package io.jwg.wg.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One peer's ordered queue of units for one direction: many producers enqueue (the ingress stages,
 * each in its own order), and the single consumer at any moment is whichever thread holds the
 * peer's drain claim (a crypto worker that completed a unit, or an ingress stage that killed one);
 * the claim hands each run of consecutive finished units from the head to that thread's
 * {@link UnitSink}, in enqueue order.
 *
 * <p>Structure: an intrusive linked queue through {@link Unit}'s link field (Vyukov's MPSC node
 * queue with a sentinel), so a peer costs two object fields and a sentinel instead of an array, and
 * a unit count bounded by {@code limit}. No allocation, no lock: enqueue is one atomic exchange and
 * one release store; the claim is one atomic add.
 *
 * <p>The claim is a work-in-progress counter rather than a bare flag ({@link #drain}): every
 * completion adds one; the adder that moved it from zero owns the drain, releases every consecutive
 * finished unit, then subtracts what it has seen and drains again while anything was added
 * meanwhile. That is the "claim with a CAS flag, release, re-check the head" scheme of the design
 * with the re-check made exact: a completion that lost the race is always seen by the owner
 * through the counter's read-modify-write chain, so no store-load (Dekker) pair between the
 * unit's state and a flag has to be argued.
 *
 * @param <U> unit type
 */
public final class PeerOrderedQueue<U extends Unit> {
    private static final VarHandle TAIL;
    private static final VarHandle WIP;
    private static final VarHandle COUNT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(PeerOrderedQueue.class, "tail", Unit.class);
            WIP = lookup.findVarHandle(PeerOrderedQueue.class, "wip", int.class);
            COUNT = lookup.findVarHandle(PeerOrderedQueue.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Unit stub = new Sentinel();
    private final int limit;
    /** Oldest linked node (the sentinel or a unit); touched only by the claim owner. */
    private Unit head;
    @SuppressWarnings("unused") // accessed through TAIL
    private Unit tail;
    @SuppressWarnings("unused") // accessed through WIP
    private int wip;
    @SuppressWarnings("unused") // accessed through COUNT
    private int count;

    /**
     * Creates an empty queue.
     *
     * @param limit maximum units queued at once (enqueued and not yet released)
     */
    public PeerOrderedQueue(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit=" + limit);
        }
        this.limit = limit;
        this.head = stub;
        this.tail = stub;
    }

    /**
     * Appends a unit in state {@link Unit#UNCRYPTED}; any producer thread.
     *
     * <p><b>Ordering argument.</b> The caller enqueues here <em>first</em> and only then offers the
     * unit to the shared crypto queue, so the peer queue holds units in the order their nonces (TX)
     * or arrival (RX) were assigned, while workers may finish them in any order. Units leave this
     * queue only from the head and only once the head's state is no longer UNCRYPTED
     * ({@link #drain}), so release order equals enqueue order without a reorder buffer: a finished
     * unit behind an unfinished one simply waits. The exchange on the tail is volatile and the link
     * is a release store, so everything the producer wrote into the unit is visible to the claim
     * owner that reaches it through the link, and also (via the crypto queue's release/acquire
     * pair) to the worker.
     *
     * <p><b>Contract.</b> After a successful enqueue, exactly one thread must publish the unit's
     * final state ({@link Unit#publish}) and then call {@link #drain}: the crypto worker that took
     * it, or - when the crypto queue refused it - the producer itself, after publishing
     * {@link Unit#DEAD}. A unit whose completion never drains could stall the peer's queue.
     *
     * @return false when the queue already holds {@code limit} units (nothing was enqueued; the
     *     caller drops the unit and counts it)
     */
    public boolean enqueue(U unit) {
        if ((int) COUNT.getAndAdd(this, 1) >= limit) {
            COUNT.getAndAdd(this, -1);
            return false;
        }
        unit.queue(this);
        push(unit);
        return true;
    }

    private void push(Unit node) {
        node.nextPlain(null);
        Unit prev = (Unit) TAIL.getAndSet(this, node);
        prev.nextRelease(node);
    }

    /**
     * Releases, in enqueue order, every consecutive unit at the head whose state is final, to
     * {@code sink}; any thread, after publishing a unit's final state.
     *
     * <p>If another thread owns the drain this only records the completion (one atomic add) and
     * returns 0: the owner sees the record before it gives the claim up and drains again. The owner
     * calls {@link UnitSink#flush()} before giving the claim up, so output of different owners
     * never interleaves out of order.
     *
     * @return units released to {@code sink} by this call
     */
    @SuppressWarnings("unchecked")
    public int drain(UnitSink<? super U> sink) {
        if ((int) WIP.getAndAdd(this, 1) != 0) {
            return 0;
        }
        int released = 0;
        int missed = 1;
        for (;;) {
            int pass = 0;
            try {
                for (;;) {
                    Unit h = peekHead();
                    if (h == null || h.state() == Unit.UNCRYPTED || !removeHead(h)) {
                        break;
                    }
                    COUNT.getAndAdd(this, -1);
                    pass++;
                    sink.onReleased((U) h);
                }
                if (pass > 0) {
                    sink.flush();
                }
            } finally {
                released += pass;
                missed = (int) WIP.getAndAdd(this, -missed) - missed;
            }
            if (missed == 0) {
                return released;
            }
        }
    }

    /** Head unit skipping the sentinel, or null when nothing is linked yet; claim owner only. */
    private Unit peekHead() {
        Unit h = head;
        if (h == stub) {
            Unit n = h.nextAcquire();
            if (n == null) {
                return null;
            }
            head = n;
            h = n;
        }
        return h;
    }

    /**
     * Unlinks the head unit {@code h}; claim owner only. Fails (returns false) when a producer has
     * already swung the tail past {@code h} but not yet linked its unit: that producer's unit will
     * be completed and drained later, and that drain removes {@code h} first.
     */
    private boolean removeHead(Unit h) {
        Unit n = h.nextAcquire();
        if (n == null) {
            if (h != (Unit) TAIL.getVolatile(this)) {
                return false;
            }
            push(stub);
            n = h.nextAcquire();
            if (n == null) {
                return false;
            }
        }
        head = n;
        return true;
    }

    /** Units enqueued and not yet released (racy snapshot). */
    public int size() {
        return (int) COUNT.getVolatile(this);
    }

    /** Maximum units queued at once. */
    public int limit() {
        return limit;
    }

    /** Sentinel node of the intrusive queue; never published to workers or sinks. */
    private static final class Sentinel extends Unit {
        Sentinel() {
            super(0, 0, null);
        }

        @Override
        protected int crypt() {
            throw new IllegalStateException("sentinel");
        }

        @Override
        protected void onRecycle() {
            throw new IllegalStateException("sentinel");
        }
    }
}
