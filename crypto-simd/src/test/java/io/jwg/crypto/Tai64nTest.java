package io.jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Tai64nTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] enc(long nanos) {
        byte[] out = new byte[Tai64n.LENGTH];
        Tai64n.encode(nanos, out, 0);
        return out;
    }

    @Test
    void shouldEncodeUnixEpochAsTai64Label() {
        assertArrayEquals(HEX.parseHex("400000000000000a" + "00000000"), enc(0));
    }

    @Test
    void shouldEncodeKnownInstants() {
        // 2020-01-01T00:00:00Z = 1577836800 s = 0x5E0BE100; 0x400000000000000a + that = 0x400000005E0BE10A.
        assertArrayEquals(HEX.parseHex("400000005e0be10a" + "00000000"), enc(1_577_836_800L * 1_000_000_000L));
        // 999,999,999 ns = 0x3B9AC9FF; masking the low 24 bits gives 0x3B000000 (989,855,744 ns).
        assertArrayEquals(HEX.parseHex("400000005e0be10a" + "3b000000"),
                enc(1_577_836_800L * 1_000_000_000L + 999_999_999L));
        // 2^24 ns exactly stays; 2^24 - 1 ns rounds down to 0.
        assertArrayEquals(HEX.parseHex("400000000000000b" + "01000000"), enc(1_000_000_000L + (1 << 24)));
        assertArrayEquals(HEX.parseHex("400000000000000b" + "00000000"), enc(1_000_000_000L + (1 << 24) - 1));
        // Before the epoch: -1 ns is 1969-12-31T23:59:59.999999999.
        assertArrayEquals(HEX.parseHex("4000000000000009" + "3b000000"), enc(-1));
    }

    @Test
    void shouldRoundNanosDownToMultipleOf2Pow24() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] out = new byte[Tai64n.LENGTH + 4];
        for (int i = 0; i < 10_000; i++) {
            long secs = rnd.nextLong(0, 4_000_000_000L);
            int nanos = rnd.nextInt(1_000_000_000);
            Tai64n.encode(secs * 1_000_000_000L + nanos, out, 2);
            assertEquals(0x400000000000000aL + secs, Tai64n.seconds(out, 2), "seed=" + seed);
            int got = Tai64n.nanos(out, 2);
            assertEquals(0, got & 0xFFFFFF, "seed=" + seed);
            assertTrue(got <= nanos && nanos - got < (1 << 24), "seed=" + seed + " nanos=" + nanos + " got=" + got);
        }
    }

    /** The instant a stamp represents after its nanoseconds are rounded down. */
    private static long whitened(long nanos) {
        long ns = Math.floorMod(nanos, 1_000_000_000L);
        return nanos - ns + (ns & ~0xFFFFFFL);
    }

    @Test
    void shouldCompareUnsignedBytewiseAndMonotonicallyInTime() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] a = new byte[Tai64n.LENGTH];
        byte[] b = new byte[Tai64n.LENGTH];
        for (int i = 0; i < 10_000; i++) {
            long x = rnd.nextLong(0, Long.MAX_VALUE / 4);
            long y = rnd.nextInt(4) == 0 ? x + rnd.nextInt(1 << 25) : rnd.nextLong(0, Long.MAX_VALUE / 4);
            Tai64n.encode(x, a, 0);
            Tai64n.encode(y, b, 0);
            int expected = Long.signum(Long.compare(whitened(x), whitened(y)));
            assertEquals(expected, Integer.signum(Tai64n.compare(a, 0, b, 0)), "seed=" + seed + " x=" + x + " y=" + y);
            int segCmp = Tai64n.compare(MemorySegment.ofArray(a), 0, MemorySegment.ofArray(b), 0);
            assertEquals(expected, Integer.signum(segCmp), "seed=" + seed + " segments");
        }
        // Bytes >= 0x80 must compare as large (unsigned), not negative.
        byte[] lo = new byte[Tai64n.LENGTH];
        byte[] hi = new byte[Tai64n.LENGTH];
        lo[11] = 0x7f;
        hi[11] = (byte) 0x80;
        assertTrue(Tai64n.compare(hi, 0, lo, 0) > 0);
        assertTrue(Tai64n.compare(lo, 0, hi, 0) < 0);
        assertEquals(0, Tai64n.compare(hi, 0, hi.clone(), 0));
    }
}
