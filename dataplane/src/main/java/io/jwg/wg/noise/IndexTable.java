package io.jwg.wg.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

/**
 * Receiver-index table: local 32-bit index to handshake or keypair (kernel {@code peerlookup.c}
 * index hashtable). Writers are serialized by the table's monitor ({@code synchronized}); lookups
 * are lock-free and allocation-free and may run on any thread, concurrently with writers.
 *
 * <p>Layout: open addressing with linear probing over an {@code Object[]} of entries. An entry
 * carries its own index, so a reader needs one acquire load per probe and no separate key array
 * that could be observed out of step with the value. Removed slots become a tombstone; the table
 * is rebuilt into a fresh array (published with a volatile store) when tombstones or load grow,
 * so a reader holding the old array sees a consistent, possibly stale, snapshot: a just-removed
 * entry may still be found for a moment, which callers tolerate by checking the entry's validity
 * (as with the kernel's RCU).
 *
 * <p>Indices are drawn from the injected random generator until an unused one is found, so they
 * reveal nothing about the number of peers or sessions, and never collide.
 *
 * @param <E> entry type
 */
public final class IndexTable<E extends IndexTable.Entry> {
    /** Something findable by its local index. */
    public interface Entry {
        /** The local index this entry is registered under; constant for the entry's life. */
        int localIndex();
    }

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final Object TOMBSTONE = new Object();
    private static final int MIN_CAPACITY = 64;

    private final RandomGenerator random;
    private volatile Object[] table = new Object[MIN_CAPACITY];
    private int size;
    private int tombstones;

    /**
     * @param random source of indices; must be thread-safe if other threads use it concurrently
     *               ({@link java.security.SecureRandom} and {@link java.util.Random} are)
     */
    public IndexTable(final RandomGenerator random) {
        this.random = random;
    }

    private static int hash(final int index) {
        int h = index * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The entry registered under {@code index}, or null. Lock-free. */
    @SuppressWarnings("unchecked")
    public E lookup(final int index) {
        final Object[] t = table;
        final int mask = t.length - 1;
        int i = hash(index) & mask;
        while (true) {
            final Object o = SLOTS.getAcquire(t, i);
            if (o == null) {
                return null;
            }
            if (o != TOMBSTONE && ((Entry) o).localIndex() == index) {
                return (E) o;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Picks a fresh random index not in use, builds the entry with {@code factory} (which must
     * return an entry whose {@code localIndex()} is the given index) and registers it.
     */
    public synchronized E insertNew(final IntFunction<E> factory) {
        int index;
        do {
            index = random.nextInt();
        } while (lookup(index) != null);
        final E e = factory.apply(index);
        if (e.localIndex() != index) {
            throw new IllegalArgumentException("factory returned an entry with a different index");
        }
        put(e);
        return e;
    }

    /**
     * Replaces {@code old} by {@code replacement}, which must have the same index (the kernel hands
     * a handshake's index over to the keypair derived from it).
     *
     * @return false if {@code old} was not registered (nothing changed)
     */
    public synchronized boolean replace(final E old, final E replacement) {
        if (old.localIndex() != replacement.localIndex()) {
            throw new IllegalArgumentException("replacement must keep the index");
        }
        final Object[] t = table;
        final int slot = find(t, old);
        if (slot < 0) {
            return false;
        }
        SLOTS.setRelease(t, slot, replacement);
        return true;
    }

    /**
     * Removes {@code entry} (by identity).
     *
     * @return false if it was not registered
     */
    public synchronized boolean remove(final E entry) {
        final Object[] t = table;
        final int slot = find(t, entry);
        if (slot < 0) {
            return false;
        }
        SLOTS.setRelease(t, slot, TOMBSTONE);
        size--;
        tombstones++;
        if (tombstones > t.length / 4) {
            rebuild(t.length);
        }
        return true;
    }

    /** Number of registered entries. */
    public synchronized int size() {
        return size;
    }

    private static int find(final Object[] t, final Entry e) {
        final int mask = t.length - 1;
        int i = hash(e.localIndex()) & mask;
        while (true) {
            final Object o = t[i];
            if (o == null) {
                return -1;
            }
            if (o == e) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private void put(final E e) {
        if ((size + tombstones + 1) * 2 > table.length) {
            rebuild(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size + 1) * 4 - 1) << 1));
        }
        final Object[] t = table;
        final int mask = t.length - 1;
        int i = hash(e.localIndex()) & mask;
        while (t[i] != null && t[i] != TOMBSTONE) {
            i = (i + 1) & mask;
        }
        if (t[i] == TOMBSTONE) {
            tombstones--;
        }
        SLOTS.setRelease(t, i, e);
        size++;
    }

    private void rebuild(final int capacity) {
        final Object[] old = table;
        final Object[] t = new Object[capacity];
        final int mask = capacity - 1;
        for (final Object o : old) {
            if (o != null && o != TOMBSTONE) {
                int i = hash(((Entry) o).localIndex()) & mask;
                while (t[i] != null) {
                    i = (i + 1) & mask;
                }
                t[i] = o;
            }
        }
        tombstones = 0;
        table = t;
    }
}
