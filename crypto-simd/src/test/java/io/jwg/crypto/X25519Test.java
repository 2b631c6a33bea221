package io.jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class X25519Test {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] x25519(byte[] k, byte[] u) {
        byte[] out = new byte[32];
        X25519.sharedSecret(k, u, out);
        return out;
    }

    @Test
    void shouldMatchRfc7748Section52Vectors() {
        assertArrayEquals(HEX.parseHex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"),
                x25519(HEX.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                        HEX.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")));
        // The second vector's u has bit 255 set: it must be masked.
        assertArrayEquals(HEX.parseHex("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"),
                x25519(HEX.parseHex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                        HEX.parseHex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")));
    }

    /** RFC 7748 §5.2 iteration: k = u = 9; repeat: (k, u) = (X25519(k, u), k). */
    private static byte[] iterate(int n) {
        byte[] k = new byte[32];
        k[0] = 9;
        byte[] u = k.clone();
        for (int i = 0; i < n; i++) {
            byte[] r = x25519(k, u);
            u = k;
            k = r;
        }
        return k;
    }

    @Test
    void shouldMatchRfc7748Section52IterationsOneAndThousand() {
        assertArrayEquals(HEX.parseHex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"), iterate(1));
        assertArrayEquals(HEX.parseHex("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"),
                iterate(1000));
    }

    /**
     * The 1,000,000-iteration vector takes 40-150 s here (shared 2-core box), over the
     * unit-test budget: opt in with {@code -Djwg.test.argLine=-Djwg.x25519.million=true}.
     */
    @Test
    void shouldMatchRfc7748Section52MillionIterationsWhenEnabled() {
        assumeTrue(Boolean.getBoolean("jwg.x25519.million"), "set -Djwg.x25519.million=true to run");
        assertArrayEquals(HEX.parseHex("7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424"),
                iterate(1_000_000));
    }

    @Test
    void shouldMatchRfc7748Section61DiffieHellman() {
        byte[] alicePriv = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPriv = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePub = new byte[32];
        byte[] bobPub = new byte[32];
        X25519.publicKey(alicePriv, alicePub);
        X25519.publicKey(bobPriv, bobPub);
        assertArrayEquals(HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), alicePub);
        assertArrayEquals(HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), bobPub);
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        assertTrue(X25519.sharedSecret(alicePriv, bobPub, k1));
        assertTrue(X25519.sharedSecret(bobPriv, alicePub, k2));
        byte[] expected = HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertArrayEquals(expected, k1);
        assertArrayEquals(expected, k2);
    }

    @Test
    void shouldPassEveryWycheproofTest() throws IOException {
        Map<String, Object> root =
                HashDhJson.obj(HashDhJson.parse(HashDhJson.vectorsDir().resolve("x25519_test.json")));
        int total = 0;
        int zero = 0;
        for (Object g : HashDhJson.list(root.get("testGroups"))) {
            Map<String, Object> group = HashDhJson.obj(g);
            assertEquals("curve25519", group.get("curve"));
            for (Object t : HashDhJson.list(group.get("tests"))) {
                Map<String, Object> test = HashDhJson.obj(t);
                List<Object> flags = HashDhJson.list(test.get("flags"));
                byte[] priv = HashDhJson.hex(test.get("private"));
                byte[] pub = HashDhJson.hex(test.get("public"));
                byte[] shared = HashDhJson.hex(test.get("shared"));
                String what = "tcId " + test.get("tcId") + " " + test.get("comment") + " " + flags;
                byte[] out = new byte[32];
                boolean ok = X25519.sharedSecret(priv, pub, out);
                if (flags.contains("ZeroSharedSecret")) {
                    zero++;
                    assertFalse(ok, what + ": all-zero shared secret must be reported");
                    assertArrayEquals(new byte[32], out, what);
                } else {
                    assertTrue(ok, what);
                    assertArrayEquals(shared, out, what);
                }
                total++;
            }
        }
        assertEquals(((Number) root.get("numberOfTests")).intValue(), total);
        assertEquals(518, total);
        assertEquals(31, zero);
    }

    @Test
    void shouldMatchBouncyCastleOnRandomKeys() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 300; i++) {
            byte[] k = new byte[32];
            byte[] u = new byte[32];
            rnd.nextBytes(k);   // unclamped on purpose: both sides clamp
            rnd.nextBytes(u);   // includes u >= p and bit 255 set
            if (i % 10 == 0) {
                java.util.Arrays.fill(u, (byte) 0xff);
                u[0] = (byte) (0xed + rnd.nextInt(0x13)); // around p = 2^255 - 19 and above
                u[31] = (byte) (rnd.nextBoolean() ? 0x7f : 0xff);
            }
            byte[] expected = new byte[32];
            org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(k, 0, u, 0, expected, 0);
            assertArrayEquals(expected, x25519(k, u), "seed=" + seed + " i=" + i + " k=" + HEX.formatHex(k)
                    + " u=" + HEX.formatHex(u));
            byte[] pubBc = new byte[32];
            org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(k, 0, pubBc, 0);
            byte[] pub = new byte[32];
            X25519.publicKey(k, pub);
            assertArrayEquals(pubBc, pub, "seed=" + seed + " i=" + i + " publicKey");
        }
    }

    @Test
    void shouldGiveSamePublicKeyFromFixedBaseAsFromLadder() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] nine = new byte[32];
        nine[0] = 9;
        byte[][] edge = new byte[6][32];
        java.util.Arrays.fill(edge[1], (byte) 0xff);
        java.util.Arrays.fill(edge[2], (byte) 0x88);  // every nibble 8: longest carry chain in the recoding
        java.util.Arrays.fill(edge[3], (byte) 0x77);
        java.util.Arrays.fill(edge[4], (byte) 0xf8);
        java.util.Arrays.fill(edge[5], (byte) 0x80);
        for (int i = 0; i < 200; i++) {
            byte[] k = new byte[32];
            if (i < edge.length) {
                k = edge[i];
            } else {
                rnd.nextBytes(k);
            }
            byte[] viaLadder = x25519(k, nine);
            byte[] viaTable = new byte[32];
            X25519.publicKey(k, viaTable);
            assertArrayEquals(viaLadder, viaTable, "seed=" + seed + " k=" + HEX.formatHex(k));
        }
    }

    @Test
    void shouldAgreeOnSharedSecretFromBothSides() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 50; i++) {
            byte[] a = new byte[32];
            byte[] b = new byte[32];
            X25519.generatePrivateKey(rnd, a);
            X25519.generatePrivateKey(rnd, b);
            assertEquals(0, a[0] & 7, "clamped low bits");
            assertEquals(0x40, a[31] & 0xc0, "clamped high bits");
            byte[] pa = new byte[32];
            byte[] pb = new byte[32];
            X25519.publicKey(a, pa);
            X25519.publicKey(b, pb);
            byte[] s1 = new byte[32];
            byte[] s2 = new byte[32];
            assertTrue(X25519.sharedSecret(a, pb, s1));
            assertTrue(X25519.sharedSecret(b, pa, s2));
            assertArrayEquals(s1, s2, "seed=" + seed + " i=" + i);
            // Output may alias the peer key.
            X25519.sharedSecret(a, pb, pb);
            assertArrayEquals(s1, pb, "seed=" + seed + " aliasing");
        }
    }

    @Test
    void shouldClampAndRejectWrongLengths() {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) 0xff);
        X25519.clamp(k);
        assertEquals((byte) 0xf8, k[0]);
        assertEquals((byte) 0x7f, k[31]);
        byte[] z = new byte[32];
        X25519.clamp(z);
        assertEquals(0x40, z[31]);
        assertThrows(IllegalArgumentException.class, () -> X25519.publicKey(new byte[31], new byte[32]));
        assertThrows(IllegalArgumentException.class,
                () -> X25519.sharedSecret(new byte[32], new byte[33], new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> X25519.clamp(new byte[16]));
    }

    @Test
    void shouldReportZeroForLowOrderPoints() {
        byte[] priv = new byte[32];
        new SplittableRandom(1).nextBytes(priv);
        byte[] out = new byte[32];
        byte[] u0 = new byte[32];                 // u = 0
        assertFalse(X25519.sharedSecret(priv, u0, out));
        byte[] u1 = new byte[32];
        u1[0] = 1;                                // u = 1 (order 4 point)
        assertFalse(X25519.sharedSecret(priv, u1, out));
        byte[] p = HEX.parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"); // u = p = 0
        assertFalse(X25519.sharedSecret(priv, p, out));
        assertTrue(ConstantTime.isZero(out, 0, 32));
    }
}
