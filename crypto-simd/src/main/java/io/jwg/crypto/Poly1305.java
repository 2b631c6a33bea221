package io.jwg.crypto;

import static io.jwg.crypto.ChaCha20.LE_INT;
import static io.jwg.crypto.ChaCha20.LE_LONG;

import java.lang.constant.ConstantDescs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Poly1305 one-time authenticator (RFC 8439 §2.5). Stateless and thread-safe; no allocation per call.
 *
 * <p>Two implementations of the same function: {@link #macReference} uses five 26-bit limbs exactly as
 * the RFC's arithmetic suggests (the model), and the fast path ({@link #mac}, and {@link #aead} for the
 * AEAD's padded construction, RFC 8439 §2.8) keeps the accumulator in two 64-bit limbs plus a few
 * top bits and multiplies with {@link Math#unsignedMultiplyHigh}. The clamped key makes that cheap:
 * {@code r1} is a multiple of 4, so the {@code 2^128} cross term folds back as {@code r1 + r1/4}
 * ({@code 2^130 = 5 mod p}).
 */
public final class Poly1305 {

    /** One-time key: r (16 bytes, clamped) then s (16 bytes) (RFC 8439 §2.5). */
    public static final int KEY_LENGTH = 32;
    /** Tag length in bytes. */
    public static final int TAG_LENGTH = 16;
    /** Message block length in bytes. */
    public static final int BLOCK_LENGTH = 16;

    /** Clamp masks for r (RFC 8439 §2.5: r &= 0x0ffffffc0ffffffc0ffffffc0fffffff), low and high 64 bits. */
    static final long CLAMP_LO = 0x0ffffffc0fffffffL;
    static final long CLAMP_HI = 0x0ffffffc0ffffffcL;

    /**
     * Long lanes of the shape ChaCha20Vector uses (same {@code jwg.chacha.species} property); a hidden
     * copy made by {@link ChaCha20Vector#specialised(Class, VectorSpecies)} gets another shape.
     */
    static final VectorSpecies<Long> LS = chooseSpecies();
    /** Blocks processed side by side. */
    static final int NL = LS.length();
    /** Below this many whole blocks in a part, the scalar loop alone is faster (power set-up cost). */
    static final int VECTOR_MIN_BLOCKS = 3 * NL;
    private static final LongVector LANE_INDEX = LongVector.zero(LS).addIndex(1);
    /** Deinterleave two vectors of (lo, hi) 64-bit halves of blocks into all lo and all hi halves. */
    private static final LongVector EVEN = LANE_INDEX.mul(2), ODD = EVEN.add(1);

    private Poly1305() {
    }

    private static VectorSpecies<Long> chooseSpecies() {
        try {
            VectorSpecies<?> given = MethodHandles.classData(MethodHandles.lookup(), ConstantDescs.DEFAULT_NAME, VectorSpecies.class);
            if (given != null) {
                return VectorSpecies.of(long.class, given.vectorShape());
            }
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
        return VectorSpecies.of(long.class, ChaCha20Vector.SPECIES.vectorShape());
    }

    /**
     * Computes the 16-byte tag of {@code msg} under the one-time {@code key} (32 bytes) into
     * {@code tag[0, 16)}.
     */
    public static void mac(MemorySegment key, MemorySegment msg, MemorySegment tag) {
        checkArgs(key, tag);
        compute(key.get(LE_LONG, 0), key.get(LE_LONG, 8), key.get(LE_LONG, 16), key.get(LE_LONG, 24),
                msg, 0, msg.byteSize(), MemorySegment.NULL, 0, 0, false, tag, 0, false);
    }

    /** The same function as {@link #mac}, computed with 26-bit limbs (the reference model). */
    static void macReference(MemorySegment key, MemorySegment msg, MemorySegment tag) {
        checkArgs(key, tag);
        long t0 = key.get(LE_INT, 0) & 0xffffffffL, t1 = key.get(LE_INT, 4) & 0xffffffffL;
        long t2 = key.get(LE_INT, 8) & 0xffffffffL, t3 = key.get(LE_INT, 12) & 0xffffffffL;
        long r0 = t0 & 0x3ffffff;
        long r1 = ((t0 >>> 26) | (t1 << 6)) & 0x3ffff03;
        long r2 = ((t1 >>> 20) | (t2 << 12)) & 0x3ffc0ff;
        long r3 = ((t2 >>> 14) | (t3 << 18)) & 0x3f03fff;
        long r4 = (t3 >>> 8) & 0x00fffff;
        long s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
        long h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0;
        long len = msg.byteSize();
        for (long off = 0; off < len; off += BLOCK_LENGTH) {
            long n = Math.min(BLOCK_LENGTH, len - off);
            long[] m = new long[5]; // 17 bytes little-endian in 32-bit words (reference: clarity first)
            for (int i = 0; i < n; i++) {
                m[i >>> 2] |= (msg.get(ValueLayout.JAVA_BYTE, off + i) & 0xffL) << ((i & 3) * 8);
            }
            m[(int) (n >>> 2)] |= 1L << ((n & 3) * 8); // the appended 0x01 byte
            h0 += m[0] & 0x3ffffff;
            h1 += ((m[0] >>> 26) | (m[1] << 6)) & 0x3ffffff;
            h2 += ((m[1] >>> 20) | (m[2] << 12)) & 0x3ffffff;
            h3 += ((m[2] >>> 14) | (m[3] << 18)) & 0x3ffffff;
            h4 += (m[3] >>> 8) | (m[4] << 24);
            long d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
            long d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
            long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
            long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
            long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
            long c = d0 >>> 26; h0 = d0 & 0x3ffffff;
            d1 += c; c = d1 >>> 26; h1 = d1 & 0x3ffffff;
            d2 += c; c = d2 >>> 26; h2 = d2 & 0x3ffffff;
            d3 += c; c = d3 >>> 26; h3 = d3 & 0x3ffffff;
            d4 += c; c = d4 >>> 26; h4 = d4 & 0x3ffffff;
            h0 += c * 5; c = h0 >>> 26; h0 &= 0x3ffffff;
            h1 += c;
        }
        // full carry, then h mod p: subtract p when h + 5 reaches 2^130
        long c = h1 >>> 26; h1 &= 0x3ffffff;
        h2 += c; c = h2 >>> 26; h2 &= 0x3ffffff;
        h3 += c; c = h3 >>> 26; h3 &= 0x3ffffff;
        h4 += c; c = h4 >>> 26; h4 &= 0x3ffffff;
        h0 += c * 5; c = h0 >>> 26; h0 &= 0x3ffffff;
        h1 += c;
        long g0 = h0 + 5; c = g0 >>> 26; g0 &= 0x3ffffff;
        long g1 = h1 + c; c = g1 >>> 26; g1 &= 0x3ffffff;
        long g2 = h2 + c; c = g2 >>> 26; g2 &= 0x3ffffff;
        long g3 = h3 + c; c = g3 >>> 26; g3 &= 0x3ffffff;
        long g4 = h4 + c - (1L << 26);
        if (g4 >= 0) {
            h0 = g0; h1 = g1; h2 = g2; h3 = g3; h4 = g4;
        }
        long lo = h0 | (h1 << 26) | (h2 << 52);
        long hi = (h2 >>> 12) | (h3 << 14) | (h4 << 40);
        long s0 = key.get(LE_LONG, 16), sHi = key.get(LE_LONG, 24);
        long t = lo + s0;
        hi = hi + sHi + (Long.compareUnsigned(t, lo) < 0 ? 1 : 0);
        tag.set(LE_LONG, 0, t);
        tag.set(LE_LONG, 8, hi);
    }

    private static void checkArgs(MemorySegment key, MemorySegment tag) {
        if (key.byteSize() != KEY_LENGTH) {
            throw new IllegalArgumentException("key must be 32 bytes, is " + key.byteSize());
        }
        if (tag.byteSize() < TAG_LENGTH) {
            throw new IllegalArgumentException("tag must hold 16 bytes, has " + tag.byteSize());
        }
    }

    /**
     * The AEAD tag of RFC 8439 §2.8: Poly1305 over {@code aad || pad16 || ct || pad16 || le64(aadLen)
     * || le64(ctLen)} with the one-time key {@code (r, s)} given as little-endian 64-bit halves.
     * When {@code verify} is false the tag is written to {@code tag[tagOff, +16)}; when true it is
     * compared in constant time with the bytes there and nothing is written.
     *
     * @return true when written, or when verifying and the tags are equal
     */
    static boolean aead(long r0, long r1, long s0, long s1,
                        MemorySegment aad, long aadOff, long aadLen,
                        MemorySegment ct, long ctOff, long ctLen,
                        MemorySegment tag, long tagOff, boolean verify) {
        return compute(r0, r1, s0, s1, aad, aadOff, aadLen, ct, ctOff, ctLen, true, tag, tagOff, verify);
    }

    /**
     * The fast path. Parts a and b are absorbed in turn; in AEAD mode each is zero-padded to whole
     * blocks and a length block follows, otherwise (plain MAC) only part a is used and its last
     * partial block gets the 0x01 byte of RFC 8439 §2.5.1 instead of the 2^128 bit.
     */
    private static boolean compute(long r0, long r1, long s0, long s1,
                                   MemorySegment a, long aOff, long aLen,
                                   MemorySegment b, long bOff, long bLen, boolean aead,
                                   MemorySegment tag, long tagOff, boolean verify) {
        r0 &= CLAMP_LO;
        r1 &= CLAMP_HI;
        final long sr1 = r1 + (r1 >>> 2); // 5 * r1 / 4, exact because r1 is a multiple of 4
        long h0 = 0, h1 = 0, h2 = 0;
        final int parts = aead ? 3 : 1;
        for (int part = 0; part < parts; part++) {
            MemorySegment seg = part == 0 ? a : b;
            long off = part == 0 ? aOff : bOff;
            long len = part == 0 ? aLen : part == 1 ? bLen : BLOCK_LENGTH;
            long end = off + len;
            if (part < 2) {
                // Fast loop: every whole block of this part, a counted loop with no other branches (the
                // same arithmetic as the general loop below, which handles the partial and length blocks).
                int whole = (int) Math.min(len >>> 4, Integer.MAX_VALUE >>> 4);
                if (whole >= VECTOR_MIN_BLOCKS) {
                    // Vector lanes: lane j takes blocks j, j+NL, j+2NL, ... (26-bit limbs in 64-bit lanes).
                    final int steps = whole / NL;
                    // r^1 .. r^NL by scalar 26-bit products; P lane j gets r^(NL-j), Q every lane r^NL
                    final long ra = r0 & 0x3ffffff, rb = ((r0 >>> 26) | (r1 << 38)) & 0x3ffffff;
                    final long rc = ((r0 >>> 52) | (r1 << 12)) & 0x3ffffff, rd = (r1 >>> 14) & 0x3ffffff, re = r1 >>> 40;
                    long w0 = ra, w1 = rb, w2 = rc, w3 = rd, w4 = re;
                    LongVector p0 = LongVector.zero(LS), p1 = p0, p2 = p0, p3 = p0, p4 = p0;
                    for (int k = 1; k <= NL; k++) {
                        if (k > 1) { // w = w * r mod p
                            long e0 = w0 * ra + 5 * (w1 * re + w2 * rd + w3 * rc + w4 * rb);
                            long e1 = w0 * rb + w1 * ra + 5 * (w2 * re + w3 * rd + w4 * rc);
                            long e2 = w0 * rc + w1 * rb + w2 * ra + 5 * (w3 * re + w4 * rd);
                            long e3 = w0 * rd + w1 * rc + w2 * rb + w3 * ra + 5 * (w4 * re);
                            long e4 = w0 * re + w1 * rd + w2 * rc + w3 * rb + w4 * ra;
                            long q = e0 >>> 26; w0 = e0 & 0x3ffffff;
                            e1 += q; q = e1 >>> 26; w1 = e1 & 0x3ffffff;
                            e2 += q; q = e2 >>> 26; w2 = e2 & 0x3ffffff;
                            e3 += q; q = e3 >>> 26; w3 = e3 & 0x3ffffff;
                            e4 += q; q = e4 >>> 26; w4 = e4 & 0x3ffffff;
                            w0 += q * 5; q = w0 >>> 26; w0 &= 0x3ffffff; w1 += q;
                        }
                        VectorMask<Long> lane = LANE_INDEX.compare(VectorOperators.EQ, NL - k);
                        p0 = p0.blend(w0, lane); p1 = p1.blend(w1, lane); p2 = p2.blend(w2, lane);
                        p3 = p3.blend(w3, lane); p4 = p4.blend(w4, lane);
                    }
                    final LongVector q0 = LongVector.broadcast(LS, w0), q1 = LongVector.broadcast(LS, w1);
                    final LongVector q2 = LongVector.broadcast(LS, w2), q3 = LongVector.broadcast(LS, w3);
                    final LongVector q4 = LongVector.broadcast(LS, w4);
                    final LongVector v1 = q1.mul(5), v2 = q2.mul(5), v3 = q3.mul(5), v4 = q4.mul(5);
                    final LongVector u1 = p1.mul(5), u2 = p2.mul(5), u3 = p3.mul(5), u4 = p4.mul(5);
                    // accumulators: h enters lane 0 (added to block 0)
                    LongVector a0 = LongVector.zero(LS).withLane(0, h0 & 0x3ffffff);
                    LongVector a1 = LongVector.zero(LS).withLane(0, (h0 >>> 26) & 0x3ffffff);
                    LongVector a2 = LongVector.zero(LS).withLane(0, ((h0 >>> 52) | (h1 << 12)) & 0x3ffffff);
                    LongVector a3 = LongVector.zero(LS).withLane(0, (h1 >>> 14) & 0x3ffffff);
                    LongVector a4 = LongVector.zero(LS).withLane(0, (h1 >>> 40) | (h2 << 24));
                    for (int t = 0; t < steps; t++) {
                        final long at = off + 16L * NL * t;
                        LongVector x = LongVector.fromMemorySegment(LS, seg, at, ByteOrder.LITTLE_ENDIAN);
                        LongVector y = LongVector.fromMemorySegment(LS, seg, at + 8L * NL, ByteOrder.LITTLE_ENDIAN);
                        LongVector lo = EVEN.selectFrom(x, y), hi = ODD.selectFrom(x, y);
                        a0 = a0.add(lo.and(0x3ffffffL));
                        a1 = a1.add(lo.lanewise(VectorOperators.LSHR, 26).and(0x3ffffffL));
                        a2 = a2.add(lo.lanewise(VectorOperators.LSHR, 52).or(hi.lanewise(VectorOperators.LSHL, 12)).and(0x3ffffffL));
                        a3 = a3.add(hi.lanewise(VectorOperators.LSHR, 14).and(0x3ffffffL));
                        a4 = a4.add(hi.lanewise(VectorOperators.LSHR, 40).or(1L << 24));
                        // multiply by r^NL, or on the last step by P (lane j: r^(NL-j))
                        // (a blend, not a ?: select: a vector phi of two loop invariants is not unboxed
                        // by C2 and costs an allocation per step)
                        final VectorMask<Long> last = LS.maskAll(t == steps - 1);
                        final LongVector m0 = q0.blend(p0, last), m1 = q1.blend(p1, last), m2 = q2.blend(p2, last);
                        final LongVector m3 = q3.blend(p3, last), m4 = q4.blend(p4, last);
                        final LongVector n1 = v1.blend(u1, last), n2 = v2.blend(u2, last);
                        final LongVector n3 = v3.blend(u3, last), n4 = v4.blend(u4, last);
                        LongVector d0 = a0.mul(m0).add(a1.mul(n4)).add(a2.mul(n3)).add(a3.mul(n2)).add(a4.mul(n1));
                        LongVector d1 = a0.mul(m1).add(a1.mul(m0)).add(a2.mul(n4)).add(a3.mul(n3)).add(a4.mul(n2));
                        LongVector d2 = a0.mul(m2).add(a1.mul(m1)).add(a2.mul(m0)).add(a3.mul(n4)).add(a4.mul(n3));
                        LongVector d3 = a0.mul(m3).add(a1.mul(m2)).add(a2.mul(m1)).add(a3.mul(m0)).add(a4.mul(n4));
                        LongVector d4 = a0.mul(m4).add(a1.mul(m3)).add(a2.mul(m2)).add(a3.mul(m1)).add(a4.mul(m0));
                        LongVector cy = d0.lanewise(VectorOperators.LSHR, 26); a0 = d0.and(0x3ffffffL);
                        d1 = d1.add(cy); cy = d1.lanewise(VectorOperators.LSHR, 26); a1 = d1.and(0x3ffffffL);
                        d2 = d2.add(cy); cy = d2.lanewise(VectorOperators.LSHR, 26); a2 = d2.and(0x3ffffffL);
                        d3 = d3.add(cy); cy = d3.lanewise(VectorOperators.LSHR, 26); a3 = d3.and(0x3ffffffL);
                        d4 = d4.add(cy); cy = d4.lanewise(VectorOperators.LSHR, 26); a4 = d4.and(0x3ffffffL);
                        a0 = a0.add(cy.mul(5));
                        cy = a0.lanewise(VectorOperators.LSHR, 26); a0 = a0.and(0x3ffffffL); a1 = a1.add(cy);
                    }
                    // sum the lanes (each limb sum < 2^30) and carry back into 64-bit limbs
                    long g0 = a0.reduceLanes(VectorOperators.ADD), g1 = a1.reduceLanes(VectorOperators.ADD);
                    long g2 = a2.reduceLanes(VectorOperators.ADD), g3 = a3.reduceLanes(VectorOperators.ADD);
                    long g4 = a4.reduceLanes(VectorOperators.ADD);
                    long q = g0 >>> 26; g0 &= 0x3ffffff;
                    g1 += q; q = g1 >>> 26; g1 &= 0x3ffffff;
                    g2 += q; q = g2 >>> 26; g2 &= 0x3ffffff;
                    g3 += q; q = g3 >>> 26; g3 &= 0x3ffffff;
                    g4 += q; q = g4 >>> 26; g4 &= 0x3ffffff;
                    g0 += q * 5; q = g0 >>> 26; g0 &= 0x3ffffff;
                    g1 += q; q = g1 >>> 26; g1 &= 0x3ffffff;   // second pass: limbs 0..3 below 2^26
                    g2 += q; q = g2 >>> 26; g2 &= 0x3ffffff;
                    g3 += q; q = g3 >>> 26; g3 &= 0x3ffffff;
                    g4 += q;
                    h0 = g0 | (g1 << 26) | (g2 << 52);
                    h1 = (g2 >>> 12) | (g3 << 14) | (g4 << 40);
                    h2 = g4 >>> 24;
                    off += 16L * NL * steps;
                    whole -= NL * steps;
                }
                whole -= aead || (len & 15) != 0 || whole == 0 ? 0 : 1;
                final long base = off;
                for (int i = 0; i < whole; i++) {
                    final long m0 = seg.get(LE_LONG, base + 16L * i);
                    final long m1 = seg.get(LE_LONG, base + 16L * i + 8);
                    long t0 = h0 + m0;
                    long c = Long.compareUnsigned(t0, m0) < 0 ? 1 : 0;
                    long t1 = h1 + m1 + c;
                    c = ((h1 & m1) | ((h1 | m1) & ~t1)) >>> 63;
                    long t2 = h2 + 1 + c;
                    long d0lo = t0 * r0, d0hi = Math.unsignedMultiplyHigh(t0, r0);
                    long xlo = t1 * sr1, xhi = Math.unsignedMultiplyHigh(t1, sr1);
                    d0lo += xlo;
                    d0hi += xhi + (Long.compareUnsigned(d0lo, xlo) < 0 ? 1 : 0);
                    long d1lo = t0 * r1, d1hi = Math.unsignedMultiplyHigh(t0, r1);
                    xlo = t1 * r0;
                    xhi = Math.unsignedMultiplyHigh(t1, r0);
                    d1lo += xlo;
                    d1hi += xhi + (Long.compareUnsigned(d1lo, xlo) < 0 ? 1 : 0);
                    xlo = t2 * sr1;
                    d1lo += xlo;
                    d1hi += Long.compareUnsigned(d1lo, xlo) < 0 ? 1 : 0;
                    long d2 = t2 * r0;
                    h0 = d0lo;
                    h1 = d1lo + d0hi;
                    long top = d1hi + d2 + (Long.compareUnsigned(h1, d0hi) < 0 ? 1 : 0);
                    h2 = top & 3;
                    long k4 = top & ~3L;
                    long k1 = top >>> 2;
                    h0 += k4;
                    c = Long.compareUnsigned(h0, k4) < 0 ? 1 : 0;
                    long u = h1 + c;
                    h2 += (h1 & ~u) >>> 63;
                    h1 = u;
                    h0 += k1;
                    c = Long.compareUnsigned(h0, k1) < 0 ? 1 : 0;
                    u = h1 + c;
                    h2 += (h1 & ~u) >>> 63;
                    h1 = u;
                }
                off += 16L * Math.max(whole, 0);
            }
            for (; off < end; off += BLOCK_LENGTH) {
                long m0, m1, hibit = 1;
                if (part == 2) { // the length block
                    m0 = aLen;
                    m1 = bLen;
                } else if (end - off >= BLOCK_LENGTH) {
                    m0 = seg.get(LE_LONG, off);
                    m1 = seg.get(LE_LONG, off + 8);
                } else {
                    int n = (int) (end - off);
                    m0 = 0;
                    m1 = 0;
                    for (int i = 0; i < n; i++) {
                        long v = seg.get(ValueLayout.JAVA_BYTE, off + i) & 0xffL;
                        if (i < 8) { m0 |= v << (i << 3); } else { m1 |= v << ((i - 8) << 3); }
                    }
                    if (!aead) { // RFC 8439 §2.5.1: append 0x01 and no 2^128 bit
                        if (n < 8) { m0 |= 1L << (n << 3); } else { m1 |= 1L << ((n - 8) << 3); }
                        hibit = 0;
                    }
                }
                // h += m (+ 2^128)
                long t0 = h0 + m0;
                long c = Long.compareUnsigned(t0, m0) < 0 ? 1 : 0;
                long t1 = h1 + m1 + c;
                c = ((h1 & m1) | ((h1 | m1) & ~t1)) >>> 63;
                long t2 = h2 + hibit + c;
                // d = h * r, with the 2^128 cross terms folded back through sr1
                long d0lo = t0 * r0, d0hi = Math.unsignedMultiplyHigh(t0, r0);
                long xlo = t1 * sr1, xhi = Math.unsignedMultiplyHigh(t1, sr1);
                d0lo += xlo;
                d0hi += xhi + (Long.compareUnsigned(d0lo, xlo) < 0 ? 1 : 0);
                long d1lo = t0 * r1, d1hi = Math.unsignedMultiplyHigh(t0, r1);
                xlo = t1 * r0;
                xhi = Math.unsignedMultiplyHigh(t1, r0);
                d1lo += xlo;
                d1hi += xhi + (Long.compareUnsigned(d1lo, xlo) < 0 ? 1 : 0);
                xlo = t2 * sr1;
                d1lo += xlo;
                d1hi += Long.compareUnsigned(d1lo, xlo) < 0 ? 1 : 0;
                long d2 = t2 * r0;
                // carry d0hi into d1, then partially reduce everything at or above 2^130
                h0 = d0lo;
                h1 = d1lo + d0hi;
                long top = d1hi + d2 + (Long.compareUnsigned(h1, d0hi) < 0 ? 1 : 0);
                h2 = top & 3;
                long k4 = top & ~3L;          // 4 * (top >> 2)
                long k1 = top >>> 2;          // (top >> 2); together 5 * (top >> 2)
                h0 += k4;
                c = Long.compareUnsigned(h0, k4) < 0 ? 1 : 0;
                long u = h1 + c;
                h2 += (h1 & ~u) >>> 63;
                h1 = u;
                h0 += k1;
                c = Long.compareUnsigned(h0, k1) < 0 ? 1 : 0;
                u = h1 + c;
                h2 += (h1 & ~u) >>> 63;
                h1 = u;
            }
        }
        // final reduction: fold h2's bits above 2^130 once more, then subtract p if h >= p
        long k = h2 >>> 2;
        h2 &= 3;
        long k5 = k * 5;
        h0 += k5;
        long c = Long.compareUnsigned(h0, k5) < 0 ? 1 : 0;
        long u = h1 + c;
        h2 += (h1 & ~u) >>> 63;
        h1 = u;
        long g0 = h0 + 5;
        c = Long.compareUnsigned(g0, h0) < 0 ? 1 : 0;
        long g1 = h1 + c;
        long g2 = h2 + ((h1 & ~g1) >>> 63);
        long mask = -(g2 >>> 2); // all ones when h + 5 >= 2^130, i.e. h >= p
        h0 = (g0 & mask) | (h0 & ~mask);
        h1 = (g1 & mask) | (h1 & ~mask);
        // tag = (h + s) mod 2^128
        long tag0 = h0 + s0;
        long tag1 = h1 + s1 + (Long.compareUnsigned(tag0, s0) < 0 ? 1 : 0);
        if (verify) {
            long diff = (tag0 ^ tag.get(LE_LONG, tagOff)) | (tag1 ^ tag.get(LE_LONG, tagOff + 8));
            return diff == 0;
        }
        tag.set(LE_LONG, tagOff, tag0);
        tag.set(LE_LONG, tagOff + 8, tag1);
        return true;
    }
}
