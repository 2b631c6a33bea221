package io.jwg.bindings.io;

import io.jwg.bindings.libc.in6_addr;
import io.jwg.bindings.libc.in_addr;
import io.jwg.bindings.libc.sockaddr_in;
import io.jwg.bindings.libc.sockaddr_in6;
import io.jwg.bindings.libc.socket_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Owner thread only: a batch of UDP datagrams whose bytes live in {@link PacketPool} slots. A receiver
 * ({@link UdpBatchIo#receive}) appends entries; a sender ({@link UdpBatchIo#send}) drains them. Per entry:
 * slot, data offset and length, flags ({@link #FLAG_TRUNCATED}...), UDP GSO/GRO segment size, the remote
 * address (IPv4 or IPv6 + port, kept as a native {@code sockaddr_in}/{@code sockaddr_in6} so the kernel reads
 * and writes it in place), the local address and interface from {@code IP_PKTINFO}/{@code IPV6_PKTINFO},
 * and the last send result.
 * <p>Ownership: the batch owns the slots of its entries. {@link #clear()} returns them to the pool;
 * {@link #detach(int)} hands one to the caller. Nothing allocates after construction.
 */
public final class DatagramBatch {

    /** The datagram was longer than the buffer: {@link #length(int)} bytes were kept (MSG_TRUNC). */
    public static final int FLAG_TRUNCATED = 1;
    /** Some ancillary data did not fit (MSG_CTRUNC): the local address may be missing. */
    public static final int FLAG_CONTROL_TRUNCATED = 2;

    /** Bytes of native address metadata per entry: remote sockaddr at 0, local address at 32. */
    static final int META_STRIDE = 64;
    static final int LOCAL_ADDR = 32;

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long V4_ADDR = sockaddr_in.sin_addr$OFFSET + in_addr.s_addr$OFFSET;
    private static final long V6_ADDR = sockaddr_in6.sin6_addr$OFFSET + in6_addr.s6_addr$OFFSET;

    private final PacketPool pool;
    private final int capacity;
    private final Arena arena;
    private final MemorySegment meta;
    private final int[] slot;
    private final long[] offset;
    private final int[] length;
    private final int[] flags;
    private final int[] segmentSize;
    private final int[] result;
    private final int[] localFamily;
    private final int[] localIfindex;
    private int count;
    private int truncated;

    /** A batch of at most {@code capacity} datagrams in slots of {@code pool}. */
    public DatagramBatch(final PacketPool pool, final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.pool = pool;
        this.capacity = capacity;
        this.arena = Arena.ofAuto();
        this.meta = arena.allocate((long) META_STRIDE * capacity, 64);
        this.slot = new int[capacity];
        this.offset = new long[capacity];
        this.length = new int[capacity];
        this.flags = new int[capacity];
        this.segmentSize = new int[capacity];
        this.result = new int[capacity];
        this.localFamily = new int[capacity];
        this.localIfindex = new int[capacity];
        java.util.Arrays.fill(slot, -1);
    }

    /** {@return the pool whose slots this batch holds} */
    public PacketPool pool() {
        return pool;
    }

    /** {@return the pool's slab: entry {@code i}'s bytes are at {@link #offset(int)}} */
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

    /** {@return number of entries flagged {@link #FLAG_TRUNCATED} since the last {@link #clear()}} */
    public int truncatedCount() {
        return truncated;
    }

    /**
     * Appends a datagram to send: {@code length} bytes at {@code offset} of {@link #memory()} inside
     * {@code slot} (the batch takes ownership of the slot; pass -1 for bytes the batch must not release).
     * The addresses start empty; set the remote with {@link #setRemoteIpv4}/{@link #setRemoteIpv6}.
     *
     * @return the new entry's index
     */
    public int add(final int slot, final long offset, final int length) {
        if (count == capacity) {
            throw new IllegalStateException("batch full: " + capacity);
        }
        int i = count++;
        set(i, slot, offset, length, 0, 0);
        meta.set(SHORT, (long) i * META_STRIDE, (short) 0);
        return i;
    }

    /** {@return the slot of entry {@code i}, -1 once detached} */
    public int slot(final int i) {
        return slot[i];
    }

    /** {@return byte offset of entry {@code i}'s data in {@link #memory()}} */
    public long offset(final int i) {
        return offset[i];
    }

    /** {@return bytes of data in entry {@code i} (for a GRO entry: all segments together)} */
    public int length(final int i) {
        return length[i];
    }

    /** {@return FLAG_* bits of entry {@code i}} */
    public int flags(final int i) {
        return flags[i];
    }

    /** {@return whether entry {@code i} was cut to the buffer size (MSG_TRUNC)} */
    public boolean isTruncated(final int i) {
        return (flags[i] & FLAG_TRUNCATED) != 0;
    }

    /**
     * {@return UDP GSO/GRO segment size of entry {@code i}: on receive the size the kernel coalesced
     * segments at (UDP_GRO), 0 if one datagram; on send the size to split at (UDP_SEGMENT), 0 for none}
     */
    public int segmentSize(final int i) {
        return segmentSize[i];
    }

    /** {@return result of the last send of entry {@code i}: bytes sent or -errno} */
    public int result(final int i) {
        return result[i];
    }

    /** Sets entry {@code i}'s data length (e.g. after encrypting in place). */
    public void setLength(final int i, final int len) {
        length[i] = len;
    }

    /** Sets entry {@code i}'s data offset (e.g. to prepend a header in headroom). */
    public void setOffset(final int i, final long off) {
        offset[i] = off;
    }

    /** Sets the UDP_SEGMENT size for sending entry {@code i} as several datagrams; 0 for none. */
    public void setSegmentSize(final int i, final int size) {
        segmentSize[i] = size;
    }

    // ---- remote address (stored as the kernel's sockaddr, in place) ----

    /** {@return AF_INET, AF_INET6, or 0 when entry {@code i} has no remote address} */
    public int remoteFamily(final int i) {
        return meta.get(SHORT, (long) i * META_STRIDE);
    }

    /** {@return remote UDP port of entry {@code i}} */
    public int remotePort(final int i) {
        return Short.toUnsignedInt(meta.get(SHORT_BE, (long) i * META_STRIDE + sockaddr_in.sin_port$OFFSET));
    }

    /** {@return remote IPv4 address of entry {@code i} as a host-order int (127.0.0.1 = 0x7f000001)} */
    public int remoteIpv4(final int i) {
        return meta.get(INT_BE, (long) i * META_STRIDE + V4_ADDR);
    }

    /** {@return first 8 bytes of entry {@code i}'s remote IPv6 address, big-endian} */
    public long remoteIpv6High(final int i) {
        return meta.get(LONG_BE, (long) i * META_STRIDE + V6_ADDR);
    }

    /** {@return last 8 bytes of entry {@code i}'s remote IPv6 address, big-endian} */
    public long remoteIpv6Low(final int i) {
        return meta.get(LONG_BE, (long) i * META_STRIDE + V6_ADDR + 8);
    }

    /** {@return IPv6 scope id of entry {@code i}'s remote address} */
    public int remoteScopeId(final int i) {
        return meta.get(INT, (long) i * META_STRIDE + sockaddr_in6.sin6_scope_id$OFFSET);
    }

    /** Sets entry {@code i}'s remote to IPv4 {@code addr} (host-order int) and {@code port}. */
    public void setRemoteIpv4(final int i, final int addr, final int port) {
        long b = (long) i * META_STRIDE;
        zeroRemote(b);
        meta.set(SHORT, b + sockaddr_in.sin_family$OFFSET, (short) socket_h.AF_INET);
        meta.set(SHORT_BE, b + sockaddr_in.sin_port$OFFSET, (short) port);
        meta.set(INT_BE, b + V4_ADDR, addr);
    }

    /** Sets entry {@code i}'s remote to IPv6 {@code high:low} (big-endian halves), {@code port}, scope. */
    public void setRemoteIpv6(final int i, final long high, final long low, final int port, final int scopeId) {
        long b = (long) i * META_STRIDE;
        zeroRemote(b);
        meta.set(SHORT, b + sockaddr_in6.sin6_family$OFFSET, (short) socket_h.AF_INET6);
        meta.set(SHORT_BE, b + sockaddr_in6.sin6_port$OFFSET, (short) port);
        meta.set(LONG_BE, b + V6_ADDR, high);
        meta.set(LONG_BE, b + V6_ADDR + 8, low);
        meta.set(INT, b + sockaddr_in6.sin6_scope_id$OFFSET, scopeId);
    }

    private void zeroRemote(final long b) {
        for (long k = 0; k < LOCAL_ADDR; k += 8) {
            meta.set(ValueLayout.JAVA_LONG, b + k, 0L);
        }
    }

    /** Copies entry {@code j}'s remote and local addresses of {@code src} into entry {@code i}. */
    public void copyAddresses(final int i, final DatagramBatch src, final int j) {
        MemorySegment.copy(src.meta, (long) j * META_STRIDE, meta, (long) i * META_STRIDE, META_STRIDE);
        localFamily[i] = src.localFamily[j];
        localIfindex[i] = src.localIfindex[j];
    }

    // ---- local address (IP_PKTINFO / IPV6_PKTINFO) ----

    /** {@return AF_INET/AF_INET6 if entry {@code i} carries a local address, else 0} */
    public int localFamily(final int i) {
        return localFamily[i];
    }

    /** {@return interface index the datagram arrived on / should leave by (0 = any)} */
    public int localIfindex(final int i) {
        return localIfindex[i];
    }

    /** {@return local IPv4 address of entry {@code i} (host-order int)} */
    public int localIpv4(final int i) {
        return meta.get(INT_BE, (long) i * META_STRIDE + LOCAL_ADDR);
    }

    /** {@return first 8 bytes of entry {@code i}'s local IPv6 address} */
    public long localIpv6High(final int i) {
        return meta.get(LONG_BE, (long) i * META_STRIDE + LOCAL_ADDR);
    }

    /** {@return last 8 bytes of entry {@code i}'s local IPv6 address} */
    public long localIpv6Low(final int i) {
        return meta.get(LONG_BE, (long) i * META_STRIDE + LOCAL_ADDR + 8);
    }

    /** Makes entry {@code i} leave from local IPv4 {@code addr} (0 = kernel's choice) via {@code ifindex}. */
    public void setLocalIpv4(final int i, final int addr, final int ifindex) {
        localFamily[i] = socket_h.AF_INET;
        localIfindex[i] = ifindex;
        meta.set(INT_BE, (long) i * META_STRIDE + LOCAL_ADDR, addr);
    }

    /** Makes entry {@code i} leave from local IPv6 {@code high:low} via {@code ifindex}. */
    public void setLocalIpv6(final int i, final long high, final long low, final int ifindex) {
        localFamily[i] = socket_h.AF_INET6;
        localIfindex[i] = ifindex;
        meta.set(LONG_BE, (long) i * META_STRIDE + LOCAL_ADDR, high);
        meta.set(LONG_BE, (long) i * META_STRIDE + LOCAL_ADDR + 8, low);
    }

    /** Removes entry {@code i}'s local address: the kernel picks the source. */
    public void clearLocal(final int i) {
        localFamily[i] = 0;
        localIfindex[i] = 0;
    }

    // ---- ownership ----

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

    // ---- for receivers in this package ----

    MemorySegment meta() {
        return meta;
    }

    long metaAddress(final int i) {
        return meta.address() + (long) i * META_STRIDE;
    }

    int remoteSockaddrLength(final int i) {
        return remoteFamily(i) == socket_h.AF_INET6 ? (int) sockaddr_in6.sizeof() : (int) sockaddr_in.sizeof();
    }

    void set(final int i, final int s, final long off, final int len, final int f, final int seg) {
        slot[i] = s;
        offset[i] = off;
        length[i] = len;
        flags[i] = f;
        segmentSize[i] = seg;
        result[i] = 0;
        localFamily[i] = 0;
        localIfindex[i] = 0;
        if ((f & FLAG_TRUNCATED) != 0) {
            truncated++;
        }
    }

    void setLocalFromKernel(final int i, final int family, final int ifindex) {
        localFamily[i] = family;
        localIfindex[i] = ifindex;
    }

    void setFlag(final int i, final int flag) {
        flags[i] |= flag;
    }

    void setReceivedSegmentSize(final int i, final int size) {
        segmentSize[i] = size;
    }

    void setResult(final int i, final int r) {
        result[i] = r;
    }

    void setCount(final int n) {
        count = n;
    }

    @Override
    public String toString() {
        return "DatagramBatch{count=" + count + "/" + capacity + ", truncated=" + truncated + "}";
    }
}
