package io.jwg.wg.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A batch of up to {@code capacity} packets of one peer under one keypair, owned by one thread at a
 * time and handed on by ownership transfer: an ingress stage fills it and enqueues it (peer queue
 * first, crypto queue second), one crypto worker transforms it and publishes its final state, the
 * thread holding the peer's drain claim releases it to a {@link UnitSink}, whose owner recycles it.
 *
 * <p>The packet arrays ({@link #offsets()}, {@link #lengths()}, {@link #counters()}) are written by
 * the ingress stage before the unit is published to the queues and read by the worker after it
 * took the unit from the crypto queue; the queues' release/acquire pairs order those accesses, so
 * the arrays themselves are plain. Only {@link #state()} is read concurrently (by completers peeking
 * a peer's head): it is published with {@link #publish(int)} (a release store) and read with an
 * acquire load.
 *
 * <p>Subclasses (one per direction) add the peer, keypair and per-packet metadata, implement
 * {@link #crypt()} and clear their references in {@link #onRecycle()} so a pooled unit never
 * keeps a dead peer or keypair alive.
 */
public abstract class Unit {
    /** Enqueued, not yet processed by a crypto worker. */
    public static final int UNCRYPTED = 0;
    /** Processed: every packet's outcome is final (for receive, per-packet flags say which opened). */
    public static final int CRYPTED = 1;
    /** Whole unit is to be dropped at release (e.g. crypto queue full, keypair gone). */
    public static final int DEAD = 2;

    private static final VarHandle STATE;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Unit.class, "state", int.class);
            NEXT = lookup.findVarHandle(Unit.class, "next", Unit.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int kind;
    private final int capacity;
    private final int[] slots;
    private final long[] offsets;
    private final int[] lengths;
    private final long[] counters;
    private final UnitPool<? extends Unit> pool;

    @SuppressWarnings("unused") // accessed through STATE
    private int state;
    @SuppressWarnings("unused") // accessed through NEXT
    private Unit next;
    private PeerOrderedQueue<?> queue;
    private int count;

    /**
     * Creates an empty unit.
     *
     * @param kind small index naming the direction or stage family; {@link CryptoWorker} picks the
     *     drain sink by it
     * @param capacity packets per unit (0 only for internal sentinels)
     * @param pool the pool the unit returns to on {@link #recycle()}, or null for an unpooled unit
     */
    protected Unit(int kind, int capacity, UnitPool<? extends Unit> pool) {
        if (kind < 0 || capacity < 0) {
            throw new IllegalArgumentException("kind=" + kind + " capacity=" + capacity);
        }
        this.kind = kind;
        this.capacity = capacity;
        this.slots = new int[capacity];
        java.util.Arrays.fill(slots, -1);
        this.offsets = new long[capacity];
        this.lengths = new int[capacity];
        this.counters = new long[capacity];
        this.pool = pool;
    }

    /**
     * Encrypts or decrypts every packet of the unit in place; called once by the crypto worker that
     * took the unit from the crypto queue.
     *
     * @return {@link #CRYPTED} or {@link #DEAD}, the state to publish
     */
    protected abstract int crypt();

    /** Clears subclass references and per-packet metadata; called by {@link #recycle()}. */
    protected abstract void onRecycle();

    /** Direction/stage family index given at construction. */
    public final int kind() {
        return kind;
    }

    /** Maximum packets in this unit. */
    public final int capacity() {
        return capacity;
    }

    /** Packets currently in the unit. */
    public final int count() {
        return count;
    }

    /** Sets the packet count; owner only, before the unit is enqueued. */
    public final void count(int count) {
        if (count < 0 || count > capacity) {
            throw new IllegalArgumentException("count=" + count + " capacity=" + capacity);
        }
        this.count = count;
    }

    /** Whether no more packets fit. */
    public final boolean isFull() {
        return count == capacity;
    }

    /**
     * Packet-pool slot indices this unit holds, -1 where none; owner only. A unit keeps its slots
     * across recycling: the ingress thread that owns the pool swaps a freshly filled slot in and
     * releases the old one to its pool, so slots return to their single-threaded pool only on the
     * thread that owns it, and the unit pool's lock-free free list is the way back.
     */
    public final int[] slots() {
        return slots;
    }

    /** Per-packet offsets into the packet slab (meaning set by the subclass); owner only. */
    public final long[] offsets() {
        return offsets;
    }

    /** Per-packet lengths; owner only. */
    public final int[] lengths() {
        return lengths;
    }

    /** Per-packet nonce counters; owner only. */
    public final long[] counters() {
        return counters;
    }

    /** The peer queue this unit was enqueued on, or null. */
    public final PeerOrderedQueue<?> queue() {
        return queue;
    }

    final void queue(PeerOrderedQueue<?> queue) {
        this.queue = queue;
    }

    /** Current state with acquire semantics; any thread. */
    public final int state() {
        return (int) STATE.getAcquire(this);
    }

    /**
     * Publishes the final state ({@link #CRYPTED} or {@link #DEAD}) with a release store; called by
     * the worker that processed the unit, or by the ingress stage that gave up on it, strictly
     * before that thread calls {@link PeerOrderedQueue#drain}. The release store makes the crypt
     * results visible to a drainer that reads the state with acquire; a drainer that read the state
     * too early is sent round again by the drain counter, whose atomic add comes after this store
     * (see {@link PeerOrderedQueue}).
     *
     * <p>Publishing gives the unit away: from this store on, a drain running on another thread may
     * release and recycle it, so the caller must read anything it still needs (such as
     * {@link #queue()}) before calling this.
     */
    public final void publish(int finalState) {
        if (finalState != CRYPTED && finalState != DEAD) {
            throw new IllegalArgumentException("finalState=" + finalState);
        }
        STATE.setRelease(this, finalState);
    }

    final Unit nextAcquire() {
        return (Unit) NEXT.getAcquire(this);
    }

    final void nextRelease(Unit n) {
        NEXT.setRelease(this, n);
    }

    final void nextPlain(Unit n) {
        NEXT.set(this, n);
    }

    /**
     * Resets the unit and returns it to its pool; called by whoever owns it last (normally the
     * drain sink after sending/writing). The unit must not be used by the caller afterwards.
     */
    public final void recycle() {
        onRecycle();
        count = 0;
        queue = null;
        NEXT.set(this, (Unit) null);
        STATE.set(this, UNCRYPTED);
        if (pool != null) {
            pool.release(this);
        }
    }
}
