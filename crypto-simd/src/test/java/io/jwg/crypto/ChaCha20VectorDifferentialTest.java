package io.jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Random;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector kernel at every species (128, 256 and 512 bits, 4/8/16 blocks per chunk) in one JVM,
 * through hidden-class copies of the same bytecode, against the scalar reference: keystream XOR and
 * the AEAD seal/open, random keys, nonces, counters and lengths, heap and native segments at odd
 * offsets, in place and out of place. The seed is printed on failure; rerun with -Djwg.test.seed.
 */
class ChaCha20VectorDifferentialTest {

    private static final MethodType RUN = MethodType.methodType(boolean.class, int.class,
            int.class, int.class, int.class, int.class, int.class, int.class, int.class, int.class,
            int.class, int.class, int.class, int.class,
            MemorySegment.class, long.class, long.class,
            MemorySegment.class, long.class, MemorySegment.class, long.class, long.class);

    static MethodHandle kernelFor(int bits) throws ReflectiveOperationException {
        VectorSpecies<Integer> species = switch (bits) {
            case 128 -> IntVector.SPECIES_128;
            case 256 -> IntVector.SPECIES_256;
            default -> IntVector.SPECIES_512;
        };
        MethodHandles.Lookup copy = ChaCha20Vector.specialised(species);
        MethodHandle lanes = copy.findStaticGetter(copy.lookupClass(), "LANES", int.class);
        try {
            assertEquals(species.length(), (int) lanes.invokeExact(), "the copy runs the requested species");
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        return copy.findStatic(copy.lookupClass(), "run", RUN);
    }

    private static boolean invoke(MethodHandle run, int mode, int[] k, int counter, int[] n,
                                  MemorySegment aad, long aadLen, MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
        try {
            return (boolean) run.invokeExact(mode, k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], counter, n[0], n[1], n[2],
                    aad, 0L, aadLen, src, srcOff, dst, dstOff, len);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @ParameterizedTest(name = "{0}-bit species")
    @ValueSource(ints = {128, 256, 512})
    void kernelMatchesScalarReference(int bits) throws ReflectiveOperationException {
        MethodHandle run = kernelFor(bits);
        long seed = Long.getLong("jwg.test.seed", System.nanoTime());
        Random rnd = new Random(seed);
        String tag = bits + "-bit, seed=" + seed + " (rerun with -Djwg.test.seed=" + seed + ")";
        try (Arena arena = Arena.ofConfined()) {
            for (int iter = 0; iter < 400; iter++) {
                int len = iter < 150 ? iter * 7 : rnd.nextInt(iter % 10 == 0 ? 9000 : 1500);
                int[] k = rnd.ints(8).toArray();
                int[] n = rnd.ints(3).toArray();
                int counter = rnd.nextInt(1000);
                AeadTestSupport.Kind kind = AeadTestSupport.Kind.values()[rnd.nextInt(3)];
                int so = rnd.nextInt(9), dOff = rnd.nextInt(9);
                boolean inPlace = rnd.nextBoolean();
                byte[] pt = new byte[len];
                rnd.nextBytes(pt);
                String w = tag + " iter=" + iter + " len=" + len + " kind=" + kind + " inPlace=" + inPlace;

                // plain keystream XOR vs ChaCha20.xor
                MemorySegment src = kind.alloc(len + so + 16, arena);
                MemorySegment.copy(MemorySegment.ofArray(pt), 0, src, so, len);
                MemorySegment dst = inPlace ? src : kind.alloc(len + dOff + 16, arena);
                long d0 = inPlace ? so : dOff;
                MemorySegment expect = MemorySegment.ofArray(new byte[len]);
                ChaCha20.xor(k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], counter, n[0], n[1], n[2],
                        MemorySegment.ofArray(pt), 0, expect, 0, len);
                assertTrue(invoke(run, ChaCha20Vector.MODE_XOR, k, counter, n, MemorySegment.NULL, 0, src, so, dst, d0, len), w);
                assertArrayEquals(AeadForms.bytes(expect), AeadForms.bytes(dst.asSlice(d0, len)), w + " xor");

                // AEAD seal vs the scalar AEAD, then open (and a forged open)
                byte[] aadBytes = new byte[rnd.nextInt(40)];
                rnd.nextBytes(aadBytes);
                MemorySegment aad = kind.copyOf(aadBytes, arena);
                MemorySegment ref = MemorySegment.ofArray(new byte[len + 16]);
                ChaCha20Poly1305.cryptScalar(k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], n[0], n[1], n[2],
                        MemorySegment.ofArray(aadBytes), 0, aadBytes.length, MemorySegment.ofArray(pt), 0, ref, 0, len, true);
                MemorySegment.copy(MemorySegment.ofArray(pt), 0, src, so, len);
                assertTrue(invoke(run, ChaCha20Vector.MODE_SEAL, k, 0, n, aad, aadBytes.length, src, so, dst, d0, len), w);
                assertArrayEquals(AeadForms.bytes(ref), AeadForms.bytes(dst.asSlice(d0, len + 16)), w + " seal");
                MemorySegment sealed = kind.alloc(len + 16 + 3, arena);
                MemorySegment.copy(dst, d0, sealed, 3, len + 16);
                MemorySegment out = inPlace ? sealed : kind.alloc(len + 5, arena);
                long o = inPlace ? 3 : 5;
                if (len > 0 && rnd.nextInt(4) == 0) {
                    long at = 3 + rnd.nextInt(len + 16);
                    sealed.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at, (byte) (sealed.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at) ^ 1));
                    byte[] before = AeadForms.bytes(out);
                    assertFalse(invoke(run, ChaCha20Vector.MODE_OPEN, k, 0, n, aad, aadBytes.length, sealed, 3, out, o, len), w + " forged");
                    assertArrayEquals(before, AeadForms.bytes(out), w + " forged open wrote");
                } else {
                    assertTrue(invoke(run, ChaCha20Vector.MODE_OPEN, k, 0, n, aad, aadBytes.length, sealed, 3, out, o, len), w + " open");
                    assertArrayEquals(pt, AeadForms.bytes(out.asSlice(o, len)), w + " open");
                }
            }
        }
    }
}
