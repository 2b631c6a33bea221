// Hand-written.
package io.jwg.bindings.uring;

import io.jwg.bindings.libc.NativeIoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Owner thread only: a provided-buffer ring (IORING_REGISTER_PBUF_RING) of {@link #entries()} buffer
 * descriptors from which the kernel picks a buffer per completion ({@code IOSQE_BUFFER_SELECT}, buffer
 * group {@link #groupId()}); the CQE's upper 16 flag bits name it by the id given to {@link #add}.
 * <p>Mimics liburing's {@code io_uring_buf_ring_add} / {@code io_uring_buf_ring_advance}: descriptors are
 * written with plain stores, then the 16-bit tail (overlaid on the first descriptor's {@code resv}) is
 * published with a release store. The kernel only reads this memory, so no acquire is needed.
 */
public final class BufRing implements AutoCloseable {

    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();
    private static final long BUF_SIZE = io_uring_buf.sizeof();

    private final Ring ring;
    private final Arena arena;
    private final MemorySegment kBufs;
    private final int entries;
    private final int mask;
    private final int groupId;
    private int tail;
    private boolean registered;

    /** Registers a ring of {@code entries} (power of two, <= 32768) descriptors as buffer group {@code groupId}. */
    public BufRing(final Ring ring, final int entries, final int groupId) throws NativeIoException {
        if (entries < 1 || entries > 32768 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two <= 32768: " + entries);
        }
        this.ring = ring;
        this.entries = entries;
        this.mask = entries - 1;
        this.groupId = groupId;
        this.arena = Arena.ofShared();
        this.kBufs = arena.allocate(BUF_SIZE * entries, 4096);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = io_uring_buf_reg.allocate(a);
            io_uring_buf_reg.ring_addr(reg, kBufs.address());
            io_uring_buf_reg.ring_entries(reg, entries);
            io_uring_buf_reg.bgid(reg, (short) groupId);
            int r = ring.register(io_uring_h.IORING_REGISTER_PBUF_RING, reg, 1);
            if (r < 0) {
                arena.close();
                throw new NativeIoException("IORING_REGISTER_PBUF_RING", -r);
            }
        }
        this.registered = true;
    }

    /** {@return number of descriptors} */
    public int entries() {
        return entries;
    }

    /** {@return the buffer group id to put in SQEs} */
    public int groupId() {
        return groupId;
    }

    /**
     * Writes descriptor {@code tail + index}: buffer of {@code len} bytes at {@code address}, known to the
     * kernel as {@code bufferId}. Not visible to the kernel until {@link #advance(int)}.
     */
    public void add(final long address, final int len, final int bufferId, final int index) {
        long d = ((tail + index) & mask) * BUF_SIZE;
        kBufs.set(ValueLayout.JAVA_LONG, d + io_uring_buf.addr$OFFSET, address);
        kBufs.set(ValueLayout.JAVA_INT, d + io_uring_buf.len$OFFSET, len);
        kBufs.set(ValueLayout.JAVA_SHORT, d + io_uring_buf.bid$OFFSET, (short) bufferId);
    }

    /** Publishes {@code count} added descriptors: release store of the 16-bit tail. */
    public void advance(final int count) {
        tail += count;
        SHORT.setRelease(kBufs, io_uring_buf_ring.tail$OFFSET, (short) tail);
    }

    /** Unregisters the group (the ring must not use it any more) and frees the descriptors. Idempotent. */
    @Override
    public void close() {
        if (!registered) {
            return;
        }
        registered = false;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = io_uring_buf_reg.allocate(a);
            io_uring_buf_reg.bgid(reg, (short) groupId);
            ring.register(io_uring_h.IORING_UNREGISTER_PBUF_RING, reg, 1);
        }
        arena.close();
    }
}
