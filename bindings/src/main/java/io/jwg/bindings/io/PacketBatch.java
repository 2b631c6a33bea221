package io.jwg.bindings.io;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Owner thread only: a batch of IP packets in {@link PacketPool} slots, filled by {@link TunIo#read} and
 * drained by {@link TunIo#write}. Per entry: slot, offset and length of the packet, flags, last write result.
 * With a vnet-header device the {@code TunDevice.vnetHeaderSize()} bytes right before {@link #offset(int)}
 * hold the entry's {@code virtio_net_hdr} (read: as the kernel wrote it; write: as the caller left it, all
 * zero meaning a plain packet).
 * <p>Ownership: the batch owns its entries' slots; {@link #clear()} returns them to the pool,
 * {@link #detach(int)} hands one to the caller. Nothing allocates after construction.
 */
public final class PacketBatch {

    /** The packet was longer than the buffer: {@link #length(int)} bytes were kept. */
    public static final int FLAG_TRUNCATED = 1;

    private final PacketPool pool;
    private final int capacity;
    private final int[] slot;
    private final long[] offset;
    private final int[] length;
    private final int[] flags;
    private final int[] result;
    private int count;
    private int truncated;

    /** A batch of at most {@code capacity} packets in slots of {@code pool}. */
    public PacketBatch(final PacketPool pool, final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.pool = pool;
        this.capacity = capacity;
        this.slot = new int[capacity];
        this.offset = new long[capacity];
        this.length = new int[capacity];
        this.flags = new int[capacity];
        this.result = new int[capacity];
        Arrays.fill(slot, -1);
    }

    /** {@return the pool whose slots this batch holds} */
    public PacketPool pool() {
        return pool;
    }

    /** {@return the pool's slab} */
    public MemorySegment memory() {
        return pool.memory();
    }

    /** {@return maximum number of entries} */
    public int capacity() {
        return capacity;
    }

    /** {@return number of entries} */
    public int count() {
        return count;
    }

    /** {@return whether no more entries fit} */
    public boolean isFull() {
        return count == capacity;
    }

    /** {@return entries flagged {@link #FLAG_TRUNCATED} since the last {@link #clear()}} */
    public int truncatedCount() {
        return truncated;
    }

    /**
     * Appends a packet to write: {@code length} bytes at {@code offset} of {@link #memory()} in {@code slot}
     * (owned by the batch from now on; -1 for bytes the batch must not release). {@return its index}
     */
    public int add(final int slot, final long offset, final int length) {
        if (count == capacity) {
            throw new IllegalStateException("batch full: " + capacity);
        }
        int i = count++;
        set(i, slot, offset, length, 0);
        return i;
    }

    /** {@return the slot of entry {@code i}, -1 once detached} */
    public int slot(final int i) {
        return slot[i];
    }

    /** {@return byte offset of entry {@code i}'s packet in {@link #memory()}} */
    public long offset(final int i) {
        return offset[i];
    }

    /** {@return packet length of entry {@code i} (without the vnet header)} */
    public int length(final int i) {
        return length[i];
    }

    /** {@return FLAG_* bits of entry {@code i}} */
    public int flags(final int i) {
        return flags[i];
    }

    /** {@return whether entry {@code i} was cut to the buffer size} */
    public boolean isTruncated(final int i) {
        return (flags[i] & FLAG_TRUNCATED) != 0;
    }

    /** {@return result of the last write of entry {@code i}: bytes written or -errno} */
    public int result(final int i) {
        return result[i];
    }

    /** Sets entry {@code i}'s packet length. */
    public void setLength(final int i, final int len) {
        length[i] = len;
    }

    /** Sets entry {@code i}'s packet offset. */
    public void setOffset(final int i, final long off) {
        offset[i] = off;
    }

    /** Hands entry {@code i}'s slot to the caller; {@link #clear()} will not release it. {@return the slot} */
    public int detach(final int i) {
        int s = slot[i];
        slot[i] = -1;
        return s;
    }

    /** Returns every entry's slot to the pool and empties the batch. */
    public void clear() {
        for (int i = 0; i < count; i++) {
            if (slot[i] >= 0) {
                pool.release(slot[i]);
                slot[i] = -1;
            }
        }
        count = 0;
        truncated = 0;
    }

    void set(final int i, final int s, final long off, final int len, final int f) {
        slot[i] = s;
        offset[i] = off;
        length[i] = len;
        flags[i] = f;
        result[i] = 0;
        if ((f & FLAG_TRUNCATED) != 0) {
            truncated++;
        }
    }

    void setResult(final int i, final int r) {
        result[i] = r;
    }

    void setCount(final int n) {
        count = n;
    }

    @Override
    public String toString() {
        return "PacketBatch{count=" + count + "/" + capacity + ", truncated=" + truncated + "}";
    }
}
