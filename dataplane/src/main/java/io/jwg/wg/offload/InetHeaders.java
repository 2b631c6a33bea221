package io.jwg.wg.offload;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Stateless descriptor of the IPv4 (RFC 791), IPv6 (RFC 8200), TCP (RFC 9293) and UDP (RFC 768) header
 * fields the offload code reads or rewrites; all multi-byte fields are big-endian (network order).
 *
 * <pre>
 * IPv4                                    IPv6
 *  0  version(4) ihl(4)  1 tos              0  version(4) traffic class(8) flow label(20)
 *  2  total length                          4  payload length      6 next header  7 hop limit
 *  4  identification     6 flags(3) frag    8  source (16)
 *  8  ttl  9 protocol   10 header checksum 24  destination (16)
 * 12  source (4)        16 destination (4) 40  (upper layer)
 * 20  options .. ihl*4
 *
 * TCP                                     UDP
 *  0  source port   2 destination port      0  source port   2 destination port
 *  4  sequence number                       4  length        6 checksum
 *  8  acknowledgment number                 8  (payload)
 * 12  data offset(4) reserved(4) 13 flags
 * 14  window       16 checksum  18 urgent
 * 20  options .. data offset*4
 * </pre>
 */
public final class InetHeaders {

    private InetHeaders() {
    }

    /** Big-endian unaligned 16-bit access. */
    static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian unaligned 32-bit access. */
    static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian unaligned 64-bit access. */
    static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** IP protocol number of TCP. */
    public static final int PROTO_TCP = 6;
    /** IP protocol number of UDP. */
    public static final int PROTO_UDP = 17;

    /** IPv4 version / IHL byte. */
    public static final int IPV4_VERSION_IHL_OFFSET = 0;
    /** IPv4 type of service (DSCP + ECN). */
    public static final int IPV4_TOS_OFFSET = IPV4_VERSION_IHL_OFFSET + 1;
    /** IPv4 total length. */
    public static final int IPV4_TOTAL_LENGTH_OFFSET = IPV4_TOS_OFFSET + 1;
    /** IPv4 identification. */
    public static final int IPV4_ID_OFFSET = IPV4_TOTAL_LENGTH_OFFSET + 2;
    /** IPv4 flags (3 bits) and fragment offset (13 bits). */
    public static final int IPV4_FRAGMENT_OFFSET = IPV4_ID_OFFSET + 2;
    /** IPv4 time to live. */
    public static final int IPV4_TTL_OFFSET = IPV4_FRAGMENT_OFFSET + 2;
    /** IPv4 protocol. */
    public static final int IPV4_PROTOCOL_OFFSET = IPV4_TTL_OFFSET + 1;
    /** IPv4 header checksum. */
    public static final int IPV4_CHECKSUM_OFFSET = IPV4_PROTOCOL_OFFSET + 1;
    /** IPv4 source address. */
    public static final int IPV4_SOURCE_OFFSET = IPV4_CHECKSUM_OFFSET + 2;
    /** IPv4 destination address. */
    public static final int IPV4_DESTINATION_OFFSET = IPV4_SOURCE_OFFSET + 4;
    /** IPv4 header without options. */
    public static final int IPV4_MIN_LENGTH = IPV4_DESTINATION_OFFSET + 4;
    /** IPv4 header with the largest IHL (15 words). */
    public static final int IPV4_MAX_LENGTH = 15 * 4;
    /** Don't Fragment bit in the 16-bit flags/fragment word. */
    public static final int IPV4_DF = 0x4000;
    /** More Fragments bit in the 16-bit flags/fragment word. */
    public static final int IPV4_MF = 0x2000;
    /** Fragment offset mask in the 16-bit flags/fragment word. */
    public static final int IPV4_FRAGMENT_MASK = 0x1FFF;

    /** IPv6 payload length. */
    public static final int IPV6_PAYLOAD_LENGTH_OFFSET = 4;
    /** IPv6 next header. */
    public static final int IPV6_NEXT_HEADER_OFFSET = IPV6_PAYLOAD_LENGTH_OFFSET + 2;
    /** IPv6 hop limit. */
    public static final int IPV6_HOP_LIMIT_OFFSET = IPV6_NEXT_HEADER_OFFSET + 1;
    /** IPv6 source address. */
    public static final int IPV6_SOURCE_OFFSET = IPV6_HOP_LIMIT_OFFSET + 1;
    /** IPv6 destination address. */
    public static final int IPV6_DESTINATION_OFFSET = IPV6_SOURCE_OFFSET + 16;
    /** IPv6 fixed header. */
    public static final int IPV6_LENGTH = IPV6_DESTINATION_OFFSET + 16;

    /** TCP source port (the destination port follows). */
    public static final int TCP_PORTS_OFFSET = 0;
    /** TCP sequence number. */
    public static final int TCP_SEQ_OFFSET = TCP_PORTS_OFFSET + 4;
    /** TCP acknowledgment number. */
    public static final int TCP_ACK_OFFSET = TCP_SEQ_OFFSET + 4;
    /** TCP data offset (high nibble). */
    public static final int TCP_DATA_OFFSET_OFFSET = TCP_ACK_OFFSET + 4;
    /** TCP flags byte (CWR ECE URG ACK PSH RST SYN FIN). */
    public static final int TCP_FLAGS_OFFSET = TCP_DATA_OFFSET_OFFSET + 1;
    /** TCP window. */
    public static final int TCP_WINDOW_OFFSET = TCP_FLAGS_OFFSET + 1;
    /** TCP checksum. */
    public static final int TCP_CHECKSUM_OFFSET = TCP_WINDOW_OFFSET + 2;
    /** TCP urgent pointer. */
    public static final int TCP_URGENT_OFFSET = TCP_CHECKSUM_OFFSET + 2;
    /** TCP header without options. */
    public static final int TCP_MIN_LENGTH = TCP_URGENT_OFFSET + 2;
    /** TCP header with the largest data offset (15 words). */
    public static final int TCP_MAX_LENGTH = 15 * 4;

    /** TCP FIN flag. */
    public static final int TCP_FIN = 0x01;
    /** TCP SYN flag. */
    public static final int TCP_SYN = 0x02;
    /** TCP RST flag. */
    public static final int TCP_RST = 0x04;
    /** TCP PSH flag. */
    public static final int TCP_PSH = 0x08;
    /** TCP ACK flag. */
    public static final int TCP_ACK = 0x10;
    /** TCP URG flag. */
    public static final int TCP_URG = 0x20;
    /** TCP ECE flag. */
    public static final int TCP_ECE = 0x40;
    /** TCP CWR flag. */
    public static final int TCP_CWR = 0x80;

    /** UDP source port (the destination port follows). */
    public static final int UDP_PORTS_OFFSET = 0;
    /** UDP length (header + payload). */
    public static final int UDP_LENGTH_OFFSET = UDP_PORTS_OFFSET + 4;
    /** UDP checksum (0 = none, IPv4 only). */
    public static final int UDP_CHECKSUM_OFFSET = UDP_LENGTH_OFFSET + 2;
    /** UDP header. */
    public static final int UDP_LENGTH = UDP_CHECKSUM_OFFSET + 2;

    /** {@return the unsigned big-endian 16-bit value at {@code off}} */
    public static int u16(final MemorySegment seg, final long off) {
        return Short.toUnsignedInt(seg.get(BE_SHORT, off));
    }

    /** Writes the low 16 bits of {@code value} big-endian at {@code off}. */
    public static void putU16(final MemorySegment seg, final long off, final int value) {
        seg.set(BE_SHORT, off, (short) value);
    }

    /** {@return the big-endian 32-bit value at {@code off}} */
    public static int u32(final MemorySegment seg, final long off) {
        return seg.get(BE_INT, off);
    }

    /** Writes {@code value} big-endian at {@code off}. */
    public static void putU32(final MemorySegment seg, final long off, final int value) {
        seg.set(BE_INT, off, value);
    }

    /** {@return the unsigned byte at {@code off}} */
    public static int u8(final MemorySegment seg, final long off) {
        return Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, off));
    }

    /** {@return the IP version nibble of the packet at {@code off} (4, 6 or anything else)} */
    public static int ipVersion(final MemorySegment seg, final long off) {
        return u8(seg, off) >>> 4;
    }
}
