package io.jwg.wg.offload;

import static io.jwg.wg.offload.InetHeaders.IPV4_DESTINATION_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV4_DF;
import static io.jwg.wg.offload.InetHeaders.IPV4_FRAGMENT_MASK;
import static io.jwg.wg.offload.InetHeaders.IPV4_FRAGMENT_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV4_ID_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV4_MF;
import static io.jwg.wg.offload.InetHeaders.IPV4_MIN_LENGTH;
import static io.jwg.wg.offload.InetHeaders.IPV4_PROTOCOL_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV4_SOURCE_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV4_TOS_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV4_TOTAL_LENGTH_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV4_TTL_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV6_HOP_LIMIT_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV6_LENGTH;
import static io.jwg.wg.offload.InetHeaders.IPV6_NEXT_HEADER_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV6_PAYLOAD_LENGTH_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV6_SOURCE_OFFSET;
import static io.jwg.wg.offload.InetHeaders.PROTO_TCP;
import static io.jwg.wg.offload.InetHeaders.PROTO_UDP;
import static io.jwg.wg.offload.InetHeaders.TCP_ACK;
import static io.jwg.wg.offload.InetHeaders.TCP_ACK_OFFSET;
import static io.jwg.wg.offload.InetHeaders.TCP_CHECKSUM_OFFSET;
import static io.jwg.wg.offload.InetHeaders.TCP_CWR;
import static io.jwg.wg.offload.InetHeaders.TCP_DATA_OFFSET_OFFSET;
import static io.jwg.wg.offload.InetHeaders.TCP_FIN;
import static io.jwg.wg.offload.InetHeaders.TCP_FLAGS_OFFSET;
import static io.jwg.wg.offload.InetHeaders.TCP_MIN_LENGTH;
import static io.jwg.wg.offload.InetHeaders.TCP_PSH;
import static io.jwg.wg.offload.InetHeaders.TCP_RST;
import static io.jwg.wg.offload.InetHeaders.TCP_SEQ_OFFSET;
import static io.jwg.wg.offload.InetHeaders.TCP_SYN;
import static io.jwg.wg.offload.InetHeaders.TCP_URG;
import static io.jwg.wg.offload.InetHeaders.TCP_WINDOW_OFFSET;
import static io.jwg.wg.offload.InetHeaders.UDP_CHECKSUM_OFFSET;
import static io.jwg.wg.offload.InetHeaders.UDP_LENGTH;
import static io.jwg.wg.offload.InetHeaders.UDP_LENGTH_OFFSET;
import static io.jwg.wg.offload.InetHeaders.u16;
import static io.jwg.wg.offload.InetHeaders.u32;
import static io.jwg.wg.offload.InetHeaders.u8;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Owner thread only (RX side, the thread that writes decrypted packets to the TUN): coalesces a batch of IP
 * packets into TCP (and optionally UDP) super-packets with a {@code virtio_net_hdr}, the reverse of
 * {@link GsoSplitter}, so the kernel receives 64 KB per write instead of one MTU.
 *
 * <p>Rules (those of the kernel's {@code tcp_gro_receive} / {@code inet_gro_receive}, simplified): a TCP
 * segment joins the open super-packet of its flow (same addresses, ports, protocol) when it carries payload,
 * its flags are ACK with optional PSH/FIN (CWR and ECE allowed only as on the first segment, no
 * SYN/RST/URG), its sequence number continues the super-packet, its acknowledgment number, window, data
 * offset and TCP options equal the first segment's, its IPv4 header has no options and the same TOS, TTL
 * and DF (and, without DF, the next identification), or its IPv6 header the same first word and hop limit,
 * and its payload is not longer than the first segment's. A shorter segment, PSH or FIN closes the
 * super-packet; so does any other packet of the flow (pure ACK, SYN, RST...), which keeps every flow's
 * packets in arrival order. UDP datagrams (when enabled) follow the same IP rules, equal payload sizes, at
 * most {@link VirtioNetHeader#UDP_MAX_SEGMENTS}. Output order is the arrival order of each output's first
 * packet.
 *
 * <p>Outputs: a super-packet goes to one of the caller's super slots with {@code gso_type} TCPV4/TCPV6 (+ECN
 * if the first segment has CWR) or UDP_L4, {@code gso_size} = the first segment's payload, exact
 * {@code hdr_len}, NEEDS_CSUM with {@code csum_start} = the L4 header and the L4 checksum field seeded with
 * the folded pseudo-header sum over the whole super-packet's L4 length (what the kernel's segmentation code
 * adjusts per segment; {@code TunOffloadForwardingTest} has the kernel segment and checksum our super-packets
 * in software and checks the result); its IPv4 total length and header checksum or IPv6 payload length are
 * rewritten.
 * Every other packet stays where it is with an all-zero vnet header written in the 10 bytes before it, so the
 * kernel verifies its checksum as usual, and its length trimmed to the IP length (dropping WireGuard's
 * padding). The TCP/UDP checksums of merged segments are not verified (the kernel trusts NEEDS_CSUM):
 * WireGuard has already authenticated the bytes, as with wireguard-go's GRO.
 *
 * <p>Bounded: at most {@code maxPackets} inputs and {@code maxFlows} flows per call (packets of further flows
 * pass through); nothing allocates after construction. Malformed packets pass through untouched.
 */
public final class GroCoalescer {

    private static final int KIND_OTHER = 0;
    private static final int KIND_TCP = 1;
    private static final int KIND_UDP = 2;
    /** Largest IPv4 total length / IPv6 payload length. */
    private static final int MAX_IP_LENGTH = 0xFFFF;

    private final int maxPackets;
    private final int maxFlows;
    private final boolean udp;

    // per input packet
    private final int[] pktLength;   // trimmed IP length
    private final int[] pktKind;     // KIND_*, flow-identifiable when != OTHER
    private final int[] pktIpHeader; // IP header length (L4 offset)
    private final int[] pktHeader;   // IP + L4 header length
    private final int[] pktFlags;    // TCP flags
    private final int[] pktHash;     // flow hash (valid when kind != OTHER)
    private final boolean[] pktCandidate;
    private final int[] pktNext;     // next packet of the same output, -1 at the end
    // per output item
    private final int[] itemFirst;
    private final int[] itemLast;
    private final int[] itemCount;
    private final int[] itemPayload; // payload bytes so far
    private final int[] itemNextSeq;
    private final boolean[] itemOpen;
    private final boolean[] itemSuper;
    private final long[] outOffset;
    private final int[] outLength;
    // flows
    private final int[] flowHash;
    private final int[] flowRep;     // a packet of the flow (for the full key comparison)
    private final int[] flowItem;    // open item, -1 if none

    private MemorySegment in;
    private long[] inOffsets;
    private int items;
    private int flows;
    private int superSlotsLeft;
    private long superPackets;
    private long coalescedPackets;

    /**
     * A coalescer for batches of at most {@code maxPackets} packets and {@code maxFlows} (1..64) tracked flows;
     * {@code udp} enables UDP_L4 super-packets: a TUN write accepts them from Linux 6.2 on, so enable it when
     * the device accepted {@code TUN_F_USO4} (the same probe wireguard-go uses; the written packets do not need
     * the offload itself, {@code TunOffloadKernelTest} writes them to a TUN without it).
     */
    public GroCoalescer(final int maxPackets, final int maxFlows, final boolean udp) {
        if (maxPackets < 1) {
            throw new IllegalArgumentException("maxPackets must be positive: " + maxPackets);
        }
        if (maxFlows < 1 || maxFlows > 64) {
            throw new IllegalArgumentException("maxFlows must be in 1..64: " + maxFlows);
        }
        this.maxPackets = maxPackets;
        this.maxFlows = maxFlows;
        this.udp = udp;
        pktLength = new int[maxPackets];
        pktKind = new int[maxPackets];
        pktIpHeader = new int[maxPackets];
        pktHeader = new int[maxPackets];
        pktFlags = new int[maxPackets];
        pktHash = new int[maxPackets];
        pktCandidate = new boolean[maxPackets];
        pktNext = new int[maxPackets];
        itemFirst = new int[maxPackets];
        itemLast = new int[maxPackets];
        itemCount = new int[maxPackets];
        itemPayload = new int[maxPackets];
        itemNextSeq = new int[maxPackets];
        itemOpen = new boolean[maxPackets];
        itemSuper = new boolean[maxPackets];
        outOffset = new long[maxPackets];
        outLength = new int[maxPackets];
        flowHash = new int[maxFlows];
        flowRep = new int[maxFlows];
        flowItem = new int[maxFlows];
    }

    /**
     * Coalesces {@code count} packets (arrival order) at {@code offsets[i]} / {@code lengths[i]} of {@code in},
     * each with 10 writable bytes before it (the pass-through vnet header goes there; in the RX path that is
     * part of the spent 16-byte transport header). Super-packets are written to {@code out}: the vnet header
     * at {@code superOffsets[j]}, the packet right after it, at most {@code superCapacity} bytes in all, for
     * {@code j < superSlots} (0 slots: nothing is merged). {@return the number of outputs, described by
     * {@link #isSuper}, {@link #outputOffset} and {@link #outputLength}}
     */
    public int coalesce(final MemorySegment in, final long[] offsets, final int[] lengths, final int count,
                        final MemorySegment out, final long[] superOffsets, final int superSlots,
                        final int superCapacity) {
        if (count < 0 || count > maxPackets) {
            throw new IllegalArgumentException("count must be in 0.." + maxPackets + ": " + count);
        }
        this.in = in;
        this.inOffsets = offsets;
        items = 0;
        flows = 0;
        superSlotsLeft = superSlots;
        final int maxBytes = superCapacity - VirtioNetHeader.LENGTH;
        for (int i = 0; i < count; i++) {
            parse(i, offsets[i], lengths[i]);
            place(i, maxBytes);
        }
        int slot = 0;
        for (int k = 0; k < items; k++) {
            final int f = itemFirst[k];
            if (itemCount[k] > 1) {
                final long o = superOffsets[slot++];
                outOffset[k] = o;
                outLength[k] = VirtioNetHeader.LENGTH + emitSuper(k, out, o);
                itemSuper[k] = true;
                superPackets++;
                coalescedPackets += itemCount[k];
            } else {
                final long o = offsets[f] - VirtioNetHeader.LENGTH;
                VirtioNetHeader.putPlain(in, o);
                outOffset[k] = o;
                outLength[k] = VirtioNetHeader.LENGTH + pktLength[f];
                itemSuper[k] = false;
            }
        }
        this.in = null;
        this.inOffsets = null;
        return items;
    }

    /** {@return outputs of the last {@link #coalesce} call} */
    public int outputCount() {
        return items;
    }

    /** {@return whether output {@code k} is a super-packet in {@code out} (else a packet left in {@code in})} */
    public boolean isSuper(final int k) {
        return itemSuper[k];
    }

    /** {@return offset of output {@code k}'s vnet header, in {@code out} if {@link #isSuper} else in {@code in}} */
    public long outputOffset(final int k) {
        return outOffset[k];
    }

    /** {@return bytes of output {@code k}: the 10-byte vnet header plus the packet} */
    public int outputLength(final int k) {
        return outLength[k];
    }

    /** {@return input packets merged into output {@code k} (1 for a pass-through packet)} */
    public int outputPackets(final int k) {
        return itemCount[k];
    }

    /** {@return super-packets built since construction} */
    public long superPackets() {
        return superPackets;
    }

    /** {@return input packets merged into super-packets since construction} */
    public long coalescedPackets() {
        return coalescedPackets;
    }

    /** Classifies packet {@code i}: trimmed length, kind, header lengths, candidacy. */
    private void parse(final int i, final long p, final int bufferLength) {
        final MemorySegment m = in;
        pktLength[i] = bufferLength;
        pktKind[i] = KIND_OTHER;
        pktCandidate[i] = false;
        pktNext[i] = -1;
        if (bufferLength < IPV4_MIN_LENGTH) {
            return;
        }
        final int first = u8(m, p);
        final int length;
        final int ipHeader;
        final int protocol;
        final boolean simpleIp;
        if (first >>> 4 == 4) {
            length = u16(m, p + IPV4_TOTAL_LENGTH_OFFSET);
            ipHeader = (first & 0xF) * 4;
            if (ipHeader < IPV4_MIN_LENGTH || length < ipHeader || length > bufferLength) {
                return;
            }
            if ((u16(m, p + IPV4_FRAGMENT_OFFSET) & (IPV4_MF | IPV4_FRAGMENT_MASK)) != 0) {
                pktLength[i] = length; // a fragment: no L4 header to look at
                return;
            }
            protocol = u8(m, p + IPV4_PROTOCOL_OFFSET);
            simpleIp = ipHeader == IPV4_MIN_LENGTH;
        } else if (first >>> 4 == 6 && bufferLength >= IPV6_LENGTH) {
            length = IPV6_LENGTH + u16(m, p + IPV6_PAYLOAD_LENGTH_OFFSET);
            ipHeader = IPV6_LENGTH;
            if (length > bufferLength) {
                return;
            }
            protocol = u8(m, p + IPV6_NEXT_HEADER_OFFSET);
            simpleIp = true;
        } else {
            return;
        }
        pktLength[i] = length;
        pktIpHeader[i] = ipHeader;
        if (protocol == PROTO_TCP && length >= ipHeader + TCP_MIN_LENGTH) {
            final int tcpHeader = (u8(m, p + ipHeader + TCP_DATA_OFFSET_OFFSET) >>> 4) * 4;
            if (tcpHeader < TCP_MIN_LENGTH || ipHeader + tcpHeader > length) {
                return;
            }
            final int flags = u8(m, p + ipHeader + TCP_FLAGS_OFFSET);
            pktKind[i] = KIND_TCP;
            pktHeader[i] = ipHeader + tcpHeader;
            pktFlags[i] = flags;
            pktCandidate[i] = simpleIp && length > pktHeader[i]
                    && (flags & (TCP_SYN | TCP_RST | TCP_URG | TCP_ACK)) == TCP_ACK;
        } else if (protocol == PROTO_UDP && length >= ipHeader + UDP_LENGTH) {
            pktKind[i] = KIND_UDP;
            pktHeader[i] = ipHeader + UDP_LENGTH;
            pktCandidate[i] = udp && simpleIp && length > pktHeader[i]
                    && u16(m, p + ipHeader + UDP_LENGTH_OFFSET) == length - ipHeader;
        }
    }

    /** Appends packet {@code i} to its flow's open item, or starts a new item. */
    private void place(final int i, final int maxBytes) {
        if (pktKind[i] == KIND_OTHER) {
            newItem(i, false);
            return;
        }
        pktHash[i] = flowHash(i);
        final int flow = findFlow(i);
        if (!pktCandidate[i]) {
            if (flow >= 0) {
                closeFlow(flow);
            }
            newItem(i, false);
            return;
        }
        if (flow >= 0) {
            final int k = flowItem[flow];
            if (k >= 0 && canAppend(k, i, maxBytes)) {
                append(k, i);
                return;
            }
            closeFlow(flow);
            flowItem[flow] = newItem(i, true);
            return;
        }
        final int k = newItem(i, true);
        if (flows < maxFlows) {
            flowHash[flows] = pktHash[i];
            flowRep[flows] = i;
            flowItem[flows] = k;
            flows++;
        } else {
            itemOpen[k] = false; // untracked flow: its packets stay single, so they stay in order
        }
    }

    private void closeFlow(final int flow) {
        final int k = flowItem[flow];
        if (k >= 0) {
            itemOpen[k] = false;
            flowItem[flow] = -1;
        }
    }

    private int newItem(final int i, final boolean candidate) {
        final int k = items++;
        itemFirst[k] = i;
        itemLast[k] = i;
        itemCount[k] = 1;
        final int payload = pktLength[i] - pktHeader[i];
        itemPayload[k] = payload;
        boolean open = candidate;
        if (candidate && pktKind[i] == KIND_TCP) {
            itemNextSeq[k] = u32(in, inOffsets[i] + pktIpHeader[i] + TCP_SEQ_OFFSET) + payload;
            open = (pktFlags[i] & (TCP_PSH | TCP_FIN)) == 0;
        }
        itemOpen[k] = open;
        return k;
    }

    private void append(final int k, final int i) {
        if (itemCount[k] == 1) {
            superSlotsLeft--;
        }
        pktNext[itemLast[k]] = i;
        itemLast[k] = i;
        itemCount[k]++;
        final int payload = pktLength[i] - pktHeader[i];
        final int gso = pktLength[itemFirst[k]] - pktHeader[itemFirst[k]];
        itemPayload[k] += payload;
        if (pktKind[i] == KIND_TCP) {
            itemNextSeq[k] += payload;
            if ((pktFlags[i] & (TCP_PSH | TCP_FIN)) != 0) {
                itemOpen[k] = false;
            }
        } else if (itemCount[k] == VirtioNetHeader.UDP_MAX_SEGMENTS) {
            itemOpen[k] = false;
        }
        if (payload < gso) {
            itemOpen[k] = false;
        }
    }

    private boolean canAppend(final int k, final int i, final int maxBytes) {
        if (!itemOpen[k] || itemCount[k] == 1 && superSlotsLeft == 0) {
            return false;
        }
        final int f = itemFirst[k];
        final int payload = pktLength[i] - pktHeader[i];
        if (pktHeader[i] != pktHeader[f] || payload > pktLength[f] - pktHeader[f]) {
            return false;
        }
        final int total = pktHeader[f] + itemPayload[k] + payload;
        if (total > maxBytes || total - (pktIpHeader[f] == IPV6_LENGTH ? IPV6_LENGTH : 0) > MAX_IP_LENGTH) {
            return false;
        }
        final MemorySegment m = in;
        final long a = inOffsets[f];
        final long b = inOffsets[i];
        if (!sameIp(m, a, b, itemCount[k])) {
            return false;
        }
        if (pktKind[i] == KIND_UDP) {
            return true;
        }
        final int t = pktIpHeader[f];
        if (u32(m, b + t + TCP_SEQ_OFFSET) != itemNextSeq[k]
                || u32(m, b + t + TCP_ACK_OFFSET) != u32(m, a + t + TCP_ACK_OFFSET)
                || u16(m, b + t + TCP_WINDOW_OFFSET) != u16(m, a + t + TCP_WINDOW_OFFSET)) {
            return false;
        }
        final int fixed = pktFlags[f] & ~(TCP_CWR | TCP_PSH | TCP_FIN);
        if ((pktFlags[i] & ~(TCP_PSH | TCP_FIN)) != fixed) {
            return false;
        }
        return sameBytes(m, a + t + TCP_MIN_LENGTH, b + t + TCP_MIN_LENGTH, pktHeader[f] - t - TCP_MIN_LENGTH);
    }

    /** IP fields that must match for a merge ({@code n} = packets already merged, for the IPv4 id check). */
    private static boolean sameIp(final MemorySegment m, final long a, final long b, final int n) {
        if (InetHeaders.ipVersion(m, a) == 4) {
            final int fragA = u16(m, a + IPV4_FRAGMENT_OFFSET);
            if (u8(m, a + IPV4_TOS_OFFSET) != u8(m, b + IPV4_TOS_OFFSET)
                    || u8(m, a + IPV4_TTL_OFFSET) != u8(m, b + IPV4_TTL_OFFSET)
                    || fragA != u16(m, b + IPV4_FRAGMENT_OFFSET)) {
                return false;
            }
            // without DF, segmentation will number the segments id, id+1, ...: merge only such a run
            return (fragA & IPV4_DF) != 0
                    || u16(m, b + IPV4_ID_OFFSET) == (u16(m, a + IPV4_ID_OFFSET) + n & 0xFFFF);
        }
        return u32(m, a) == u32(m, b) && u8(m, a + IPV6_HOP_LIMIT_OFFSET) == u8(m, b + IPV6_HOP_LIMIT_OFFSET);
    }

    private int findFlow(final int i) {
        final int h = pktHash[i];
        for (int f = 0; f < flows; f++) {
            if (flowHash[f] == h && sameFlow(flowRep[f], i)) {
                return f;
            }
        }
        return -1;
    }

    private boolean sameFlow(final int r, final int i) {
        if (pktKind[r] != pktKind[i]) {
            return false;
        }
        final MemorySegment m = in;
        final long a = inOffsets[r];
        final long b = inOffsets[i];
        final int v = InetHeaders.ipVersion(m, a);
        if (v != InetHeaders.ipVersion(m, b)) {
            return false;
        }
        final boolean addresses = v == 4
                ? m.get(ValueLayout.JAVA_LONG_UNALIGNED, a + IPV4_SOURCE_OFFSET)
                    == m.get(ValueLayout.JAVA_LONG_UNALIGNED, b + IPV4_SOURCE_OFFSET)
                : sameBytes(m, a + IPV6_SOURCE_OFFSET, b + IPV6_SOURCE_OFFSET, 32);
        return addresses && u32(m, a + pktIpHeader[r]) == u32(m, b + pktIpHeader[i]);
    }

    private int flowHash(final int i) {
        final MemorySegment m = in;
        final long p = inOffsets[i];
        int h = pktKind[i] * 31 + u32(m, p + pktIpHeader[i]);
        if (InetHeaders.ipVersion(m, p) == 4) {
            h = h * 0x9E3779B1 + u32(m, p + IPV4_SOURCE_OFFSET);
            h = h * 0x9E3779B1 + u32(m, p + IPV4_DESTINATION_OFFSET);
        } else {
            for (int j = 0; j < 32; j += 4) {
                h = h * 0x9E3779B1 + u32(m, p + IPV6_SOURCE_OFFSET + j);
            }
        }
        return h ^ h >>> 16;
    }

    private static boolean sameBytes(final MemorySegment m, final long a, final long b, final int len) {
        int j = 0;
        for (; j + 8 <= len; j += 8) {
            if (m.get(ValueLayout.JAVA_LONG_UNALIGNED, a + j) != m.get(ValueLayout.JAVA_LONG_UNALIGNED, b + j)) {
                return false;
            }
        }
        for (; j < len; j++) {
            if (m.get(ValueLayout.JAVA_BYTE, a + j) != m.get(ValueLayout.JAVA_BYTE, b + j)) {
                return false;
            }
        }
        return true;
    }

    /** Writes item {@code k} as a super-packet (vnet header at {@code o}); {@return the packet length} */
    private int emitSuper(final int k, final MemorySegment out, final long o) {
        final int f = itemFirst[k];
        final long p = o + VirtioNetHeader.LENGTH;
        final int h = pktHeader[f];
        final int t = pktIpHeader[f];
        MemorySegment.copy(in, inOffsets[f], out, p, pktLength[f]);
        long at = p + pktLength[f];
        for (int i = pktNext[f]; i >= 0; i = pktNext[i]) {
            final int payload = pktLength[i] - h;
            MemorySegment.copy(in, inOffsets[i] + h, out, at, payload);
            at += payload;
        }
        final int length = (int) (at - p);
        final boolean v4 = InetHeaders.ipVersion(out, p) == 4;
        if (v4) {
            InetHeaders.putU16(out, p + IPV4_TOTAL_LENGTH_OFFSET, length);
            Checksum.putIpv4HeaderChecksum(out, p, t);
        } else {
            InetHeaders.putU16(out, p + IPV6_PAYLOAD_LENGTH_OFFSET, length - IPV6_LENGTH);
        }
        final int gsoSize = pktLength[f] - h;
        final int l4Length = length - t;
        final int type;
        final int csumOffset;
        if (pktKind[f] == KIND_TCP) {
            final int flags = pktFlags[f] | pktFlags[itemLast[k]] & (TCP_PSH | TCP_FIN);
            out.set(ValueLayout.JAVA_BYTE, p + t + TCP_FLAGS_OFFSET, (byte) flags);
            csumOffset = TCP_CHECKSUM_OFFSET;
            type = (v4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6)
                    | ((flags & TCP_CWR) != 0 ? VirtioNetHeader.GSO_ECN : 0);
            InetHeaders.putU16(out, p + t + TCP_CHECKSUM_OFFSET,
                    Checksum.pseudoHeader(out, p, v4 ? 4 : 6, PROTO_TCP, l4Length));
        } else {
            csumOffset = UDP_CHECKSUM_OFFSET;
            type = VirtioNetHeader.GSO_UDP_L4;
            InetHeaders.putU16(out, p + t + UDP_LENGTH_OFFSET, l4Length);
            InetHeaders.putU16(out, p + t + UDP_CHECKSUM_OFFSET,
                    Checksum.pseudoHeader(out, p, v4 ? 4 : 6, PROTO_UDP, l4Length));
        }
        VirtioNetHeader.put(out, o, VirtioNetHeader.F_NEEDS_CSUM, type, h, gsoSize, t, csumOffset);
        return length;
    }
}
