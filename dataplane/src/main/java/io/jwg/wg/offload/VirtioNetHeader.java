package io.jwg.wg.offload;

import io.jwg.bindings.tun.if_tun_h;
import io.jwg.bindings.tun.virtio_net_hdr;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Stateless descriptor of the 10-byte {@code struct virtio_net_hdr} that precedes every packet read from or
 * written to a TUN opened with {@code IFF_VNET_HDR} (linux/virtio_net.h; offsets and constants come from the
 * bindings' {@link virtio_net_hdr} / {@link if_tun_h}, never retyped).
 *
 * <pre>
 *  offset  field
 *       0  flags        (u8)  NEEDS_CSUM = 1, DATA_VALID = 2
 *       1  gso_type     (u8)  NONE 0, TCPV4 1, UDP (UFO) 3, TCPV6 4, UDP_L4 5; | ECN 0x80
 *       2  hdr_len      (__virtio16)  bytes of L3+L4 headers
 *       4  gso_size     (__virtio16)  payload bytes per segment (TCP MSS, UDP datagram payload)
 *       6  csum_start   (__virtio16)  offset of the L4 header from the start of the IP packet
 *       8  csum_offset  (__virtio16)  checksum field offset from csum_start (TCP 16, UDP 6)
 * </pre>
 *
 * <p><b>Byte order.</b> {@code __virtio16} in a TUN's legacy header is converted by the kernel with
 * {@code tun_vnet_is_little_endian(flags)}: little-endian when {@code TUNSETVNETLE} was set, otherwise the
 * legacy rule {@code virtio_legacy_is_little_endian()} = the CPU's native order (unless
 * {@code TUNSETVNETBE} on a kernel built with {@code CONFIG_TUN_VNET_CROSS_LE}). jwg runs on little-endian
 * hosts (x86-64, arm64) and never sets either ioctl, so the fields are little-endian; this class reads and
 * writes them little-endian explicitly. A big-endian port would have to set {@code TUNSETVNETLE} first.
 *
 * <p><b>What the kernel puts in a read</b> ({@code virtio_net_hdr_from_skb}): for a GSO packet
 * {@code hdr_len} is only "a hint as to how much should be linear" ({@code skb_headlen}), not the header
 * length, so readers must derive the header length from {@code csum_start} and the L4 header; a
 * {@code CHECKSUM_PARTIAL} packet has NEEDS_CSUM with the L4 checksum field holding the folded,
 * uncomplemented pseudo-header sum; a verified one may carry DATA_VALID.
 * <p><b>What the kernel accepts in a write</b> ({@code virtio_net_hdr_to_skb}): a known gso_type with
 * {@code gso_size != 0}; with NEEDS_CSUM, {@code csum_start} at least an IPv4/IPv6 header into the packet,
 * the L4 header inside it, and {@code csum_offset} = 16 for TCP, 6 for UDP_L4 (UDP_L4 also requires
 * NEEDS_CSUM and at most 64 segments); anything else is {@code EINVAL}. DATA_VALID is not an error on a
 * TUN write, but tun does not turn it into {@code CHECKSUM_UNNECESSARY}: the stack still verifies such
 * packets (a SYN with a bad checksum and DATA_VALID is dropped: {@code TunOffloadKernelTest}, Linux 6.18), so
 * jwg writes pass-through packets with an all-zero header.
 */
public final class VirtioNetHeader {

    private VirtioNetHeader() {
    }

    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** flags (u8). */
    public static final int FLAGS_OFFSET = (int) virtio_net_hdr.flags$OFFSET;
    /** gso_type (u8). */
    public static final int GSO_TYPE_OFFSET = (int) virtio_net_hdr.gso_type$OFFSET;
    /** hdr_len (LE u16). */
    public static final int HDR_LEN_OFFSET = (int) virtio_net_hdr.hdr_len$OFFSET;
    /** gso_size (LE u16). */
    public static final int GSO_SIZE_OFFSET = (int) virtio_net_hdr.gso_size$OFFSET;
    /** csum_start (LE u16). */
    public static final int CSUM_START_OFFSET = (int) virtio_net_hdr.csum_start$OFFSET;
    /** csum_offset (LE u16). */
    public static final int CSUM_OFFSET_OFFSET = (int) virtio_net_hdr.csum_offset$OFFSET;
    /** Header length: 10. */
    public static final int LENGTH = CSUM_OFFSET_OFFSET + Short.BYTES;

    /** flags: the L4 checksum must be completed from csum_start (partial checksum). */
    public static final int F_NEEDS_CSUM = if_tun_h.VIRTIO_NET_HDR_F_NEEDS_CSUM;
    /** flags: the checksum was verified. */
    public static final int F_DATA_VALID = if_tun_h.VIRTIO_NET_HDR_F_DATA_VALID;

    /** gso_type: a single packet. */
    public static final int GSO_NONE = if_tun_h.VIRTIO_NET_HDR_GSO_NONE;
    /** gso_type: TCP over IPv4 segmentation (TSO4). */
    public static final int GSO_TCPV4 = if_tun_h.VIRTIO_NET_HDR_GSO_TCPV4;
    /** gso_type: legacy UDP fragmentation offload (UFO); not supported by jwg. */
    public static final int GSO_UDP = if_tun_h.VIRTIO_NET_HDR_GSO_UDP;
    /** gso_type: TCP over IPv6 segmentation (TSO6). */
    public static final int GSO_TCPV6 = if_tun_h.VIRTIO_NET_HDR_GSO_TCPV6;
    /** gso_type: UDP segmentation into datagrams (USO, Linux 6.2+ on TUN). */
    public static final int GSO_UDP_L4 = if_tun_h.VIRTIO_NET_HDR_GSO_UDP_L4;
    /** gso_type bit: the TCP super-packet has CWR set (segment it ECN-correctly: CWR on the first only). */
    public static final int GSO_ECN = if_tun_h.VIRTIO_NET_HDR_GSO_ECN;

    /** Kernel limit on UDP_L4 segments per GSO packet ({@code UDP_MAX_SEGMENTS}). */
    public static final int UDP_MAX_SEGMENTS = 64;

    /** {@return flags} */
    public static int flags(final MemorySegment seg, final long off) {
        return Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, off + FLAGS_OFFSET));
    }

    /** {@return gso_type including the ECN bit} */
    public static int gsoType(final MemorySegment seg, final long off) {
        return Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, off + GSO_TYPE_OFFSET));
    }

    /** {@return hdr_len (a hint only on reads, see the class comment)} */
    public static int hdrLen(final MemorySegment seg, final long off) {
        return Short.toUnsignedInt(seg.get(LE_SHORT, off + HDR_LEN_OFFSET));
    }

    /** {@return gso_size} */
    public static int gsoSize(final MemorySegment seg, final long off) {
        return Short.toUnsignedInt(seg.get(LE_SHORT, off + GSO_SIZE_OFFSET));
    }

    /** {@return csum_start} */
    public static int csumStart(final MemorySegment seg, final long off) {
        return Short.toUnsignedInt(seg.get(LE_SHORT, off + CSUM_START_OFFSET));
    }

    /** {@return csum_offset} */
    public static int csumOffset(final MemorySegment seg, final long off) {
        return Short.toUnsignedInt(seg.get(LE_SHORT, off + CSUM_OFFSET_OFFSET));
    }

    /** {@return whether the packet needs neither segmentation nor checksum completion} */
    public static boolean isPlain(final MemorySegment seg, final long off) {
        return gsoType(seg, off) == GSO_NONE && (flags(seg, off) & F_NEEDS_CSUM) == 0;
    }

    /** Writes all six fields (16-bit values are truncated to 16 bits). */
    public static void put(final MemorySegment seg, final long off, final int flags, final int gsoType,
                           final int hdrLen, final int gsoSize, final int csumStart, final int csumOffset) {
        seg.set(ValueLayout.JAVA_BYTE, off + FLAGS_OFFSET, (byte) flags);
        seg.set(ValueLayout.JAVA_BYTE, off + GSO_TYPE_OFFSET, (byte) gsoType);
        seg.set(LE_SHORT, off + HDR_LEN_OFFSET, (short) hdrLen);
        seg.set(LE_SHORT, off + GSO_SIZE_OFFSET, (short) gsoSize);
        seg.set(LE_SHORT, off + CSUM_START_OFFSET, (short) csumStart);
        seg.set(LE_SHORT, off + CSUM_OFFSET_OFFSET, (short) csumOffset);
    }

    /** Writes an all-zero header: a plain packet, checksums already complete. */
    public static void putPlain(final MemorySegment seg, final long off) {
        seg.set(ValueLayout.JAVA_LONG_UNALIGNED, off, 0L);
        seg.set(LE_SHORT, off + CSUM_OFFSET_OFFSET, (short) 0);
    }
}
