package io.jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * The public ChaCha20-Poly1305 API against BouncyCastle: random lengths 0..9000, keys, nonces and
 * AAD, heap and native segments at odd offsets, in place and out of place, byte[] forms, and the
 * batch API against the single-packet API. The seed is printed on failure; rerun with -Djwg.test.seed.
 */
class ChaCha20Poly1305DifferentialTest {

    static byte[] bcSeal(byte[] key, byte[] nonce, byte[] aad, byte[] pt) {
        var c = new org.bouncycastle.crypto.modes.ChaCha20Poly1305();
        c.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[c.getOutputSize(pt.length)];
        int n = c.processBytes(pt, 0, pt.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    static byte[] nonceOf(long counter) {
        byte[] n = new byte[12];
        MemorySegment.ofArray(n).set(ChaCha20.LE_LONG, 4, counter);
        return n;
    }

    @Test
    void singlePacketFormsMatchBouncyCastle() {
        long seed = Long.getLong("jwg.test.seed", System.nanoTime());
        Random rnd = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            for (int iter = 0; iter < 300; iter++) {
                int len = iter < 100 ? iter * 13 % 1500 : rnd.nextInt(9001);
                byte[] key = new byte[32], nonce = new byte[12], aad = new byte[rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(70)], pt = new byte[len];
                rnd.nextBytes(key);
                rnd.nextBytes(nonce);
                rnd.nextBytes(aad);
                rnd.nextBytes(pt);
                AeadTestSupport.Kind kind = AeadTestSupport.Kind.values()[rnd.nextInt(3)];
                String w = "seed=" + seed + " (rerun with -Djwg.test.seed=" + seed + ") iter=" + iter + " len=" + len + " kind=" + kind;
                byte[] expected = bcSeal(key, nonce, aad, pt);
                int off = 1 + rnd.nextInt(15);
                MemorySegment k = kind.copyOf(key, arena), n = kind.copyOf(nonce, arena), a = kind.copyOf(aad, arena);
                MemorySegment buf = kind.alloc(off + len + 16 + 7, arena);
                MemorySegment.copy(MemorySegment.ofArray(pt), 0, buf, off, len);
                if (rnd.nextBoolean()) { // in place
                    ChaCha20Poly1305.seal(k, n, a, buf.asSlice(off, len), buf.asSlice(off, len + 16));
                    assertArrayEquals(expected, AeadForms.bytes(buf.asSlice(off, len + 16)), w + " seal in place");
                    assertTrue(ChaCha20Poly1305.open(k, n, a, buf.asSlice(off, len + 16), buf.asSlice(off, len)), w);
                    assertArrayEquals(pt, AeadForms.bytes(buf.asSlice(off, len)), w + " open in place");
                } else {
                    MemorySegment dst = kind.alloc(len + 16 + 9, arena).asSlice(9 - off % 9);
                    ChaCha20Poly1305.seal(k, n, a, buf.asSlice(off, len), dst.asSlice(0, len + 16));
                    assertArrayEquals(expected, AeadForms.bytes(dst.asSlice(0, len + 16)), w + " seal");
                    MemorySegment back = kind.alloc(len, arena);
                    assertTrue(ChaCha20Poly1305.open(k, n, a, dst.asSlice(0, len + 16), back), w);
                    assertArrayEquals(pt, AeadForms.bytes(back), w + " open");
                }
                // WireGuard nonce forms: counter, in-place data path, byte[]
                long counter = rnd.nextLong();
                byte[] wgExpected = bcSeal(key, nonceOf(counter), new byte[0], pt);
                MemorySegment.copy(MemorySegment.ofArray(pt), 0, buf, off, len);
                ChaCha20Poly1305.sealInPlace(k, counter, buf, off, len);
                assertArrayEquals(wgExpected, AeadForms.bytes(buf.asSlice(off, len + 16)), w + " sealInPlace");
                assertTrue(ChaCha20Poly1305.openInPlace(k, counter, buf, off, len + 16), w + " openInPlace");
                assertArrayEquals(pt, AeadForms.bytes(buf.asSlice(off, len)), w + " openInPlace");
                byte[] arr = new byte[len + 16 + off];
                System.arraycopy(pt, 0, arr, off, len);
                ChaCha20Poly1305.seal(key, counter, null, arr, off, len, arr, off);
                assertArrayEquals(wgExpected, Arrays.copyOfRange(arr, off, off + len + 16), w + " seal(byte[]) in place");
                arr[off + rnd.nextInt(len + 16)] ^= (byte) (1 << rnd.nextInt(8));
                byte[] before = arr.clone();
                assertFalse(ChaCha20Poly1305.open(key, counter, null, arr, off, len + 16, arr, off), w + " forged byte[]");
                assertArrayEquals(before, arr, w + " forged open wrote");
            }
        }
    }

    @Test
    void batchMatchesSinglePacketApi() {
        long seed = Long.getLong("jwg.test.seed", System.nanoTime());
        Random rnd = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            for (int iter = 0; iter < 40; iter++) {
                String w = "seed=" + seed + " (rerun with -Djwg.test.seed=" + seed + ") iter=" + iter;
                byte[] key = new byte[32];
                rnd.nextBytes(key);
                AeadTestSupport.Kind kind = AeadTestSupport.Kind.values()[rnd.nextInt(3)];
                MemorySegment k = kind.copyOf(key, arena);
                int count = 1 + rnd.nextInt(40);
                long[] offsets = new long[count + 2], counters = new long[count + 2];
                int[] lengths = new int[count + 2];
                long pos = rnd.nextInt(8);
                for (int i = 0; i < count; i++) {
                    lengths[i] = rnd.nextInt(4) == 0 ? rnd.nextInt(64) : rnd.nextInt(2000);
                    offsets[i] = pos;
                    counters[i] = rnd.nextInt(3) == 0 ? rnd.nextLong() : iter * 100L + i;
                    pos += lengths[i] + 16 + rnd.nextInt(5);
                }
                MemorySegment slab = kind.alloc(pos, arena);
                byte[] plain = new byte[(int) pos];
                rnd.nextBytes(plain);
                MemorySegment.copy(MemorySegment.ofArray(plain), 0, slab, 0, pos);
                ChaCha20Poly1305.sealBatch(k, slab, offsets, lengths, counters, count);
                for (int i = 0; i < count; i++) {
                    byte[] pt = Arrays.copyOfRange(plain, (int) offsets[i], (int) offsets[i] + lengths[i]);
                    byte[] expected = bcSeal(key, nonceOf(counters[i]), new byte[0], pt);
                    assertArrayEquals(expected, AeadForms.bytes(slab.asSlice(offsets[i], lengths[i] + 16)), w + " packet " + i);
                }
                // forge some, open all
                int[] withTag = new int[count + 2];
                boolean[] forged = new boolean[count];
                int expectedGood = 0;
                for (int i = 0; i < count; i++) {
                    withTag[i] = lengths[i] + 16;
                    forged[i] = rnd.nextInt(5) == 0;
                    if (forged[i]) {
                        long at = offsets[i] + rnd.nextInt(withTag[i]);
                        slab.set(ValueLayout.JAVA_BYTE, at, (byte) (slab.get(ValueLayout.JAVA_BYTE, at) ^ 0x10));
                    } else {
                        expectedGood++;
                    }
                }
                byte[] sealedImage = AeadForms.bytes(slab);
                boolean[] ok = new boolean[count];
                assertEquals(expectedGood, ChaCha20Poly1305.openBatch(k, slab, offsets, withTag, counters, count, ok), w);
                for (int i = 0; i < count; i++) {
                    assertEquals(!forged[i], ok[i], w + " ok[" + i + "]");
                    byte[] got = AeadForms.bytes(slab.asSlice(offsets[i], forged[i] ? withTag[i] : lengths[i]));
                    byte[] want = forged[i]
                            ? Arrays.copyOfRange(sealedImage, (int) offsets[i], (int) offsets[i] + withTag[i])
                            : Arrays.copyOfRange(plain, (int) offsets[i], (int) offsets[i] + lengths[i]);
                    assertArrayEquals(want, got, w + " packet " + i + (forged[i] ? " (forged: must be untouched)" : ""));
                }
            }
        }
    }
}
