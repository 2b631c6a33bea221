package io.jwg.wg.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Bounded lock-free queue for many producers and many consumers (any thread may offer, any thread
 * may poll); used as the device-wide crypto queue between the ingress stages and the crypto
 * workers, and as the free list of {@link UnitPool}.
 *
 * <p>Dmitry Vyukov's bounded MPMC array queue: every cell carries a sequence number. A producer
 * at position {@code p} may write cell {@code p & mask} when its sequence equals {@code p}, claims
 * the position with a CAS on the tail, writes the element and publishes it with a release store
 * of sequence {@code p + 1}. A consumer at position {@code c} may read when the sequence equals
 * {@code c + 1}, claims with a CAS on the head, reads and frees the cell with a release store of
 * {@code c + capacity}. A sequence behind the claimant's position means full (producer) or empty
 * (consumer). No allocation; {@code offer} of a full queue and {@code poll} of an empty one fail
 * at once (the caller drops and counts).
 *
 * <p>Head and tail sit on their own cache lines (class-hierarchy padding, 128 bytes each side so
 * the adjacent-line prefetcher does not pair them).
 *
 * @param <E> element type
 */
public final class ManyToManyArrayQueue<E> extends MmaqPad2 {
    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle BUF = MethodHandles.arrayElementVarHandle(Object[].class);

    private final int mask;
    private final long[] sequences;
    private final Object[] buffer;

    /**
     * Creates a queue holding at least {@code requestedCapacity} elements (rounded up to a power of
     * two).
     *
     * @param requestedCapacity at least 2, at most 2^30
     */
    public ManyToManyArrayQueue(int requestedCapacity) {
        if (requestedCapacity < 2 || requestedCapacity > (1 << 30)) {
            throw new IllegalArgumentException("capacity out of range: requestedCapacity=" + requestedCapacity);
        }
        int capacity = Integer.highestOneBit(requestedCapacity - 1) << 1;
        mask = capacity - 1;
        sequences = new long[capacity];
        buffer = new Object[capacity];
        for (int i = 0; i < capacity; i++) {
            sequences[i] = i;
        }
    }

    /** Number of cells (a power of two). */
    public int capacity() {
        return mask + 1;
    }

    /**
     * Appends an element; any thread.
     *
     * @param e not null
     * @return false when the queue is full (nothing was added)
     */
    public boolean offer(E e) {
        if (e == null) {
            throw new NullPointerException("e");
        }
        final long[] seqs = sequences;
        final int m = mask;
        long pos = (long) TAIL.getOpaque(this);
        int index;
        for (;;) {
            index = (int) pos & m;
            long seq = (long) SEQ.getAcquire(seqs, index);
            long dif = seq - pos;
            if (dif == 0) {
                if (TAIL.weakCompareAndSet(this, pos, pos + 1)) {
                    break;
                }
                pos = (long) TAIL.getOpaque(this);
            } else if (dif < 0) {
                return false;
            } else {
                pos = (long) TAIL.getOpaque(this);
            }
        }
        BUF.set(buffer, index, e);
        SEQ.setRelease(seqs, index, pos + 1);
        return true;
    }

    /**
     * Removes the oldest element; any thread.
     *
     * @return the element, or null when the queue is empty (or the oldest offer is still being
     *     written by its producer)
     */
    @SuppressWarnings("unchecked")
    public E poll() {
        final long[] seqs = sequences;
        final int m = mask;
        long pos = (long) HEAD.getOpaque(this);
        int index;
        for (;;) {
            index = (int) pos & m;
            long seq = (long) SEQ.getAcquire(seqs, index);
            long dif = seq - (pos + 1);
            if (dif == 0) {
                if (HEAD.weakCompareAndSet(this, pos, pos + 1)) {
                    break;
                }
                pos = (long) HEAD.getOpaque(this);
            } else if (dif < 0) {
                return null;
            } else {
                pos = (long) HEAD.getOpaque(this);
            }
        }
        Object e = BUF.get(buffer, index);
        BUF.set(buffer, index, null);
        SEQ.setRelease(seqs, index, pos + m + 1);
        return (E) e;
    }

    /** Whether the queue looked empty at the moment of the call (racy snapshot); any thread. */
    public boolean isEmpty() {
        return (long) HEAD.getVolatile(this) >= (long) TAIL.getVolatile(this);
    }

    /** Number of elements at the moment of the call (racy snapshot, clamped to 0..capacity). */
    public int size() {
        long head = (long) HEAD.getVolatile(this);
        long tail = (long) TAIL.getVolatile(this);
        long n = tail - head;
        return (int) Math.max(0, Math.min(n, mask + 1L));
    }
}

/** Padding before the head: keeps the head off the cache lines of the object header. */
abstract class MmaqPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** Consumer position (next position to poll), written by consumers with CAS. */
abstract class MmaqHead extends MmaqPad0 {
    static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(MmaqHead.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile long head;
}

/** Padding between head and tail. */
abstract class MmaqPad1 extends MmaqHead {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;
}

/** Producer position (next position to offer), written by producers with CAS. */
abstract class MmaqTail extends MmaqPad1 {
    static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(MmaqTail.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile long tail;
}

/** Padding after the tail: keeps the read-only fields of the queue off the tail's lines. */
abstract class MmaqPad2 extends MmaqTail {
    long p32, p33, p34, p35, p36, p37, p38, p39, p40, p41, p42, p43, p44, p45, p46, p47;
}
