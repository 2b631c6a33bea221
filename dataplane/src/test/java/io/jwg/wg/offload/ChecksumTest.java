package io.jwg.wg.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Checksum} against the naive RFC 1071 sum of {@link RefPacket}, on heap and native segments. */
class ChecksumTest {

    @Test
    void shouldMatchRfc1071ExampleSum() {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        MemorySegment s = MemorySegment.ofArray(b);
        assertEquals(0xddf2, Checksum.sum(s, 0, b.length));
        assertEquals(0xddf2, Checksum.sumScalar(s, 0, b.length));
        assertEquals(0xddf2, Checksum.sumVector(s, 0, b.length));
        assertEquals(0x220d, Checksum.checksum(s, 0, b.length));
    }

    @Test
    void shouldMatchNaiveSumForRandomLengthsAndAlignments() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nat = arena.allocate(70_000);
            for (int t = 0; t < 3000; t++) {
                int len = t < 200 ? t : r.nextInt(t % 10 == 0 ? 66_000 : 3000);
                int off = r.nextInt(64);
                byte[] b = new byte[off + len];
                r.nextBytes(b);
                if (r.nextInt(8) == 0) {
                    java.util.Arrays.fill(b, (byte) 0xFF); // worst case for carries
                }
                MemorySegment.copy(b, 0, nat, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b.length);
                int expected = fold(RefPacket.naiveSum(b, off, len, 0));
                String msg = "seed=" + seed + " len=" + len + " off=" + off;
                MemorySegment heap = MemorySegment.ofArray(b);
                assertEquals(expected, fold(Checksum.sum(heap, off, len)), msg);
                assertEquals(expected, fold(Checksum.sum(nat, off, len)), msg);
                assertEquals(expected, fold(Checksum.sumScalar(nat, off, len)), msg);
                assertEquals(expected, fold(Checksum.sumVector(nat, off, len)), msg);
            }
        }
    }

    /** 0x0000 and 0xFFFF are both one's-complement zero; the naive sum yields 0xFFFF for an all-ones input. */
    private static int fold(int sum) {
        return sum == 0xFFFF ? 0 : sum;
    }

    @Test
    void shouldMatchNaivePseudoHeaderSums() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int t = 0; t < 500; t++) {
            int version = r.nextBoolean() ? 4 : 6;
            int proto = r.nextBoolean() ? RefPacket.TCP : RefPacket.UDP;
            RefPacket p = RefPacket.random(r, version, proto);
            p.payload = new byte[r.nextInt(2000)];
            byte[] b = p.build();
            MemorySegment s = MemorySegment.ofArray(b);
            int l4len = r.nextInt(65536);
            assertEquals(fold(p.pseudoSum(l4len)), fold(Checksum.pseudoHeader(s, 0, version, proto, l4len)), "seed=" + seed);
        }
    }

    @Test
    void shouldVerifyBuiltPacketsToZero() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int t = 0; t < 300; t++) {
            int version = r.nextBoolean() ? 4 : 6;
            int proto = r.nextBoolean() ? RefPacket.TCP : RefPacket.UDP;
            RefPacket p = RefPacket.random(r, version, proto);
            p.payload = new byte[r.nextInt(3000)];
            r.nextBytes(p.payload);
            MemorySegment s = MemorySegment.ofArray(p.build());
            int ih = p.ipHeaderLength();
            int l4 = (int) s.byteSize() - ih;
            int total = Checksum.add(Checksum.pseudoHeader(s, 0, version, proto, l4), Checksum.sum(s, ih, l4));
            assertEquals(0xFFFF, total, "packet with a correct checksum sums to all ones, seed=" + seed);
            if (version == 4) {
                assertEquals(0xFFFF, Checksum.sum(s, 0, ih));
            }
        }
    }

    @Test
    void shouldUpdateIncrementallyLikeRecomputation() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int t = 0; t < 2000; t++) {
            byte[] b = new byte[4 + 2 * r.nextInt(40)];
            r.nextBytes(b);
            int at = 2 * r.nextInt(b.length / 2 - 1);
            int before = ~RefPacket.naiveSum(b, 0, b.length, 0) & 0xFFFF;
            if (r.nextBoolean()) {
                int old = RefPacket.get16(b, at);
                int neu = r.nextInt(65536);
                RefPacket.put16(b, at, neu);
                int after = ~RefPacket.naiveSum(b, 0, b.length, 0) & 0xFFFF;
                assertEquals(fold(~after & 0xFFFF), fold(~Checksum.update16(before, old, neu) & 0xFFFF), "seed=" + seed);
            } else if (at + 4 <= b.length) {
                int old = RefPacket.get16(b, at) << 16 | RefPacket.get16(b, at + 2);
                int neu = r.nextInt();
                RefPacket.put32(b, at, neu);
                int after = ~RefPacket.naiveSum(b, 0, b.length, 0) & 0xFFFF;
                assertEquals(fold(~after & 0xFFFF), fold(~Checksum.update32(before, old, neu) & 0xFFFF), "seed=" + seed);
            }
        }
    }

    @Test
    void shouldWriteValidIpv4HeaderChecksum() {
        RefPacket p = new RefPacket();
        p.ipOptions = new byte[] {1, 1, 1, 0};
        byte[] b = p.build();
        b[10] = 0x12;
        b[11] = 0x34;
        MemorySegment s = MemorySegment.ofArray(b);
        Checksum.putIpv4HeaderChecksum(s, 0, 24);
        assertEquals(0xFFFF, RefPacket.naiveSum(b, 0, 24, 0));
    }
}
