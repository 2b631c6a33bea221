package io.jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConstantTimeTest {

    @Test
    void shouldAgreeWithArraysEqualsOnRandomAndSingleBitDifferences() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < 2000; i++) {
                int len = rnd.nextInt(70);
                byte[] a = new byte[len + 3];
                rnd.nextBytes(a);
                byte[] b = new byte[len + 1];
                System.arraycopy(a, 3, b, 1, len);
                if (len > 0 && rnd.nextBoolean()) {
                    b[1 + rnd.nextInt(len)] ^= (byte) (1 << rnd.nextInt(8));
                }
                boolean expected = Arrays.equals(a, 3, 3 + len, b, 1, 1 + len);
                String what = "seed=" + seed + " i=" + i;
                assertEquals(expected, ConstantTime.equals(a, 3, b, 1, len), what);
                MemorySegment sa = arena.allocate(a.length);
                MemorySegment.copy(a, 0, sa, ValueLayout.JAVA_BYTE, 0, a.length);
                assertEquals(expected, ConstantTime.equals(sa, 3, MemorySegment.ofArray(b), 1, len), what + " segment");
            }
        }
    }

    @Test
    void shouldDetectZeroAndNonZero() {
        byte[] z = new byte[32];
        assertTrue(ConstantTime.isZero(z, 0, 32));
        assertTrue(ConstantTime.isZero(z, 5, 0));
        for (int i = 0; i < 32; i++) {
            for (int bit = 0; bit < 8; bit++) {
                z[i] = (byte) (1 << bit);
                assertFalse(ConstantTime.isZero(z, 0, 32), "byte " + i + " bit " + bit);
                assertFalse(ConstantTime.isZero(MemorySegment.ofArray(z), 0, 32));
                z[i] = 0;
            }
        }
        z[0] = 1;
        assertTrue(ConstantTime.isZero(z, 1, 31));
    }

    @Test
    void shouldZeroArraysAndSegments() {
        byte[] a = {1, 2, 3, 4};
        ConstantTime.zero(a);
        assertTrue(ConstantTime.isZero(a, 0, 4));
        byte[] p = {1, 2, 3, 4};
        ConstantTime.zero(p, 1, 2);
        assertEquals(1, p[0]);
        assertEquals(0, p[1] | p[2]);
        assertEquals(4, p[3]);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(40);
            s.fill((byte) 0x5a);
            ConstantTime.zero(s);
            assertTrue(ConstantTime.isZero(s, 0, 40));
        }
    }

    @Test
    void shouldThrowOnOutOfRange() {
        assertThrows(IndexOutOfBoundsException.class, () -> ConstantTime.equals(new byte[4], 1, new byte[4], 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> ConstantTime.isZero(new byte[4], 3, 2));
    }
}
