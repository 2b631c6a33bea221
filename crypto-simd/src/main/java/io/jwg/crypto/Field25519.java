package io.jwg.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Arithmetic in GF(2^255 - 19) for {@link X25519}: stateless static functions on field elements
 * held as {@code long[5]} in radix 2^51 (value = sum of {@code f[i] * 2^(51 i)}), thread-safe.
 *
 * <p>Every function is constant time: no branch or memory index depends on limb values. Outputs
 * may alias inputs.
 *
 * <p>Products are split, not accumulated in 128 bits: for each limb product {@code p = x * y}
 * (below 2^112) the low 53 bits come from the ordinary multiply and {@code p >> 53} from one
 * {@link Math#unsignedMultiplyHigh}{@code (x, y << 11)}; the two halves are summed in separate
 * 64-bit column accumulators, so no add-with-carry is needed. That needs {@code y < 2^53}, and
 * the factors 2 and 19 are therefore put on the {@code x} side.
 *
 * <p>Limb bounds (the invariants that keep every accumulator below 2^63):
 * <ul>
 *   <li>{@link #mul}, {@link #sq}, {@link #mulSmall} and {@link #fromBytes} output limbs
 *       {@code < 2^51 + 2^20} ("loose").</li>
 *   <li>{@link #add} of two loose elements: limbs {@code < 2^52 + 2^21}.</li>
 *   <li>{@link #sub} of loose elements (computes {@code a + 2p - b}): limbs {@code < 2^53}, never
 *       negative.</li>
 *   <li>{@link #mul}, {@link #sq}, {@link #mulSmall} accept limbs {@code < 2^53}: the left
 *       factor is then {@code < 38 * 2^53 < 2^58.3}, each {@code p >> 53} is {@code < 2^58.3} and
 *       a column's high sum {@code < 2^59.9}.</li>
 * </ul>
 */
final class Field25519 {
    /** Number of limbs. */
    static final int LIMBS = 5;
    private static final long M51 = (1L << 51) - 1;
    private static final long M53 = (1L << 53) - 1;
    /** 2p in radix 2^51: limbs of 2 * (2^255 - 19). */
    private static final long TWO_P0 = 2 * ((1L << 51) - 19);
    private static final long TWO_P = 2 * ((1L << 51) - 1);
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Field25519() {
    }

    /** Low 53 bits of {@code x * y} (x, y non-negative). */
    private static long lo(long x, long y) {
        return (x * y) & M53;
    }

    /** {@code (x * y) >> 53} of the full 128-bit product, given {@code yShifted = y << 11} (y < 2^53). */
    private static long hi(long x, long yShifted) {
        return Math.unsignedMultiplyHigh(x, yShifted);
    }

    /** {@code r = a * b}. */
    static void mul(long[] r, long[] a, long[] b) {
        final long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
        final long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4];
        // The 19 (2^255 = 19 mod p) goes on the a side; the b side is also kept shifted left by 11
        // so that one unsigned high multiply yields p >> 53 directly.
        final long a1x = 19 * a1, a2x = 19 * a2, a3x = 19 * a3, a4x = 19 * a4;
        final long s0 = b0 << 11, s1 = b1 << 11, s2 = b2 << 11, s3 = b3 << 11, s4 = b4 << 11;
        // Column k = sum over i + j = k (mod 5) of a_i b_j, times 19 where i + j >= 5.
        long l0 = lo(a0, b0) + lo(a1x, b4) + lo(a2x, b3) + lo(a3x, b2) + lo(a4x, b1);
        long h0 = hi(a0, s0) + hi(a1x, s4) + hi(a2x, s3) + hi(a3x, s2) + hi(a4x, s1);
        long l1 = lo(a0, b1) + lo(a1, b0) + lo(a2x, b4) + lo(a3x, b3) + lo(a4x, b2);
        long h1 = hi(a0, s1) + hi(a1, s0) + hi(a2x, s4) + hi(a3x, s3) + hi(a4x, s2);
        long l2 = lo(a0, b2) + lo(a1, b1) + lo(a2, b0) + lo(a3x, b4) + lo(a4x, b3);
        long h2 = hi(a0, s2) + hi(a1, s1) + hi(a2, s0) + hi(a3x, s4) + hi(a4x, s3);
        long l3 = lo(a0, b3) + lo(a1, b2) + lo(a2, b1) + lo(a3, b0) + lo(a4x, b4);
        long h3 = hi(a0, s3) + hi(a1, s2) + hi(a2, s1) + hi(a3, s0) + hi(a4x, s4);
        long l4 = lo(a0, b4) + lo(a1, b3) + lo(a2, b2) + lo(a3, b1) + lo(a4, b0);
        long h4 = hi(a0, s4) + hi(a1, s3) + hi(a2, s2) + hi(a3, s1) + hi(a4, s0);
        carry(r, l0, h0, l1, h1, l2, h2, l3, h3, l4, h4);
    }

    /** {@code r = a^2}. */
    static void sq(long[] r, long[] a) {
        final long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
        final long s0 = a0 << 11, s1 = a1 << 11, s2 = a2 << 11, s3 = a3 << 11, s4 = a4 << 11;
        // Doubling and the factor 19 both go on the unshifted (left) side.
        final long d0 = 2 * a0, d1 = 2 * a1, a3x = 19 * a3, a4x = 19 * a4, a3xx = 38 * a3, a4xx = 38 * a4;
        long l0 = lo(a0, a0) + lo(a4xx, a1) + lo(a3xx, a2);
        long h0 = hi(a0, s0) + hi(a4xx, s1) + hi(a3xx, s2);
        long l1 = lo(d0, a1) + lo(a3x, a3) + lo(a4xx, a2);
        long h1 = hi(d0, s1) + hi(a3x, s3) + hi(a4xx, s2);
        long l2 = lo(d0, a2) + lo(a1, a1) + lo(a4xx, a3);
        long h2 = hi(d0, s2) + hi(a1, s1) + hi(a4xx, s3);
        long l3 = lo(d0, a3) + lo(d1, a2) + lo(a4x, a4);
        long h3 = hi(d0, s3) + hi(d1, s2) + hi(a4x, s4);
        long l4 = lo(d0, a4) + lo(d1, a3) + lo(a2, a2);
        long h4 = hi(d0, s4) + hi(d1, s3) + hi(a2, s2);
        carry(r, l0, h0, l1, h1, l2, h2, l3, h3, l4, h4);
    }

    /** {@code r = a^(2^n)}, n >= 1. */
    static void sqN(long[] r, long[] a, int n) {
        sq(r, a);
        for (int i = 1; i < n; i++) {
            sq(r, r);
        }
    }

    /**
     * Folds the split column sums (column k = l_k + h_k * 2^53) into loose limbs: the carry out of
     * column k is {@code 4 h_k + (l_k >> 51)}. Bounds: l_k {@code < 2^55.4}, h_k {@code < 2^59.9};
     * column 4 has no factor 19, so its carry c is {@code < 2^57.5} and {@code 19 c < 2^62}.
     */
    private static void carry(long[] r, long l0, long h0, long l1, long h1, long l2, long h2, long l3, long h3,
            long l4, long h4) {
        long c = (h0 << 2) + (l0 >>> 51);
        long r0 = l0 & M51;
        l1 += c;
        c = (h1 << 2) + (l1 >>> 51);
        long r1 = l1 & M51;
        l2 += c;
        c = (h2 << 2) + (l2 >>> 51);
        r[2] = l2 & M51;
        l3 += c;
        c = (h3 << 2) + (l3 >>> 51);
        r[3] = l3 & M51;
        l4 += c;
        c = (h4 << 2) + (l4 >>> 51);
        r[4] = l4 & M51;
        r0 += 19 * c;
        r[0] = r0 & M51;
        r[1] = r1 + (r0 >>> 51);
    }

    /** {@code r = a * c} for a small constant {@code 0 <= c < 2^17} (121665 fits). */
    static void mulSmall(long[] r, long[] a, long c) {
        // a_i * c < 2^70: carry = (a_i * c) >> 51 from the high multiply (shifted so it lands at 53).
        long p0 = a[0] * c, p1 = a[1] * c, p2 = a[2] * c, p3 = a[3] * c, p4 = a[4] * c;
        long cs = c << 11;
        long c0 = (hi(a[0], cs) << 2) + ((p0 & M53) >>> 51);
        long c1 = (hi(a[1], cs) << 2) + ((p1 & M53) >>> 51);
        long c2 = (hi(a[2], cs) << 2) + ((p2 & M53) >>> 51);
        long c3 = (hi(a[3], cs) << 2) + ((p3 & M53) >>> 51);
        long c4 = (hi(a[4], cs) << 2) + ((p4 & M53) >>> 51);
        long r0 = (p0 & M51) + 19 * c4;
        r[1] = (p1 & M51) + c0 + (r0 >>> 51);
        r[0] = r0 & M51;
        r[2] = (p2 & M51) + c1;
        r[3] = (p3 & M51) + c2;
        r[4] = (p4 & M51) + c3;
    }

    /** {@code r = a} with limbs carried down to loose ({@code a}'s limbs must be below 2^62). */
    static void reduce(long[] r, long[] a) {
        long h0 = a[0], h1 = a[1], h2 = a[2], h3 = a[3], h4 = a[4];
        h1 += h0 >>> 51;
        h2 += h1 >>> 51;
        h3 += h2 >>> 51;
        h4 += h3 >>> 51;
        long c = h4 >>> 51;
        h0 = (h0 & M51) + 19 * c;
        r[0] = h0 & M51;
        r[1] = (h1 & M51) + (h0 >>> 51);
        r[2] = h2 & M51;
        r[3] = h3 & M51;
        r[4] = h4 & M51;
    }

    /** {@code r = a + b} (no carry; see the class bounds). */
    static void add(long[] r, long[] a, long[] b) {
        r[0] = a[0] + b[0];
        r[1] = a[1] + b[1];
        r[2] = a[2] + b[2];
        r[3] = a[3] + b[3];
        r[4] = a[4] + b[4];
    }

    /** {@code r = a - b}, computed as {@code a + 2p - b} so no limb goes negative ({@code b} loose). */
    static void sub(long[] r, long[] a, long[] b) {
        r[0] = a[0] + TWO_P0 - b[0];
        r[1] = a[1] + TWO_P - b[1];
        r[2] = a[2] + TWO_P - b[2];
        r[3] = a[3] + TWO_P - b[3];
        r[4] = a[4] + TWO_P - b[4];
    }

    /** Swaps {@code a} and {@code b} if {@code bit == 1}, leaves them if {@code bit == 0}, without branching. */
    static void cswap(long[] a, long[] b, long bit) {
        long mask = -bit;
        for (int i = 0; i < LIMBS; i++) {
            long t = mask & (a[i] ^ b[i]);
            a[i] ^= t;
            b[i] ^= t;
        }
    }

    /** {@code r = 1}. */
    static void one(long[] r) {
        r[0] = 1;
        r[1] = 0;
        r[2] = 0;
        r[3] = 0;
        r[4] = 0;
    }

    /** {@code r = a}. */
    static void copy(long[] r, long[] a) {
        System.arraycopy(a, 0, r, 0, LIMBS);
    }

    /**
     * {@code r = a^(p-2) = 1/a} (0 for a = 0), by Fermat's little theorem with the usual addition
     * chain for 2^255 - 21: 254 squarings and 11 multiplications. {@code r} must not alias {@code a}.
     */
    static void invert(long[] r, long[] a) {
        long[] z2 = new long[LIMBS];
        long[] z9 = new long[LIMBS];
        long[] z11 = new long[LIMBS];
        long[] z2x5 = new long[LIMBS];   // a^(2^5 - 1)
        long[] z2x10 = new long[LIMBS];  // a^(2^10 - 1)
        long[] z2x20 = new long[LIMBS];
        long[] z2x50 = new long[LIMBS];
        long[] z2x100 = new long[LIMBS];
        long[] t = new long[LIMBS];
        sq(z2, a);                 // 2
        sqN(t, z2, 2);             // 8
        mul(z9, t, a);             // 9
        mul(z11, z9, z2);          // 11
        sq(t, z11);                // 22
        mul(z2x5, t, z9);          // 31 = 2^5 - 1
        sqN(t, z2x5, 5);
        mul(z2x10, t, z2x5);       // 2^10 - 1
        sqN(t, z2x10, 10);
        mul(z2x20, t, z2x10);      // 2^20 - 1
        sqN(t, z2x20, 20);
        mul(t, t, z2x20);          // 2^40 - 1
        sqN(t, t, 10);
        mul(z2x50, t, z2x10);      // 2^50 - 1
        sqN(t, z2x50, 50);
        mul(z2x100, t, z2x50);     // 2^100 - 1
        sqN(t, z2x100, 100);
        mul(t, t, z2x100);         // 2^200 - 1
        sqN(t, t, 50);
        mul(t, t, z2x50);          // 2^250 - 1
        sqN(t, t, 5);              // 2^255 - 2^5
        mul(r, t, z11);            // 2^255 - 21 = p - 2
        for (long[] x : new long[][] {z2, z9, z11, z2x5, z2x10, z2x20, z2x50, z2x100, t}) {
            java.util.Arrays.fill(x, 0);
        }
    }

    /**
     * Decodes 32 little-endian bytes, ignoring bit 255 (RFC 7748 §5). Non-canonical values
     * (p..2^255-1) are accepted as they are; arithmetic reduces them.
     */
    static void fromBytes(long[] r, byte[] in, int off) {
        long w0 = (long) LONG_LE.get(in, off);
        long w1 = (long) LONG_LE.get(in, off + 8);
        long w2 = (long) LONG_LE.get(in, off + 16);
        long w3 = (long) LONG_LE.get(in, off + 24);
        r[0] = w0 & M51;
        r[1] = ((w0 >>> 51) | (w1 << 13)) & M51;
        r[2] = ((w1 >>> 38) | (w2 << 26)) & M51;
        r[3] = ((w2 >>> 25) | (w3 << 39)) & M51;
        r[4] = (w3 >>> 12) & M51;
    }

    /** Encodes the canonical (fully reduced, in [0, p)) value of {@code a} as 32 little-endian bytes. */
    static void toBytes(byte[] out, int off, long[] a) {
        long h0 = a[0], h1 = a[1], h2 = a[2], h3 = a[3], h4 = a[4];
        // Two weak passes: afterwards every limb is < 2^51 (h0 may exceed by < 19) and h < 2^255 + 19.
        for (int pass = 0; pass < 2; pass++) {
            h1 += h0 >>> 51;
            h0 &= M51;
            h2 += h1 >>> 51;
            h1 &= M51;
            h3 += h2 >>> 51;
            h2 &= M51;
            h4 += h3 >>> 51;
            h3 &= M51;
            h0 += 19 * (h4 >>> 51);
            h4 &= M51;
        }
        // q = 1 iff h >= p, i.e. iff h + 19 >= 2^255; then subtract p by adding 19 and dropping 2^255.
        long q = (h0 + 19) >>> 51;
        q = (h1 + q) >>> 51;
        q = (h2 + q) >>> 51;
        q = (h3 + q) >>> 51;
        q = (h4 + q) >>> 51;
        h0 += 19 * q;
        h1 += h0 >>> 51;
        h0 &= M51;
        h2 += h1 >>> 51;
        h1 &= M51;
        h3 += h2 >>> 51;
        h2 &= M51;
        h4 += h3 >>> 51;
        h3 &= M51;
        h4 &= M51;
        LONG_LE.set(out, off, h0 | (h1 << 51));
        LONG_LE.set(out, off + 8, (h1 >>> 13) | (h2 << 38));
        LONG_LE.set(out, off + 16, (h2 >>> 26) | (h3 << 25));
        LONG_LE.set(out, off + 24, (h3 >>> 39) | (h4 << 12));
    }
}
