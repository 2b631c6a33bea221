package io.jwg.wg.pipeline;

import java.util.function.Function;

/**
 * Fixed set of preallocated units shared by many threads: ingress stages acquire, whoever releases
 * a unit last (normally a drain sink) returns it via {@link Unit#recycle()}. Lock-free (a
 * {@link ManyToManyArrayQueue} free list); an empty pool is a bounded-memory drop point, never a
 * reason to allocate.
 *
 * @param <U> unit type
 */
public final class UnitPool<U extends Unit> {
    private final ManyToManyArrayQueue<U> free;
    private final int size;

    /**
     * Creates {@code size} units with {@code factory} (which must pass this pool to the unit's
     * constructor) and puts them all in the free list.
     */
    public UnitPool(int size, Function<UnitPool<U>, U> factory) {
        if (size < 1) {
            throw new IllegalArgumentException("size=" + size);
        }
        this.size = size;
        this.free = new ManyToManyArrayQueue<>(Math.max(2, size));
        for (int i = 0; i < size; i++) {
            U u = factory.apply(this);
            if (!free.offer(u)) {
                throw new IllegalStateException("pool free list too small: size=" + size);
            }
        }
    }

    /** A free unit (count 0, state UNCRYPTED), or null when all are in use; any thread. */
    public U acquire() {
        return free.poll();
    }

    /** Number of units created. */
    public int size() {
        return size;
    }

    /** Number of free units (racy snapshot). */
    public int available() {
        return free.size();
    }

    @SuppressWarnings("unchecked")
    void release(Unit unit) {
        if (!free.offer((U) unit)) {
            throw new IllegalStateException("unit returned twice or to the wrong pool");
        }
    }
}
