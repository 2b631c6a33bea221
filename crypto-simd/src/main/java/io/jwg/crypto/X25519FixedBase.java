package io.jwg.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Fixed-base scalar multiplication for {@link X25519#publicKey}: stateless static function over a
 * precomputed, immutable table; thread-safe.
 *
 * <p>X25519(k, 9) is the Montgomery u-coordinate of [k]B, where B is the Ed25519 base point
 * (the birational map sends B to u = 9 and u = (1 + y) / (1 - y)). [k]B is computed on the twisted
 * Edwards curve -x^2 + y^2 = 1 + d x^2 y^2 with extended coordinates (X:Y:Z:T), writing k in 64
 * signed radix-16 digits e_i in [-8, 8] and summing precomputed multiples |e| 256^j B:
 * <pre>
 *   [k]B = 16 * sum_j e_(2j+1) 256^j B  +  sum_j e_(2j) 256^j B
 * </pre>
 * That is 64 mixed additions and 4 doublings instead of the ladder's 255 steps.
 *
 * <p>Constant time: each table entry is chosen by scanning all 8 entries of its row with masks,
 * and the sign is applied by a masked swap and negation; the digit recoding has no branches. The
 * table itself is public data, computed once when the class initializes (about 500 affine point
 * additions with {@link BigInteger}, some milliseconds).
 */
final class X25519FixedBase {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    /** Edwards d = -121665 / 121666 (RFC 8032 §5.1). */
    private static final BigInteger D =
            BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);

    private static final int ROWS = 32;
    private static final int ENTRIES = 8;
    private static final int L = Field25519.LIMBS;
    /** Entry (row j, multiple i = 1..8) = i * 256^j * B as (y + x, y - x, 2 d x y), 3 x 5 limbs. */
    private static final long[] TABLE = buildTable();

    private X25519FixedBase() {
    }

    /** Writes X25519(k, 9) to {@code out[0..32)}; {@code k} must already be clamped (bit 255 clear). */
    static void scalarMultBase(byte[] out, byte[] k) {
        int[] e = new int[64];
        long[] x = new long[L];
        long[] y = new long[L];
        long[] z = new long[L];
        long[] t = new long[L];
        long[] ypx = new long[L];
        long[] ymx = new long[L];
        long[] xy2d = new long[L];
        long[] f0 = new long[L];
        long[] f1 = new long[L];
        long[] f2 = new long[L];
        long[] f3 = new long[L];
        try {
            recode(e, k);
            // Start from the neutral element (0 : 1 : 1 : 0).
            Field25519.one(y);
            Field25519.one(z);
            for (int i = 1; i < 64; i += 2) {
                select(ypx, ymx, xy2d, f0, i >>> 1, e[i]);
                madd(x, y, z, t, ypx, ymx, xy2d, f0, f1, f2, f3);
            }
            for (int i = 0; i < 4; i++) {
                dbl(x, y, z, t, f0, f1, f2, f3);
            }
            for (int i = 0; i < 64; i += 2) {
                select(ypx, ymx, xy2d, f0, i >>> 1, e[i]);
                madd(x, y, z, t, ypx, ymx, xy2d, f0, f1, f2, f3);
            }
            // u = (1 + y) / (1 - y) = (Z + Y) / (Z - Y).
            Field25519.sub(f0, z, y);
            Field25519.invert(f1, f0);
            Field25519.add(f0, z, y);
            Field25519.mul(f0, f0, f1);
            Field25519.toBytes(out, 0, f0);
        } finally {
            Arrays.fill(e, 0);
            for (long[] f : new long[][] {x, y, z, t, ypx, ymx, xy2d, f0, f1, f2, f3}) {
                Arrays.fill(f, 0);
            }
        }
    }

    /**
     * Signed radix-16 digits: k = sum e_i 16^i with e_i in [-8, 8) for i < 63 and e_63 in [0, 8]
     * (k < 2^255). Branch-free.
     */
    private static void recode(int[] e, byte[] k) {
        for (int i = 0; i < 32; i++) {
            e[2 * i] = k[i] & 15;
            e[2 * i + 1] = (k[i] >>> 4) & 15;
        }
        int carry = 0;
        for (int i = 0; i < 63; i++) {
            e[i] += carry;
            carry = (e[i] + 8) >> 4;
            e[i] -= carry << 4;
        }
        e[63] += carry;
    }

    /**
     * Sets (ypx, ymx, xy2d) to digit * 256^row * B in constant time: scans all 8 entries of the row,
     * then negates (swap y+x with y-x, negate 2dxy) if the digit is negative. {@code tmp} is scratch.
     */
    private static void select(long[] ypx, long[] ymx, long[] xy2d, long[] tmp, int row, int digit) {
        long negative = (digit >>> 31) & 1;
        int abs = (digit ^ -(int) negative) + (int) negative;
        Field25519.one(ypx);
        Field25519.one(ymx);
        Arrays.fill(xy2d, 0);
        int base = row * ENTRIES * 3 * L;
        for (int i = 1; i <= ENTRIES; i++) {
            long mask = -(long) (((abs ^ i) - 1) >>> 31); // all ones iff abs == i
            int off = base + (i - 1) * 3 * L;
            for (int l = 0; l < L; l++) {
                ypx[l] ^= mask & (ypx[l] ^ TABLE[off + l]);
                ymx[l] ^= mask & (ymx[l] ^ TABLE[off + L + l]);
                xy2d[l] ^= mask & (xy2d[l] ^ TABLE[off + 2 * L + l]);
            }
        }
        Field25519.cswap(ypx, ymx, negative);
        Arrays.fill(tmp, 0);
        Field25519.sub(tmp, tmp, xy2d);
        long mask = -negative;
        for (int l = 0; l < L; l++) {
            xy2d[l] ^= mask & (xy2d[l] ^ tmp[l]);
        }
    }

    /**
     * (X:Y:Z:T) += (ypx, ymx, xy2d), the mixed addition for a = -1 (Hisil-Wong-Carter-Dawson 2008,
     * "madd-2008-hwcd-3" with Z2 = 1): 7 multiplications. Complete for this curve.
     */
    private static void madd(long[] x, long[] y, long[] z, long[] t, long[] ypx, long[] ymx, long[] xy2d,
            long[] a, long[] b, long[] c, long[] dd) {
        Field25519.sub(a, y, x);
        Field25519.mul(a, a, ymx);          // A = (Y1 - X1)(y2 - x2)
        Field25519.add(b, y, x);
        Field25519.mul(b, b, ypx);          // B = (Y1 + X1)(y2 + x2)
        Field25519.mul(c, t, xy2d);         // C = T1 * 2d x2 y2
        Field25519.add(dd, z, z);           // D = 2 Z1
        Field25519.sub(x, b, a);            // E = B - A   (in x)
        Field25519.add(y, b, a);            // H = B + A   (in y)
        Field25519.sub(b, dd, c);           // F = D - C   (in b)
        Field25519.add(dd, dd, c);          // G = D + C   (in dd)
        Field25519.mul(t, x, y);            // T3 = E H
        Field25519.mul(x, x, b);            // X3 = E F
        Field25519.mul(y, dd, y);           // Y3 = G H
        Field25519.mul(z, b, dd);           // Z3 = F G
    }

    /**
     * (X:Y:Z:T) = 2 (X:Y:Z:T) for a = -1 ("dbl-2008-hwcd"): 4 squarings, 4 multiplications. The
     * formula's E, F, G, H are all computed negated (E' = -E, ...), which leaves every product
     * unchanged and keeps each subtrahend within the bounds {@link Field25519#sub} needs.
     */
    private static void dbl(long[] x, long[] y, long[] z, long[] t, long[] a, long[] b, long[] c, long[] h) {
        Field25519.sq(a, x);                // A = X^2
        Field25519.sq(b, y);                // B = Y^2
        Field25519.sq(c, z);
        Field25519.add(c, c, c);            // C = 2 Z^2
        Field25519.add(h, a, b);            // H' = A + B              (H = aA - B = -A - B)
        Field25519.add(t, x, y);
        Field25519.sq(t, t);
        Field25519.sub(t, h, t);            // E' = A + B - (X + Y)^2  (E = (X + Y)^2 - A - B)
        Field25519.sub(b, a, b);            // G' = A - B              (G = aA + B = B - A)
        Field25519.add(c, c, b);
        Field25519.reduce(c, c);            // F' = C + G'             (F = G - C)
        Field25519.mul(x, t, c);            // X3 = E F = E' F'
        Field25519.mul(y, b, h);            // Y3 = G H = G' H'
        Field25519.mul(z, c, b);            // Z3 = F G = F' G'
        Field25519.mul(t, t, h);            // T3 = E H = E' H'
    }

    private static long[] buildTable() {
        BigInteger by = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
        BigInteger bx = recoverX(by);
        long[] table = new long[ROWS * ENTRIES * 3 * L];
        BigInteger[] step = {bx, by};
        for (int j = 0; j < ROWS; j++) {
            BigInteger[] q = step;
            for (int i = 1; i <= ENTRIES; i++) {
                int off = (j * ENTRIES + i - 1) * 3 * L;
                put(table, off, q[1].add(q[0]).mod(P));
                put(table, off + L, q[1].subtract(q[0]).mod(P));
                put(table, off + 2 * L, D.shiftLeft(1).multiply(q[0]).multiply(q[1]).mod(P));
                q = add(q, step);
            }
            for (int i = 0; i < 8; i++) {
                step = add(step, step);
            }
        }
        return table;
    }

    /** The even x with (x, y) on the curve: x^2 = (y^2 - 1) / (d y^2 + 1) (RFC 8032 §5.1.3). */
    private static BigInteger recoverX(BigInteger y) {
        BigInteger y2 = y.multiply(y);
        BigInteger den = D.multiply(y2).add(BigInteger.ONE).modInverse(P);
        BigInteger x2 = y2.subtract(BigInteger.ONE).multiply(den).mod(P);
        BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (!x.multiply(x).mod(P).equals(x2)) {
            x = x.multiply(BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P)).mod(P);
        }
        if (!x.multiply(x).mod(P).equals(x2)) {
            throw new IllegalStateException("Ed25519 base point: no square root");
        }
        return x.testBit(0) ? P.subtract(x) : x;
    }

    /** Affine Edwards addition (a = -1): public data only, at class initialization. */
    private static BigInteger[] add(BigInteger[] p1, BigInteger[] p2) {
        BigInteger x1 = p1[0], y1 = p1[1], x2 = p2[0], y2 = p2[1];
        BigInteger k = D.multiply(x1).multiply(x2).multiply(y1).multiply(y2).mod(P);
        BigInteger x3 = x1.multiply(y2).add(y1.multiply(x2)).multiply(BigInteger.ONE.add(k).modInverse(P));
        BigInteger y3 = y1.multiply(y2).add(x1.multiply(x2)).multiply(BigInteger.ONE.subtract(k).modInverse(P));
        return new BigInteger[] {x3.mod(P), y3.mod(P)};
    }

    private static void put(long[] table, int off, BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        long[] f = new long[L];
        Field25519.fromBytes(f, le, 0);
        System.arraycopy(f, 0, table, off, L);
    }
}
