package io.jwg.wg.offload;

import static io.jwg.wg.offload.InetHeaders.IPV4_DESTINATION_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV4_SOURCE_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV6_DESTINATION_OFFSET;
import static io.jwg.wg.offload.InetHeaders.IPV6_SOURCE_OFFSET;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stateless: the Internet checksum (RFC 1071) over {@link MemorySegment}s, pseudo-header sums for TCP/UDP
 * over IPv4 (RFC 9293 3.1, RFC 768) and IPv6 (RFC 8200 8.1), and incremental update (RFC 1624).
 *
 * <p>Values: a <em>sum</em> is the folded 16-bit one's-complement sum of big-endian 16-bit words
 * (0..0xFFFF, not complemented); sums of adjacent even-length regions combine with {@link #add}; the
 * <em>checksum</em> stored in a header is {@link #finish}{@code (sum)}.
 *
 * <p>How it is fast: RFC 1071 section 2(B): the one's-complement sum is byte-order independent, so the
 * bytes are read as native little-endian 64-bit words, each split into two 32-bit halves added into a
 * 64-bit accumulator (no carry to propagate for 2^31 words, i.e. any packet), folded once at the end and
 * byte-swapped to network order. Regions of {@link #VECTOR_THRESHOLD} bytes or more go through the Vector API
 * (the same split-and-add on every lane, two accumulators, the remainder through one masked load); with
 * AVX-512 on this project's machine the vector path was ~2x faster at 1500 B and ~4x at 64 KB, about even at
 * 64 B ({@code OffloadBench}). Hosts with 128-bit vectors keep the scalar path.
 */
public final class Checksum {

    private Checksum() {
    }

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final long LOW32 = 0xFFFF_FFFFL;

    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final int VECTOR_BYTES = SPECIES.vectorByteSize();

    /** Regions at least this long use the vector loop (measured crossover ~64 B); 0 = never. Property override. */
    static final int VECTOR_THRESHOLD = vectorThreshold();

    private static int vectorThreshold() {
        String p = System.getProperty("jwg.checksum.vectorThreshold");
        if (p != null) {
            return Integer.parseInt(p);
        }
        return SPECIES.length() >= 4 ? 64 : 0;
    }

    /** {@return the folded one's-complement sum of {@code len} bytes at {@code off}, big-endian words} */
    public static int sum(final MemorySegment seg, final long off, final long len) {
        final long acc = len >= VECTOR_THRESHOLD && VECTOR_THRESHOLD > 0
                ? accumulateVector(seg, off, len) : accumulateScalar(seg, off, len);
        return Short.toUnsignedInt(Short.reverseBytes((short) fold(acc)));
    }

    /** Scalar path of {@link #sum} (exposed for tests and benchmarks). */
    public static int sumScalar(final MemorySegment seg, final long off, final long len) {
        return Short.toUnsignedInt(Short.reverseBytes((short) fold(accumulateScalar(seg, off, len))));
    }

    /** Vector path of {@link #sum} (exposed for tests and benchmarks). */
    public static int sumVector(final MemorySegment seg, final long off, final long len) {
        return Short.toUnsignedInt(Short.reverseBytes((short) fold(accumulateVector(seg, off, len))));
    }

    /** {@return the stored checksum of {@code len} bytes at {@code off}: complement of {@link #sum}} */
    public static int checksum(final MemorySegment seg, final long off, final long len) {
        return finish(sum(seg, off, len));
    }

    /** Little-endian 32-bit halves of 64-bit words; the tail as a 4-, 2- and 1-byte word. */
    private static long accumulateScalar(final MemorySegment seg, final long off, final long len) {
        long a = 0;
        long b = 0;
        long i = 0;
        final long end16 = len & ~15L;
        for (; i < end16; i += 16) {
            final long v = seg.get(LE_LONG, off + i);
            final long w = seg.get(LE_LONG, off + i + 8);
            a += (v & LOW32) + (v >>> 32);
            b += (w & LOW32) + (w >>> 32);
        }
        return a + tail(seg, off + i, len - i) + b;
    }

    private static long accumulateVector(final MemorySegment seg, final long off, final long len) {
        LongVector a = LongVector.zero(SPECIES);
        LongVector b = LongVector.zero(SPECIES);
        long i = 0;
        final long bound2 = len - 2L * VECTOR_BYTES;
        for (; i <= bound2; i += 2L * VECTOR_BYTES) {
            final LongVector v = LongVector.fromMemorySegment(SPECIES, seg, off + i, LE);
            final LongVector w = LongVector.fromMemorySegment(SPECIES, seg, off + i + VECTOR_BYTES, LE);
            a = a.add(v.and(LOW32)).add(v.lanewise(VectorOperators.LSHR, 32));
            b = b.add(w.and(LOW32)).add(w.lanewise(VectorOperators.LSHR, 32));
        }
        // the rest (< 2 vectors): whole 64-bit words through masked loads, the last < 8 bytes scalar
        final long words = (len - i) >>> 3;
        if (words >= SPECIES.length()) {
            final LongVector v = LongVector.fromMemorySegment(SPECIES, seg, off + i, LE);
            a = a.add(v.and(LOW32)).add(v.lanewise(VectorOperators.LSHR, 32));
            i += VECTOR_BYTES;
        }
        final int rest = (int) ((len - i) >>> 3);
        if (rest > 0) {
            final VectorMask<Long> m = SPECIES.indexInRange(0, rest);
            final LongVector v = LongVector.fromMemorySegment(SPECIES, seg, off + i, LE, m);
            b = b.add(v.and(LOW32)).add(v.lanewise(VectorOperators.LSHR, 32));
            i += (long) rest << 3;
        }
        return a.add(b).reduceLanes(VectorOperators.ADD) + tail(seg, off + i, len - i);
    }

    /** Sum of fewer than 16 bytes, in the same little-endian word convention. */
    private static long tail(final MemorySegment seg, final long off, final long len) {
        long s = 0;
        long i = 0;
        if (len - i >= 8) {
            final long v = seg.get(LE_LONG, off);
            s += (v & LOW32) + (v >>> 32);
            i += 8;
        }
        if (len - i >= 4) {
            s += Integer.toUnsignedLong(seg.get(LE_INT, off + i));
            i += 4;
        }
        if (len - i >= 2) {
            s += Short.toUnsignedInt(seg.get(LE_SHORT, off + i));
            i += 2;
        }
        if (len - i == 1) {
            // odd byte = high byte of a zero-padded big-endian word = low byte in little-endian order
            s += Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, off + i));
        }
        return s;
    }

    /** {@return {@code acc} folded with end-around carries to 16 bits} */
    public static int fold(final long acc) {
        long s = (acc & LOW32) + (acc >>> 32);
        s = (s & LOW32) + (s >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int) s;
    }

    /** {@return one's-complement sum of two folded sums} */
    public static int add(final int a, final int b) {
        final int s = a + b;
        return (s & 0xFFFF) + (s >>> 16);
    }

    /** {@return the checksum field value for {@code sum}: its complement} */
    public static int finish(final int sum) {
        return ~sum & 0xFFFF;
    }

    /**
     * {@return the checksum for a UDP header: {@link #finish}, with 0 sent as 0xFFFF} (RFC 768: a zero
     * field means "no checksum"; 0xFFFF is the same value in one's complement, also accepted by TCP).
     */
    public static int finishUdp(final int sum) {
        final int c = finish(sum);
        return c == 0 ? 0xFFFF : c;
    }

    /**
     * {@return the folded pseudo-header sum for an IPv4 packet at {@code ipOff}}: source, destination,
     * zero + {@code protocol}, and {@code l4Length} (upper-layer header + data).
     */
    public static int pseudoHeaderV4(final MemorySegment seg, final long ipOff, final int protocol,
                                     final int l4Length) {
        long acc = Integer.toUnsignedLong(seg.get(InetHeaders.BE_INT, ipOff + IPV4_SOURCE_OFFSET))
                + Integer.toUnsignedLong(seg.get(InetHeaders.BE_INT, ipOff + IPV4_DESTINATION_OFFSET));
        acc += protocol + (long) l4Length;
        return fold(acc);
    }

    /**
     * {@return the folded pseudo-header sum for an IPv6 packet at {@code ipOff}}: source, destination,
     * 32-bit {@code l4Length}, 24 zero bits and the next-header value {@code protocol}.
     */
    public static int pseudoHeaderV6(final MemorySegment seg, final long ipOff, final int protocol,
                                     final int l4Length) {
        long acc = 0;
        for (int i = 0; i < 32; i += 8) {
            final long v = seg.get(InetHeaders.BE_LONG, ipOff + IPV6_SOURCE_OFFSET + i);
            acc += (v & LOW32) + (v >>> 32);
        }
        acc += protocol + Integer.toUnsignedLong(l4Length);
        return fold(acc);
    }

    /** {@return the pseudo-header sum for the IPv4 ({@code version} 4) or IPv6 packet at {@code ipOff}} */
    public static int pseudoHeader(final MemorySegment seg, final long ipOff, final int version, final int protocol,
                                   final int l4Length) {
        return version == 4 ? pseudoHeaderV4(seg, ipOff, protocol, l4Length)
                : pseudoHeaderV6(seg, ipOff, protocol, l4Length);
    }

    /**
     * RFC 1624 eqn. 3: {@return the checksum field after one 16-bit word changes from {@code oldWord} to
     * {@code newWord}}: {@code HC' = ~(~HC + ~m + m')}.
     */
    public static int update16(final int check, final int oldWord, final int newWord) {
        final int s = (~check & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return finish(fold(s));
    }

    /** RFC 1624 for a 32-bit field (two 16-bit words), e.g. a TCP sequence number or an IPv4 address. */
    public static int update32(final int check, final int oldValue, final int newValue) {
        final long s = (~check & 0xFFFF) + (long) (~oldValue >>> 16 & 0xFFFF) + (~oldValue & 0xFFFF)
                + (newValue >>> 16) + (newValue & 0xFFFF);
        return finish(fold(s));
    }

    /** Recomputes and stores the header checksum of the {@code headerLength}-byte IPv4 header at {@code ipOff}. */
    public static void putIpv4HeaderChecksum(final MemorySegment seg, final long ipOff, final int headerLength) {
        InetHeaders.putU16(seg, ipOff + InetHeaders.IPV4_CHECKSUM_OFFSET, 0);
        InetHeaders.putU16(seg, ipOff + InetHeaders.IPV4_CHECKSUM_OFFSET, checksum(seg, ipOff, headerLength));
    }
}
