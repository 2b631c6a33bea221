package io.jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.junit.jupiter.api.Test;

class Blake2sTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Every way of feeding {@code in} that the API offers, each must give {@code expected}. */
    private static void assertAllWays(byte[] expected, byte[] key, byte[] in, String what) {
        int outLen = expected.length;
        int keyLen = key == null ? 0 : key.length;
        byte[] out = new byte[outLen];
        Blake2s b = new Blake2s(outLen, key, 0, keyLen);
        b.update(in, 0, in.length).doFinal(out, 0);
        assertArrayEquals(expected, out, what + " (byte[])");

        b.reset().update(MemorySegment.ofArray(in), 0, in.length).doFinal(out, 0);
        assertArrayEquals(expected, out, what + " (heap segment, after reset)");

        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(in.length + 3L);
            MemorySegment.copy(in, 0, seg, ValueLayout.JAVA_BYTE, 3, in.length);
            b.reset().update(seg, 3, in.length).doFinal(out, 0);
            assertArrayEquals(expected, out, what + " (native segment at offset 3)");
        }

        b.reset();
        for (byte x : in) {
            b.update(new byte[] {x}, 0, 1);
        }
        b.doFinal(out, 0);
        assertArrayEquals(expected, out, what + " (byte by byte)");

        if (keyLen == 0) {
            Blake2s.hash(out, 0, outLen, in, 0, in.length);
        } else {
            Blake2s.mac(out, 0, outLen, key, in, 0, in.length);
        }
        assertArrayEquals(expected, out, what + " (static one-shot)");
    }

    @Test
    void shouldMatchRfc7693AppendixBAbc() {
        byte[] expected = HEX.parseHex("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
        assertAllWays(expected, null, "abc".getBytes(StandardCharsets.US_ASCII), "RFC 7693 App. B");
    }

    @Test
    void shouldMatchEveryEntryOfBlake2sKatJson() throws IOException {
        List<Object> entries = HashDhJson.list(HashDhJson.parse(HashDhJson.vectorsDir().resolve("blake2s-kat.json")));
        assertEquals(512, entries.size());
        int keyed = 0;
        for (Object e : entries) {
            Map<String, Object> m = HashDhJson.obj(e);
            assertEquals("blake2s", m.get("hash"));
            byte[] in = HashDhJson.hex(m.get("in"));
            byte[] key = HashDhJson.hex(m.get("key"));
            byte[] out = HashDhJson.hex(m.get("out"));
            keyed += key.length > 0 ? 1 : 0;
            assertAllWays(out, key.length == 0 ? null : key, in, "kat.json in=" + in.length + " keyLen=" + key.length);
        }
        assertEquals(256, keyed);
    }

    @Test
    void shouldMatchEveryRecordOfBlake2sKatTxt() throws IOException {
        List<String> lines = Files.readAllLines(HashDhJson.vectorsDir().resolve("blake2s-kat.txt"));
        List<byte[][]> records = new ArrayList<>();
        byte[] in = null;
        byte[] key = null;
        for (String line : lines) {
            if (line.startsWith("in:")) {
                in = HEX.parseHex(line.substring(3).trim());
            } else if (line.startsWith("key:")) {
                key = HEX.parseHex(line.substring(4).trim());
            } else if (line.startsWith("hash:")) {
                records.add(new byte[][] {in, key, HEX.parseHex(line.substring(5).trim())});
            }
        }
        assertEquals(256, records.size());
        for (int i = 0; i < records.size(); i++) {
            byte[][] r = records.get(i);
            assertEquals(i, r[0].length, "record " + i + " input length");
            byte[] out = new byte[32];
            new Blake2s(32, r[1], 0, r[1].length).update(r[0], 0, r[0].length).doFinal(out, 0);
            assertArrayEquals(r[2], out, "kat.txt record " + i);
        }
    }

    @Test
    void shouldGiveSameDigestWhenInputIsSplitAtEveryPosition() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] key = new byte[32];
        for (int len : new int[] {0, 1, 31, 63, 64, 65, 127, 128, 129, 191, 192, 193, 300}) {
            byte[] in = new byte[len];
            rnd.nextBytes(in);
            rnd.nextBytes(key);
            for (int keyLen : new int[] {0, 32}) {
                byte[] whole = new byte[32];
                new Blake2s(32, key, 0, keyLen).update(in, 0, len).doFinal(whole, 0);
                Blake2s b = new Blake2s(32, key, 0, keyLen);
                byte[] out = new byte[32];
                for (int split = 0; split <= len; split++) {
                    b.reset().update(in, 0, split).update(in, split, len - split).doFinal(out, 0);
                    assertArrayEquals(whole, out, "seed=" + seed + " len=" + len + " split=" + split);
                    // A three-way split with the middle part as a segment.
                    int mid = split + rnd.nextInt(len - split + 1);
                    b.reset().update(in, 0, split).update(MemorySegment.ofArray(in), split, mid - split)
                            .update(in, mid, len - mid).doFinal(out, 0);
                    assertArrayEquals(whole, out, "seed=" + seed + " len=" + len + " split=" + split + "/" + mid);
                }
            }
        }
    }

    @Test
    void shouldMatchBouncyCastleForAllOutputLengthsKeyedAndUnkeyed() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        Blake2s ours = new Blake2s(32);
        for (int iter = 0; iter < 2000; iter++) {
            int outLen = 1 + rnd.nextInt(32);
            if (iter % 4 == 0) {
                outLen = 16; // WireGuard's mac1/mac2/cookie size
            }
            int keyLen = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(32);
            int len = rnd.nextInt(1001);
            byte[] key = new byte[keyLen];
            byte[] in = new byte[len];
            rnd.nextBytes(key);
            rnd.nextBytes(in);
            Blake2sDigest bc = new Blake2sDigest(keyLen == 0 ? null : key, outLen, null, null);
            bc.update(in, 0, len);
            byte[] expected = new byte[outLen];
            bc.doFinal(expected, 0);
            byte[] out = new byte[outLen + 2];
            ours.reset(outLen, key, 0, keyLen);
            int cut = rnd.nextInt(len + 1);
            ours.update(in, 0, cut).update(in, cut, len - cut).doFinal(out, 1);
            byte[] got = java.util.Arrays.copyOfRange(out, 1, 1 + outLen);
            assertArrayEquals(expected, got,
                    "seed=" + seed + " iter=" + iter + " outLen=" + outLen + " keyLen=" + keyLen + " len=" + len);
            assertEquals(0, out[0], "wrote before outOff");
            assertEquals(0, out[outLen + 1], "wrote past outLen");
        }
    }

    @Test
    void shouldRejectMisuse() {
        assertThrows(IllegalArgumentException.class, () -> new Blake2s(0));
        assertThrows(IllegalArgumentException.class, () -> new Blake2s(33));
        assertThrows(IllegalArgumentException.class, () -> new Blake2s(32, new byte[33], 0, 33));
        Blake2s b = new Blake2s(32);
        byte[] out = new byte[32];
        assertThrows(IndexOutOfBoundsException.class, () -> b.update(new byte[4], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> b.doFinal(new byte[31], 0));
        b.doFinal(out, 0);
        assertThrows(IllegalStateException.class, () -> b.update(out, 0, 1));
        assertThrows(IllegalStateException.class, () -> b.doFinal(out, 0));
        b.reset().doFinal(out, 0);
        assertArrayEquals(HEX.parseHex("69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9"), out,
                "empty input after reset");
    }

    @Test
    void shouldForgetKeyWhenResetWithoutKey() {
        byte[] key = new byte[32];
        key[0] = 7;
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        Blake2s h = new Blake2s(32, key, 0, 32);
        h.reset(32, null, 0, 0).update(key, 0, 5).doFinal(a, 0);
        Blake2s.hash(b, 0, 32, key, 0, 5);
        assertArrayEquals(b, a);
        h.wipe();
        assertThrows(IllegalStateException.class, () -> h.update(key, 0, 1));
    }
}
