package io.jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Field arithmetic against BigInteger mod p, including limbs at the documented input bounds. */
class Field25519Test {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

    private static BigInteger value(long[] f) {
        BigInteger v = BigInteger.ZERO;
        for (int i = 4; i >= 0; i--) {
            v = v.shiftLeft(51).add(BigInteger.valueOf(f[i]));
        }
        return v;
    }

    private static BigInteger canonical(long[] f) {
        byte[] out = new byte[32];
        Field25519.toBytes(out, 0, f);
        byte[] be = new byte[33];
        for (int i = 0; i < 32; i++) {
            be[32 - i] = out[i];
        }
        return new BigInteger(be);
    }

    /** Random element with limbs below {@code 2^bits}; sometimes at the maximum. */
    private static long[] random(SplittableRandom rnd, int bits) {
        long[] f = new long[5];
        for (int i = 0; i < 5; i++) {
            f[i] = rnd.nextInt(8) == 0 ? (1L << bits) - 1 : rnd.nextLong(1L << bits);
        }
        return f;
    }

    @Test
    void shouldMatchBigIntegerForMulSqAddSubInvert() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] r = new long[5];
        for (int i = 0; i < 3000; i++) {
            String what = "seed=" + seed + " i=" + i;
            long[] a = random(rnd, 53);
            long[] b = random(rnd, 53);
            BigInteger va = value(a);
            BigInteger vb = value(b);
            Field25519.mul(r, a, b);
            assertEquals(va.multiply(vb).mod(P), canonical(r), what + " mul");
            assertEquals(va.multiply(vb).mod(P), value(r).mod(P), what + " mul (value)");
            Field25519.sq(r, a);
            assertEquals(va.multiply(va).mod(P), canonical(r), what + " sq");
            Field25519.mulSmall(r, a, 121665);
            assertEquals(va.multiply(BigInteger.valueOf(121665)).mod(P), canonical(r), what + " mulSmall");
            // Loose elements (outputs of mul) for add/sub.
            long[] la = new long[5];
            long[] lb = new long[5];
            Field25519.mul(la, a, a);
            Field25519.mul(lb, b, b);
            Field25519.add(r, la, lb);
            assertEquals(value(la).add(value(lb)).mod(P), canonical(r), what + " add");
            Field25519.sub(r, la, lb);
            assertEquals(value(la).subtract(value(lb)).mod(P), canonical(r), what + " sub");
            long[] big = random(rnd, 62);
            Field25519.reduce(r, big);
            assertEquals(value(big).mod(P), canonical(r), what + " reduce");
            for (long limb : r) {
                assertEquals(0, limb >>> 52, what + " reduce leaves loose limbs");
            }
            if (i % 30 == 0) {
                long[] inv = new long[5];
                Field25519.invert(inv, la);
                BigInteger x = value(la).mod(P);
                BigInteger expected = x.signum() == 0 ? BigInteger.ZERO : x.modInverse(P);
                assertEquals(expected, canonical(inv), what + " invert");
            }
        }
    }

    @Test
    void shouldEncodeCanonicallyAroundP() {
        long[] f = new long[5];
        for (int delta = -40; delta <= 40; delta++) {
            BigInteger v = P.add(BigInteger.valueOf(delta));
            byte[] le = new byte[32];
            byte[] be = v.toByteArray();
            for (int i = 0; i < be.length && i < 32; i++) {
                le[i] = be[be.length - 1 - i];
            }
            Field25519.fromBytes(f, le, 0);
            assertEquals(v.mod(BigInteger.ONE.shiftLeft(255)).mod(P), canonical(f), "p + " + delta);
        }
        // 2^255 - 1 and all ones with bit 255 set decode to 2^255 - 1 = p + 18 = 18.
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xff);
        Field25519.fromBytes(f, ones, 0);
        assertEquals(BigInteger.valueOf(18), canonical(f));
    }
}
