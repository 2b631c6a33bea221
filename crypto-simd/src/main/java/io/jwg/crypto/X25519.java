package io.jwg.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * X25519 Diffie-Hellman (RFC 7748 §5, §6.1): stateless static functions, thread-safe.
 *
 * <p>Constant time with respect to secrets: the scalar is consumed by a Montgomery ladder of fixed
 * length (255 steps) with a masked, branch-free conditional swap; field arithmetic
 * ({@link Field25519}, radix 2^51) has no secret-dependent branches or table indices; inversion is
 * a fixed exponentiation. Public keys are decoded as RFC 7748 says: bit 255 is masked and
 * non-canonical values (u >= p) are accepted and reduced. Each call allocates a few small arrays
 * (not a per-packet operation); secret intermediates are zeroed before returning.
 */
public final class X25519 {
    /** Length of private keys, public keys and shared secrets in bytes. */
    public static final int KEY_LENGTH = 32;

    /** (A - 2) / 4 for Curve25519's A = 486662 (RFC 7748 §5, "a24"). */
    private static final long A24 = 121665;
    /** Bits in a clamped scalar: the ladder runs from bit 254 down to bit 0. */
    private static final int SCALAR_BITS = 255;
    private X25519() {
    }

    /**
     * Clamps a 32-byte private key in place (RFC 7748 §5 decodeScalar25519): clears bits 0-2 and
     * 255, sets bit 254.
     *
     * @throws IllegalArgumentException if {@code k} is not 32 bytes
     */
    public static void clamp(byte[] k) {
        checkLength(k, "private key");
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
    }

    /**
     * Fills {@code out} with 32 bytes from {@code rng} and clamps them. Pass a
     * {@link java.security.SecureRandom} in production.
     *
     * @throws IllegalArgumentException if {@code out} is not 32 bytes
     */
    public static void generatePrivateKey(RandomGenerator rng, byte[] out) {
        checkLength(out, "private key");
        rng.nextBytes(out);
        clamp(out);
    }

    /**
     * Computes the public key {@code X25519(priv, 9)} (the private key is clamped on a copy; it
     * need not be clamped already). Uses a fixed-base method ({@link X25519FixedBase}: signed
     * radix-16 comb on the equivalent Edwards curve, constant-time table scans), several times
     * faster than the ladder; its table is built on first use.
     *
     * @throws IllegalArgumentException if an array is not 32 bytes
     */
    public static void publicKey(byte[] priv, byte[] pubOut) {
        checkLength(priv, "private key");
        checkLength(pubOut, "public key");
        byte[] k = Arrays.copyOf(priv, KEY_LENGTH);
        try {
            clamp(k);
            X25519FixedBase.scalarMultBase(pubOut, k);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * Computes {@code X25519(priv, peerPub)} into {@code out}, and reports whether it is usable:
     * WireGuard rejects an all-zero result (the peer sent a low-order point), so this returns
     * {@code false} iff all 32 output bytes are zero (the zeros are still written). {@code out}
     * may alias {@code peerPub}.
     *
     * @return {@code false} iff the shared secret is all zeros
     * @throws IllegalArgumentException if an array is not 32 bytes
     */
    public static boolean sharedSecret(byte[] priv, byte[] peerPub, byte[] out) {
        checkLength(priv, "private key");
        checkLength(peerPub, "public key");
        checkLength(out, "shared secret");
        scalarMult(out, priv, peerPub);
        return !ConstantTime.isZero(out, 0, KEY_LENGTH);
    }

    /** RFC 7748 §5: the Montgomery ladder on the u-coordinate. */
    private static void scalarMult(byte[] out, byte[] scalar, byte[] u) {
        byte[] k = Arrays.copyOf(scalar, KEY_LENGTH);
        clamp(k);
        long[] x1 = new long[Field25519.LIMBS];
        long[] x2 = new long[Field25519.LIMBS];
        long[] z2 = new long[Field25519.LIMBS];
        long[] x3 = new long[Field25519.LIMBS];
        long[] z3 = new long[Field25519.LIMBS];
        long[] a = new long[Field25519.LIMBS];
        long[] aa = new long[Field25519.LIMBS];
        long[] b = new long[Field25519.LIMBS];
        long[] bb = new long[Field25519.LIMBS];
        long[] e = new long[Field25519.LIMBS];
        long[] c = new long[Field25519.LIMBS];
        long[] d = new long[Field25519.LIMBS];
        try {
            Field25519.fromBytes(x1, u, 0);
            Field25519.one(x2);
            Field25519.copy(x3, x1);
            Field25519.one(z3);
            long swap = 0;
            for (int t = SCALAR_BITS - 1; t >= 0; t--) {
                long kt = (k[t >>> 3] >>> (t & 7)) & 1;
                swap ^= kt;
                Field25519.cswap(x2, x3, swap);
                Field25519.cswap(z2, z3, swap);
                swap = kt;
                Field25519.add(a, x2, z2);      // A = x2 + z2
                Field25519.sq(aa, a);           // AA = A^2
                Field25519.sub(b, x2, z2);      // B = x2 - z2
                Field25519.sq(bb, b);           // BB = B^2
                Field25519.sub(e, aa, bb);      // E = AA - BB
                Field25519.add(c, x3, z3);      // C = x3 + z3
                Field25519.sub(d, x3, z3);      // D = x3 - z3
                Field25519.mul(d, d, a);        // DA = D * A
                Field25519.mul(c, c, b);        // CB = C * B
                Field25519.add(x3, d, c);
                Field25519.sq(x3, x3);          // x3 = (DA + CB)^2
                Field25519.sub(z3, d, c);
                Field25519.sq(z3, z3);
                Field25519.mul(z3, z3, x1);     // z3 = x1 * (DA - CB)^2
                Field25519.mul(x2, aa, bb);     // x2 = AA * BB
                Field25519.mulSmall(z2, e, A24);
                Field25519.add(z2, z2, aa);
                Field25519.mul(z2, z2, e);      // z2 = E * (AA + a24 * E)
            }
            Field25519.cswap(x2, x3, swap);
            Field25519.cswap(z2, z3, swap);
            Field25519.invert(a, z2);
            Field25519.mul(x2, x2, a);          // x2 * z2^(p-2)
            Field25519.toBytes(out, 0, x2);
        } finally {
            Arrays.fill(k, (byte) 0);
            for (long[] f : new long[][] {x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d}) {
                Arrays.fill(f, 0);
            }
        }
    }

    private static void checkLength(byte[] a, String what) {
        Objects.requireNonNull(a, what);
        if (a.length != KEY_LENGTH) {
            throw new IllegalArgumentException(what + " must be 32 bytes, got " + a.length);
        }
    }
}
