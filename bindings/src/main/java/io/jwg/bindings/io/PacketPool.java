package io.jwg.bindings.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Owner thread only: a slab of off-heap packet buffers, one native segment carved into
 * {@link #slotCount()} fixed slots of {@link #slotSize()} bytes, with a free-list of slot indices.
 * No allocation after construction; {@link #acquire()} and {@link #release(int)} are O(1).
 * <p>Slots start at multiples of {@link #slotStride()} (a multiple of 64 bytes) from a page-aligned base,
 * so the whole slab can be registered with io_uring as one fixed buffer. A slot index is what moves
 * between owners (batches, rings, queues); the bytes never move.
 * <p>Releasing a slot that is already free is a programmer error and throws; every other misuse of a slot
 * index too. The memory itself is readable and writable from any thread (a shared arena): only the
 * free-list is single-threaded.
 */
public final class PacketPool implements AutoCloseable {

    private static final int CACHE_LINE = 64;
    private static final int PAGE = 4096;

    private final Arena arena;
    private final MemorySegment memory;
    private final long address;
    private final int slotCount;
    private final int slotSize;
    private final int slotStride;
    private final int[] free;
    private final boolean[] isFree;
    private int freeCount;

    /**
     * Allocates {@code slotCount * roundUp(slotSize, 64)} bytes, page-aligned, zeroed.
     *
     * @param slotCount number of slots, 1..65536 (slot indices double as io_uring buffer ids)
     * @param slotSize usable bytes per slot, >= 1
     */
    public PacketPool(final int slotCount, final int slotSize) {
        if (slotCount < 1 || slotCount > 65536) {
            throw new IllegalArgumentException("slotCount must be in 1..65536: " + slotCount);
        }
        if (slotSize < 1) {
            throw new IllegalArgumentException("slotSize must be positive: " + slotSize);
        }
        this.slotCount = slotCount;
        this.slotSize = slotSize;
        this.slotStride = (slotSize + CACHE_LINE - 1) & -CACHE_LINE;
        this.arena = Arena.ofShared();
        this.memory = arena.allocate((long) slotStride * slotCount, PAGE);
        this.address = memory.address();
        this.free = new int[slotCount];
        this.isFree = new boolean[slotCount];
        for (int i = 0; i < slotCount; i++) {
            free[i] = slotCount - 1 - i; // pop order 0, 1, 2, ...
            isFree[i] = true;
        }
        this.freeCount = slotCount;
    }

    /** {@return the whole slab; slot {@code s} is at {@link #slotOffset(int)}} */
    public MemorySegment memory() {
        return memory;
    }

    /** {@return the native address of the slab's first byte} */
    public long address() {
        return address;
    }

    /** {@return number of slots} */
    public int slotCount() {
        return slotCount;
    }

    /** {@return usable bytes per slot} */
    public int slotSize() {
        return slotSize;
    }

    /** {@return distance in bytes between consecutive slots (slotSize rounded up to 64)} */
    public int slotStride() {
        return slotStride;
    }

    /** {@return byte offset of {@code slot} in {@link #memory()}} */
    public long slotOffset(final int slot) {
        return (long) slot * slotStride;
    }

    /** {@return native address of {@code slot}} */
    public long slotAddress(final int slot) {
        return address + (long) slot * slotStride;
    }

    /** {@return the slot containing byte {@code offset} of {@link #memory()}} */
    public int slotOf(final long offset) {
        return (int) (offset / slotStride);
    }

    /** {@return a free slot index, now owned by the caller, or -1 when the pool is exhausted} */
    public int acquire() {
        if (freeCount == 0) {
            return -1;
        }
        int slot = free[--freeCount];
        isFree[slot] = false;
        return slot;
    }

    /** Returns {@code slot} to the pool. Throws if it is not a slot of this pool or already free. */
    public void release(final int slot) {
        if (slot < 0 || slot >= slotCount) {
            throw new IllegalArgumentException("not a slot of this pool: " + slot);
        }
        if (isFree[slot]) {
            throw new IllegalStateException("slot released twice: " + slot);
        }
        isFree[slot] = true;
        free[freeCount++] = slot;
    }

    /** {@return whether {@code slot} is currently in the free-list} */
    public boolean isFree(final int slot) {
        return isFree[slot];
    }

    /** {@return number of free slots} */
    public int available() {
        return freeCount;
    }

    /** Frees the slab. Every segment and address obtained from this pool becomes invalid. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "PacketPool{slots=" + slotCount + ", slotSize=" + slotSize + ", free=" + freeCount + "}";
    }
}
