package io.jwg.crypto;

import static io.jwg.crypto.AeadTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8439 Poly1305 known answers, and the fast path against the 26-bit reference and a BigInteger model. */
class Poly1305Test {

    private static String mac(String key, byte[] msg, boolean reference) {
        MemorySegment tag = MemorySegment.ofArray(new byte[16]);
        MemorySegment k = MemorySegment.ofArray(hex(key));
        if (reference) {
            Poly1305.macReference(k, MemorySegment.ofArray(msg), tag);
        } else {
            Poly1305.mac(k, MemorySegment.ofArray(msg), tag);
        }
        return hex(tag.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void rfc8439Section2_5_2() {
        byte[] msg = "Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII);
        String key = "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b";
        assertEquals("a8061dc1305136c6c22b8baf0c0127a9", mac(key, msg, false));
        assertEquals("a8061dc1305136c6c22b8baf0c0127a9", mac(key, msg, true));
        try (Arena arena = Arena.ofConfined()) { // native segments at odd offsets
            MemorySegment k = AeadTestSupport.Kind.NATIVE.copyOf(hex(key), arena);
            MemorySegment m = AeadTestSupport.Kind.NATIVE.copyOf(msg, arena);
            MemorySegment t = AeadTestSupport.Kind.NATIVE.alloc(16, arena);
            Poly1305.mac(k, m, t);
            assertEquals("a8061dc1305136c6c22b8baf0c0127a9", hex(t.toArray(ValueLayout.JAVA_BYTE)));
        }
    }

    @ParameterizedTest(name = "RFC 8439 A.3 #{0}")
    @CsvSource({
        "1, 0000000000000000000000000000000000000000000000000000000000000000, "
                + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000, "
                + "00000000000000000000000000000000",
        "5, 0200000000000000000000000000000000000000000000000000000000000000, ffffffffffffffffffffffffffffffff, 03000000000000000000000000000000",
        "6, 02000000000000000000000000000000ffffffffffffffffffffffffffffffff, 02000000000000000000000000000000, 03000000000000000000000000000000",
        "7, 0100000000000000000000000000000000000000000000000000000000000000, "
                + "fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff11000000000000000000000000000000, 05000000000000000000000000000000",
        "8, 0100000000000000000000000000000000000000000000000000000000000000, "
                + "fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe01010101010101010101010101010101, 00000000000000000000000000000000",
        "9, 0200000000000000000000000000000000000000000000000000000000000000, fdffffffffffffffffffffffffffffff, faffffffffffffffffffffffffffffff",
        "10, 0100000000000000040000000000000000000000000000000000000000000000, "
                + "e33594d7505e43b900000000000000003394d7505e4379cd01000000000000000000000000000000000000000000000001000000000000000000000000000000, "
                + "14000000000000005500000000000000",
        "11, 0100000000000000040000000000000000000000000000000000000000000000, "
                + "e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000, "
                + "13000000000000000000000000000000",
    })
    void rfc8439AppendixA3(int number, String key, String msg, String tag) {
        assertEquals(tag, mac(key, hex(msg), false), "fast path");
        assertEquals(tag, mac(key, hex(msg), true), "reference");
        assertEquals(tag, hex(model(hex(key), hex(msg))), "model");
    }

    /** The definition, with BigInteger: the slowest and most obviously right version. */
    static byte[] model(byte[] key, byte[] msg) {
        BigInteger p = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));
        BigInteger r = le(key, 0, 16).and(new BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16));
        BigInteger s = le(key, 16, 16);
        BigInteger h = BigInteger.ZERO;
        for (int off = 0; off < msg.length; off += 16) {
            int n = Math.min(16, msg.length - off);
            BigInteger m = le(msg, off, n).setBit(8 * n);
            h = h.add(m).multiply(r).mod(p);
        }
        BigInteger t = h.add(s).mod(BigInteger.ONE.shiftLeft(128));
        byte[] out = new byte[16];
        byte[] be = t.toByteArray();
        for (int i = 0; i < 16 && i < be.length; i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    private static BigInteger le(byte[] b, int off, int n) {
        byte[] be = new byte[n + 1];
        for (int i = 0; i < n; i++) {
            be[n - i] = b[off + i];
        }
        return new BigInteger(be);
    }

    @Test
    void fastPathMatchesReferenceAndModelOnRandomInputs() {
        long seed = Long.getLong("jwg.test.seed", System.nanoTime());
        Random rnd = new Random(seed);
        for (int iter = 0; iter < 3000; iter++) {
            byte[] key = new byte[32];
            rnd.nextBytes(key);
            if (iter % 7 == 0) { // push r and s towards all-ones, the carry-heavy corner
                for (int i = 0; i < 32; i++) {
                    key[i] = (byte) (key[i] | 0xf0 | (iter % 14 == 0 ? 0xff : 0));
                }
            }
            int len = iter < 200 ? iter : rnd.nextInt(1200);
            byte[] msg = new byte[len];
            rnd.nextBytes(msg);
            if (iter % 5 == 0) {
                java.util.Arrays.fill(msg, (byte) 0xff);
            }
            String k = hex(key);
            String expected = hex(model(key, msg));
            assertEquals(expected, mac(k, msg, false), "fast path, seed=" + seed + " iter=" + iter + " (rerun with -Djwg.test.seed=" + seed + ")");
            assertEquals(expected, mac(k, msg, true), "reference, seed=" + seed + " iter=" + iter);
        }
    }

    /**
     * The vector path at every shape (hidden-class copies of Poly1305 with 2, 4 and 8 long lanes):
     * plain MAC and the AEAD construction (AAD part first, so h enters the vector lanes non-zero)
     * against the BigInteger model.
     */
    @ParameterizedTest(name = "{0}-bit lanes")
    @org.junit.jupiter.params.provider.ValueSource(ints = {128, 256, 512})
    void vectorPathMatchesModelAtEveryShape(int bits) throws Throwable {
        var species = switch (bits) {
            case 128 -> jdk.incubator.vector.IntVector.SPECIES_128;
            case 256 -> jdk.incubator.vector.IntVector.SPECIES_256;
            default -> jdk.incubator.vector.IntVector.SPECIES_512;
        };
        var copy = ChaCha20Vector.specialised(Poly1305.class, species);
        var lanes = copy.findStaticGetter(copy.lookupClass(), "NL", int.class);
        assertEquals(bits / 64, (int) lanes.invoke(), "the copy runs the requested shape");
        var mac = copy.findStatic(copy.lookupClass(), "mac", java.lang.invoke.MethodType.methodType(void.class,
                MemorySegment.class, MemorySegment.class, MemorySegment.class));
        var aead = copy.findStatic(copy.lookupClass(), "aead", java.lang.invoke.MethodType.methodType(boolean.class,
                long.class, long.class, long.class, long.class, MemorySegment.class, long.class, long.class,
                MemorySegment.class, long.class, long.class, MemorySegment.class, long.class, boolean.class));
        long seed = Long.getLong("jwg.test.seed", System.nanoTime());
        Random rnd = new Random(seed);
        for (int iter = 0; iter < 400; iter++) {
            String w = bits + "-bit seed=" + seed + " (rerun with -Djwg.test.seed=" + seed + ") iter=" + iter;
            byte[] key = new byte[32];
            rnd.nextBytes(key);
            if (iter % 4 == 0) {
                java.util.Arrays.fill(key, 0, 16, (byte) 0xff);
            }
            byte[] msg = new byte[rnd.nextInt(iter % 10 == 0 ? 5000 : 1500)];
            rnd.nextBytes(msg);
            if (iter % 3 == 0) {
                java.util.Arrays.fill(msg, (byte) 0xff);
            }
            MemorySegment tag = MemorySegment.ofArray(new byte[16]);
            mac.invoke(MemorySegment.ofArray(key), MemorySegment.ofArray(msg), tag);
            assertEquals(hex(model(key, msg)), hex(tag.toArray(ValueLayout.JAVA_BYTE)), w + " mac len=" + msg.length);
            // AEAD: Poly1305 of aad || pad16 || ct || pad16 || le64(aadLen) || le64(ctLen)
            byte[] aad = new byte[rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(600)];
            rnd.nextBytes(aad);
            int pa = (aad.length + 15) & ~15, pc = (msg.length + 15) & ~15;
            byte[] all = new byte[pa + pc + 16];
            System.arraycopy(aad, 0, all, 0, aad.length);
            System.arraycopy(msg, 0, all, pa, msg.length);
            MemorySegment.ofArray(all).set(ChaCha20.LE_LONG, pa + pc, aad.length);
            MemorySegment.ofArray(all).set(ChaCha20.LE_LONG, pa + pc + 8, msg.length);
            MemorySegment k = MemorySegment.ofArray(key);
            MemorySegment got = MemorySegment.ofArray(new byte[16]);
            aead.invoke(k.get(ChaCha20.LE_LONG, 0), k.get(ChaCha20.LE_LONG, 8), k.get(ChaCha20.LE_LONG, 16), k.get(ChaCha20.LE_LONG, 24),
                    MemorySegment.ofArray(aad), 0L, (long) aad.length, MemorySegment.ofArray(msg), 0L, (long) msg.length, got, 0L, false);
            assertEquals(hex(model(key, all)), hex(got.toArray(ValueLayout.JAVA_BYTE)), w + " aead aad=" + aad.length + " ct=" + msg.length);
        }
    }
}
