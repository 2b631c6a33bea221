package io.jwg.wg.offload;

import static io.jwg.wg.offload.InetHeaders.IPV4_FRAGMENT_MASK;
import static io.jwg.wg.offload.InetHeaders.IPV4_FRAGMENT_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV4_ID_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV4_MF;
import static io.jwg.wg.offload.InetHeaders.IPV4_MIN_LENGTH;
import static io.jwg.wg.offload.InetHeaders.IPV4_PROTOCOL_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV4_TOTAL_LENGTH_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV6_LENGTH;
import static io.jwg.wg.offload.InetHeaders.IPV6_NEXT_HEADER_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV6_PAYLOAD_LENGTH_OFFSET;
import static io.jwg.wg.offload.InetHeaders.PROTO_TCP;
import static io.jwg.wg.offload.InetHeaders.PROTO_UDP;
import static io.jwg.wg.offload.InetHeaders.TCP_CHECKSUM_OFFSET;
import static io.jwg.wg.offload.InetHeaders.TCP_CWR;
import static io.jwg.wg.offload.InetHeaders.TCP_DATA_OFFSET_OFFSET;
import static io.jwg.wg.offload.InetHeaders.TCP_FIN;
import static io.jwg.wg.offload.InetHeaders.TCP_FLAGS_OFFSET;
import static io.jwg.wg.offload.InetHeaders.TCP_MIN_LENGTH;
import static io.jwg.wg.offload.InetHeaders.TCP_PSH;
import static io.jwg.wg.offload.InetHeaders.TCP_SEQ_OFFSET;
import static io.jwg.wg.offload.InetHeaders.UDP_CHECKSUM_OFFSET;
import static io.jwg.wg.offload.InetHeaders.UDP_LENGTH;
import static io.jwg.wg.offload.InetHeaders.UDP_LENGTH_OFFSET;
import static io.jwg.wg.offload.InetHeaders.u16;
import static io.jwg.wg.offload.InetHeaders.u8;

import io.jwg.bindings.io.PacketBatch;
import io.jwg.bindings.io.PacketPool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Stateless (TX side, TUN reader thread): turns one packet read from a TUN with {@code IFF_VNET_HDR} into
 * wire-ready IP packets. The packet is either plain, a single packet with a partial checksum (NEEDS_CSUM:
 * complete it), or a GSO super-packet (TCPV4/TCPV6 = TSO, UDP_L4 = USO): split it into segments of
 * {@code gso_size} payload bytes, each with its own IPv4 total length, identification (+1 per segment) and
 * header checksum or IPv6 payload length, TCP sequence number, flags (FIN and PSH only on the last segment,
 * CWR only on the first) and checksum, or UDP length and checksum. L4 checksums of segments are computed
 * from scratch (the pseudo-header seed in the super-packet is not trusted); {@code hdr_len} is ignored (the
 * kernel sends {@code skb_headlen} there, see {@link VirtioNetHeader}), the header length is
 * {@code csum_start} + the L4 header.
 *
 * <p>Results: a segment count ({@code >= 1}) or a negative {@link OffloadResult} code; bad packet bytes
 * never throw. Offsets and lengths outside the given segments are programmer errors (they throw, as
 * {@link MemorySegment} does). Nothing allocates.
 */
public final class GsoSplitter {

    private GsoSplitter() {
    }

    // plan(): a long with csum_start in bits 0-15, header length 16-31, segment count 32-47, kind 48-55
    private static final int KIND_PLAIN = 0;
    private static final int KIND_PARTIAL = 1;
    private static final int KIND_TCP4 = 2;
    private static final int KIND_TCP6 = 3;
    private static final int KIND_UDP4 = 4;
    private static final int KIND_UDP6 = 5;

    /**
     * {@return how many segments the packet splits into (1 for a non-GSO packet), or a negative
     * {@link OffloadResult} code} Lets a caller take exactly that many slots before {@link #split}.
     *
     * @param in memory holding the vnet header and the packet
     * @param vnetOffset offset of the 10-byte {@code virtio_net_hdr}
     * @param packetOffset offset of the IP packet
     * @param packetLength bytes of the IP packet (without the vnet header)
     */
    public static int segmentCount(final MemorySegment in, final long vnetOffset, final long packetOffset,
                                   final int packetLength) {
        final long plan = plan(in, vnetOffset, packetOffset, packetLength);
        return plan < 0 ? (int) plan : segments(plan);
    }

    /**
     * Splits the packet into segments written to {@code out} at {@code outOffsets[0..n)}, their lengths
     * stored in {@code outLengths[0..n)}. {@return n >= 1, or a negative {@link OffloadResult} code (then
     * {@code out} may hold partial garbage, {@code outLengths} is untouched)}
     *
     * @param maxSegments slots available: {@code outOffsets} and {@code outLengths} entries to use
     * @param segmentCapacity bytes available at each {@code outOffsets[i]}
     */
    public static int split(final MemorySegment in, final long vnetOffset, final long packetOffset,
                            final int packetLength, final MemorySegment out, final long[] outOffsets,
                            final int[] outLengths, final int maxSegments, final int segmentCapacity) {
        final long plan = plan(in, vnetOffset, packetOffset, packetLength);
        if (plan < 0) {
            return (int) plan;
        }
        final int n = segments(plan);
        final int room = room(in, vnetOffset, packetLength, plan, n, maxSegments, segmentCapacity);
        if (room < 0) {
            return room;
        }
        final int gsoSize = VirtioNetHeader.gsoSize(in, vnetOffset);
        for (int i = 0; i < n; i++) {
            final int len = segmentLength(packetLength, plan, gsoSize, i);
            copySegment(in, packetOffset, plan, gsoSize, i, len, out, outOffsets[i]);
            fixSegment(out, outOffsets[i], len, plan, gsoSize, i, n);
        }
        for (int i = 0; i < n; i++) {
            outLengths[i] = segmentLength(packetLength, plan, gsoSize, i);
        }
        return n;
    }

    /**
     * Splits the packet into fresh slots of {@code out}'s pool, appended to {@code out} in order, each packet
     * {@code headroom} bytes into its slot and at most {@code slotSize - headroom - tailroom} long (room for
     * the transport header before and the AEAD tag and padding after). {@return segments appended, or a
     * negative {@link OffloadResult} code: TOO_MANY_SEGMENTS also when the pool or the batch lacks room; the
     * batch and pool are then unchanged}
     */
    public static int split(final MemorySegment in, final long vnetOffset, final long packetOffset,
                            final int packetLength, final PacketBatch out, final int headroom, final int tailroom) {
        final long plan = plan(in, vnetOffset, packetOffset, packetLength);
        if (plan < 0) {
            return (int) plan;
        }
        final int n = segments(plan);
        final PacketPool pool = out.pool();
        final int free = Math.min(pool.available(), out.capacity() - out.count());
        final int room = room(in, vnetOffset, packetLength, plan, n, free, pool.slotSize() - headroom - tailroom);
        if (room < 0) {
            return room;
        }
        final int gsoSize = VirtioNetHeader.gsoSize(in, vnetOffset);
        final MemorySegment mem = pool.memory();
        for (int i = 0; i < n; i++) {
            final int slot = pool.acquire();
            final long at = pool.slotOffset(slot) + headroom;
            final int len = segmentLength(packetLength, plan, gsoSize, i);
            copySegment(in, packetOffset, plan, gsoSize, i, len, mem, at);
            fixSegment(mem, at, len, plan, gsoSize, i, n);
            out.add(slot, at, len);
        }
        return n;
    }

    /**
     * Finishes a packet that needs no split, in place: completes a partial checksum (NEEDS_CSUM) or, for a
     * GSO packet whose payload fits one segment, recomputes its L4 checksum. {@return 1 when the packet is
     * now wire-ready, {@link OffloadResult#TOO_MANY_SEGMENTS} when it must go through {@link #split}, or
     * another negative code}
     */
    public static int finishInPlace(final MemorySegment seg, final long vnetOffset, final long packetOffset,
                                    final int packetLength) {
        final long plan = plan(seg, vnetOffset, packetOffset, packetLength);
        if (plan < 0) {
            return (int) plan;
        }
        if (segments(plan) != 1) {
            return OffloadResult.TOO_MANY_SEGMENTS.code();
        }
        fixSegment(seg, packetOffset, packetLength, plan, VirtioNetHeader.gsoSize(seg, vnetOffset), 0, 1);
        return 1;
    }

    private static int segments(final long plan) {
        return (int) (plan >>> 32) & 0xFFFF;
    }

    private static int headerLength(final long plan) {
        return (int) (plan >>> 16) & 0xFFFF;
    }

    private static int l4Offset(final long plan) {
        return (int) plan & 0xFFFF;
    }

    private static int kind(final long plan) {
        return (int) (plan >>> 48) & 0xFF;
    }

    private static long pack(final int kind, final int segments, final int headerLength, final int l4Offset) {
        return (long) kind << 48 | (long) segments << 32 | (long) headerLength << 16 | l4Offset;
    }

    private static int room(final MemorySegment in, final long vnetOffset, final int packetLength, final long plan,
                            final int n, final int maxSegments, final int segmentCapacity) {
        if (n > maxSegments) {
            return OffloadResult.TOO_MANY_SEGMENTS.code();
        }
        final int k = kind(plan);
        final int h = headerLength(plan);
        final int largest = k == KIND_PLAIN || k == KIND_PARTIAL ? packetLength
                : h + Math.min(VirtioNetHeader.gsoSize(in, vnetOffset), packetLength - h);
        return largest > segmentCapacity ? OffloadResult.SEGMENT_TOO_LARGE.code() : n;
    }

    private static int segmentLength(final int packetLength, final long plan, final int gsoSize, final int i) {
        final int k = kind(plan);
        if (k == KIND_PLAIN || k == KIND_PARTIAL) {
            return packetLength;
        }
        final int h = headerLength(plan);
        return h + Math.min(gsoSize, packetLength - h - i * gsoSize);
    }

    /** Validates the vnet header against the packet; returns a packed plan or a negative code. */
    private static long plan(final MemorySegment in, final long vnetOffset, final long p, final int len) {
        final int flags = VirtioNetHeader.flags(in, vnetOffset);
        final int gsoType = VirtioNetHeader.gsoType(in, vnetOffset);
        final int type = gsoType & ~VirtioNetHeader.GSO_ECN;
        final boolean partial = (flags & VirtioNetHeader.F_NEEDS_CSUM) != 0;
        final int csumStart = VirtioNetHeader.csumStart(in, vnetOffset);
        final int csumOffset = VirtioNetHeader.csumOffset(in, vnetOffset);
        if (type == VirtioNetHeader.GSO_NONE) {
            if (gsoType != VirtioNetHeader.GSO_NONE) {
                return OffloadResult.UNSUPPORTED_GSO_TYPE.code();
            }
            if (len < 1) {
                return OffloadResult.TRUNCATED.code();
            }
            if (!partial) {
                return pack(KIND_PLAIN, 1, 0, 0);
            }
            if ((long) csumStart + csumOffset + 2 > len) {
                return OffloadResult.BAD_CHECKSUM_OFFSETS.code();
            }
            return pack(KIND_PARTIAL, 1, csumOffset, csumStart); // csum_offset rides in the header-length bits
        }
        final boolean tcp = type == VirtioNetHeader.GSO_TCPV4 || type == VirtioNetHeader.GSO_TCPV6;
        if (!tcp && type != VirtioNetHeader.GSO_UDP_L4 || !tcp && gsoType != type) {
            return OffloadResult.UNSUPPORTED_GSO_TYPE.code();
        }
        final int gsoSize = VirtioNetHeader.gsoSize(in, vnetOffset);
        if (gsoSize == 0) {
            return OffloadResult.ZERO_GSO_SIZE.code();
        }
        if (len < IPV4_MIN_LENGTH) {
            return OffloadResult.TRUNCATED.code();
        }
        final int version = InetHeaders.ipVersion(in, p);
        if (version != 4 && version != 6 || type == VirtioNetHeader.GSO_TCPV4 && version != 4
                || type == VirtioNetHeader.GSO_TCPV6 && version != 6) {
            return OffloadResult.BAD_IP_VERSION.code();
        }
        final int ipHeader;
        final int protocol;
        if (version == 4) {
            ipHeader = (u8(in, p) & 0xF) * 4;
            if (ipHeader < IPV4_MIN_LENGTH) {
                return OffloadResult.BAD_IP_LENGTH.code();
            }
            if (ipHeader > len) {
                return OffloadResult.TRUNCATED.code();
            }
            if (u16(in, p + IPV4_TOTAL_LENGTH_OFFSET) != len) {
                return OffloadResult.BAD_IP_LENGTH.code();
            }
            if ((u16(in, p + IPV4_FRAGMENT_OFFSET) & (IPV4_MF | IPV4_FRAGMENT_MASK)) != 0) {
                return OffloadResult.UNSUPPORTED_IP.code();
            }
            protocol = u8(in, p + IPV4_PROTOCOL_OFFSET);
        } else {
            if (len < IPV6_LENGTH) {
                return OffloadResult.TRUNCATED.code();
            }
            if (u16(in, p + IPV6_PAYLOAD_LENGTH_OFFSET) + IPV6_LENGTH != len) {
                return OffloadResult.BAD_IP_LENGTH.code();
            }
            ipHeader = IPV6_LENGTH;
            protocol = u8(in, p + IPV6_NEXT_HEADER_OFFSET);
            if (protocol != PROTO_TCP && protocol != PROTO_UDP) {
                return OffloadResult.UNSUPPORTED_IP.code();
            }
        }
        if (protocol != (tcp ? PROTO_TCP : PROTO_UDP)) {
            return OffloadResult.BAD_L4_HEADER.code();
        }
        if (!partial || csumStart != ipHeader || csumOffset != (tcp ? TCP_CHECKSUM_OFFSET : UDP_CHECKSUM_OFFSET)) {
            return OffloadResult.BAD_CHECKSUM_OFFSETS.code();
        }
        final int l4Header;
        if (tcp) {
            if (ipHeader + TCP_MIN_LENGTH > len) {
                return OffloadResult.TRUNCATED.code();
            }
            l4Header = (u8(in, p + ipHeader + TCP_DATA_OFFSET_OFFSET) >>> 4) * 4;
            if (l4Header < TCP_MIN_LENGTH) {
                return OffloadResult.BAD_L4_HEADER.code();
            }
        } else {
            l4Header = UDP_LENGTH;
        }
        final int headerLength = ipHeader + l4Header;
        if (headerLength > len) {
            return OffloadResult.TRUNCATED.code();
        }
        final int payload = len - headerLength;
        if (payload == 0) {
            return OffloadResult.EMPTY_PAYLOAD.code();
        }
        final int n = (payload + gsoSize - 1) / gsoSize;
        final int kind = tcp ? (version == 4 ? KIND_TCP4 : KIND_TCP6) : (version == 4 ? KIND_UDP4 : KIND_UDP6);
        return pack(kind, n, headerLength, ipHeader);
    }

    private static void copySegment(final MemorySegment in, final long p, final long plan, final int gsoSize,
                                    final int i, final int segmentLength, final MemorySegment out, final long o) {
        final int k = kind(plan);
        if (k == KIND_PLAIN || k == KIND_PARTIAL) {
            MemorySegment.copy(in, p, out, o, segmentLength);
            return;
        }
        final int h = headerLength(plan);
        MemorySegment.copy(in, p, out, o, h);
        MemorySegment.copy(in, p + h + (long) i * gsoSize, out, o + h, segmentLength - h);
    }

    /** Rewrites the per-segment fields of segment {@code i} of {@code n}, already copied to {@code o}. */
    private static void fixSegment(final MemorySegment m, final long o, final int segmentLength, final long plan,
                                   final int gsoSize, final int i, final int n) {
        final int k = kind(plan);
        final int l4 = l4Offset(plan);
        if (k == KIND_PLAIN) {
            return;
        }
        if (k == KIND_PARTIAL) {
            // virtio semantics: sum from csum_start to the end (the seeded pseudo-header sum in the field
            // included), store the complement at csum_start + csum_offset
            final int sum = Checksum.sum(m, o + l4, segmentLength - l4);
            InetHeaders.putU16(m, o + l4 + headerLength(plan), Checksum.finishUdp(sum));
            return;
        }
        final boolean v4 = k == KIND_TCP4 || k == KIND_UDP4;
        final boolean tcp = k == KIND_TCP4 || k == KIND_TCP6;
        if (v4) {
            InetHeaders.putU16(m, o + IPV4_TOTAL_LENGTH_OFFSET, segmentLength);
            InetHeaders.putU16(m, o + IPV4_ID_OFFSET, u16(m, o + IPV4_ID_OFFSET) + i);
            Checksum.putIpv4HeaderChecksum(m, o, l4);
        } else {
            InetHeaders.putU16(m, o + IPV6_PAYLOAD_LENGTH_OFFSET, segmentLength - IPV6_LENGTH);
        }
        final int l4Length = segmentLength - l4;
        final long t = o + l4;
        final int pseudo = Checksum.pseudoHeader(m, o, v4 ? 4 : 6, tcp ? PROTO_TCP : PROTO_UDP, l4Length);
        if (tcp) {
            InetHeaders.putU32(m, t + TCP_SEQ_OFFSET, InetHeaders.u32(m, t + TCP_SEQ_OFFSET) + i * gsoSize);
            int flags = u8(m, t + TCP_FLAGS_OFFSET);
            if (i != n - 1) {
                flags &= ~(TCP_FIN | TCP_PSH);
            }
            if (i != 0) {
                flags &= ~TCP_CWR;
            }
            m.set(ValueLayout.JAVA_BYTE, t + TCP_FLAGS_OFFSET, (byte) flags);
            InetHeaders.putU16(m, t + TCP_CHECKSUM_OFFSET, 0);
            final int sum = Checksum.add(pseudo, Checksum.sum(m, t, l4Length));
            InetHeaders.putU16(m, t + TCP_CHECKSUM_OFFSET, Checksum.finish(sum));
        } else {
            InetHeaders.putU16(m, t + UDP_LENGTH_OFFSET, l4Length);
            InetHeaders.putU16(m, t + UDP_CHECKSUM_OFFSET, 0);
            final int sum = Checksum.add(pseudo, Checksum.sum(m, t, l4Length));
            InetHeaders.putU16(m, t + UDP_CHECKSUM_OFFSET, Checksum.finishUdp(sum));
        }
    }
}
