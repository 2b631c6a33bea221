package io.jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KdfTest {

    /** The obvious composition, allocating freely: T_i = HMAC(HMAC(ck, in), T_{i-1} || i). */
    private static byte[][] slowKdf(byte[] ck, byte[] in, int n) {
        HmacBlake2s h = new HmacBlake2s();
        byte[] prk = new byte[32];
        h.mac(ck, 0, 32, in, 0, in.length, prk, 0);
        byte[][] t = new byte[n][32];
        byte[] prev = new byte[0];
        for (int i = 0; i < n; i++) {
            byte[] msg = Arrays.copyOf(prev, prev.length + 1);
            msg[prev.length] = (byte) (i + 1);
            h.mac(prk, 0, 32, msg, 0, msg.length, t[i], 0);
            prev = t[i];
        }
        return t;
    }

    @Test
    void shouldMatchSlowCompositionForKdf1To3() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        Kdf kdf = new Kdf();
        for (int iter = 0; iter < 300; iter++) {
            byte[] ck = new byte[32];
            rnd.nextBytes(ck);
            int len = new int[] {0, 32, rnd.nextInt(200)}[iter % 3];
            byte[] in = new byte[len + 5];
            rnd.nextBytes(in);
            byte[][] expected = slowKdf(ck, Arrays.copyOfRange(in, 5, 5 + len), 3);
            String what = "seed=" + seed + " iter=" + iter + " len=" + len;

            byte[] t1 = new byte[32];
            byte[] t2 = new byte[32];
            byte[] t3 = new byte[32];
            kdf.kdf1(ck, in, 5, len, t1);
            assertArrayEquals(expected[0], t1, what + " kdf1");
            kdf.kdf2(ck, in, 5, len, t1, t2);
            assertArrayEquals(expected[0], t1, what + " kdf2 t1");
            assertArrayEquals(expected[1], t2, what + " kdf2 t2");
            kdf.kdf3(ck, in, 5, len, t1, t2, t3);
            assertArrayEquals(expected[0], t1, what + " kdf3 t1");
            assertArrayEquals(expected[1], t2, what + " kdf3 t2");
            assertArrayEquals(expected[2], t3, what + " kdf3 t3");

            // In-place chaining-key update: t1 is ck.
            byte[] c = ck.clone();
            kdf.kdf2(c, in, 5, len, c, t2);
            assertArrayEquals(expected[0], c, what + " in-place kdf2 t1");
            assertArrayEquals(expected[1], t2, what + " in-place kdf2 t2");
            c = ck.clone();
            kdf.kdf3(c, in, 5, len, c, t2, t3);
            assertArrayEquals(expected[0], c, what + " in-place kdf3 t1");
            assertArrayEquals(expected[2], t3, what + " in-place kdf3 t3");
            c = ck.clone();
            kdf.kdf1(c, in, 5, len, c);
            assertArrayEquals(expected[0], c, what + " in-place kdf1");
        }
    }
}
