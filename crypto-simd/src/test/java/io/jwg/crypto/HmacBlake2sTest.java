package io.jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class HmacBlake2sTest {

    private static byte[] bcHmac(byte[] key, byte[] in) {
        HMac mac = new HMac(new Blake2sDigest(256)); // BC's Blake2sDigest reports block size 64
        mac.init(new KeyParameter(key));
        mac.update(in, 0, in.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return out;
    }

    @Test
    void shouldMatchBouncyCastleHmacWithRandomKeysAndMessages() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        HmacBlake2s ours = new HmacBlake2s();
        for (int iter = 0; iter < 1500; iter++) {
            int keyLen = iter % 3 == 0 ? 32 : rnd.nextInt(150); // includes keys longer than a block
            int len = rnd.nextInt(400);
            byte[] key = new byte[keyLen];
            byte[] in = new byte[len];
            rnd.nextBytes(key);
            rnd.nextBytes(in);
            byte[] expected = bcHmac(key, in);
            String what = "seed=" + seed + " iter=" + iter + " keyLen=" + keyLen + " len=" + len;

            byte[] out = new byte[34];
            ours.mac(key, 0, keyLen, in, 0, len, out, 2);
            assertArrayEquals(expected, Arrays.copyOfRange(out, 2, 34), what + " one-shot");

            int cut = rnd.nextInt(len + 1);
            ours.init(key, 0, keyLen).update(in, 0, cut).update(MemorySegment.ofArray(in), cut, len - cut);
            byte[] out2 = new byte[32];
            ours.doFinal(out2, 0);
            assertArrayEquals(expected, out2, what + " incremental cut=" + cut);
        }
    }

    @Test
    void shouldAllowOutputToOverlapKeyAndInput() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0x11);
        byte[] in = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
            28, 29, 30, 31, 32, 33};
        byte[] expected = bcHmac(key, in);
        byte[] k = key.clone();
        new HmacBlake2s().mac(k, 0, 32, in, 0, in.length, k, 0);
        assertArrayEquals(expected, k, "output over key");
        byte[] m = in.clone();
        new HmacBlake2s().mac(key, 0, 32, m, 0, m.length, m, 0);
        assertArrayEquals(expected, Arrays.copyOf(m, 32), "output over input");
    }

    @Test
    void shouldRejectUpdateWithoutInit() {
        HmacBlake2s h = new HmacBlake2s();
        assertThrows(IllegalStateException.class, () -> h.update(new byte[1], 0, 1));
        h.mac(new byte[32], 0, 32, new byte[1], 0, 1, new byte[32], 0);
        assertThrows(IllegalStateException.class, () -> h.doFinal(new byte[32], 0));
    }
}
