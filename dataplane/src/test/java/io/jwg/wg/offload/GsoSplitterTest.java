package io.jwg.wg.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.bindings.io.PacketBatch;
import io.jwg.bindings.io.PacketPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link GsoSplitter} against {@link RefPacket#segments} (field-level reference split, naive checksums). */
class GsoSplitterTest {

    static final int SLOTS = 128;
    static final int SLOT = 2048;

    private static byte[] segmentBytes(MemorySegment out, long off, int len) {
        return out.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE);
    }

    static RefPacket randomSuper(Random r, int version, int protocol, int mss) {
        RefPacket p = RefPacket.random(r, version, protocol);
        if (version == 4 && r.nextInt(4) == 0) {
            p.ipOptions = new byte[4 * (1 + r.nextInt(10))];
            r.nextBytes(p.ipOptions);
        }
        int maxPayload = 65535 - p.headerLength();
        int segs = 1 + r.nextInt(protocol == RefPacket.UDP ? 64 : 48);
        int len = Math.min(maxPayload, Math.max(1, segs * mss - r.nextInt(mss)));
        p.payload = new byte[len];
        r.nextBytes(p.payload);
        if (protocol == RefPacket.TCP) {
            p.flags = RefPacket.ACK | (r.nextBoolean() ? RefPacket.PSH : 0) | (r.nextInt(4) == 0 ? RefPacket.FIN : 0)
                    | (r.nextInt(4) == 0 ? RefPacket.CWR : 0) | (r.nextInt(4) == 0 ? RefPacket.ECE : 0);
        }
        return p;
    }

    @Test
    void shouldSplitLikeTheReferenceForRandomTcpAndUdpSuperPackets() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate((long) SLOTS * SLOT);
            long[] offsets = new long[SLOTS];
            int[] lengths = new int[SLOTS];
            for (int i = 0; i < SLOTS; i++) {
                offsets[i] = (long) i * SLOT + r.nextInt(16);
            }
            for (int t = 0; t < 400; t++) {
                int version = r.nextBoolean() ? 4 : 6;
                int protocol = r.nextInt(3) == 0 ? RefPacket.UDP : RefPacket.TCP;
                int mss = 1 + r.nextInt(1400);
                if (r.nextBoolean()) {
                    mss = 1200 + r.nextInt(240);
                }
                RefPacket p = randomSuper(r, version, protocol, mss);
                byte[] read = p.tunRead(mss, r.nextInt(65536)); // hdr_len is only a hint: random here
                MemorySegment in = r.nextBoolean() ? MemorySegment.ofArray(read) : arena.allocateFrom(ValueLayout.JAVA_BYTE, read);
                List<RefPacket> expected = p.segments(mss);
                String msg = "seed=" + seed + " t=" + t + " " + p + " mss=" + mss;
                assertEquals(expected.size(), GsoSplitter.segmentCount(in, 0, 10, read.length - 10), msg);
                int n = GsoSplitter.split(in, 0, 10, read.length - 10, out, offsets, lengths, SLOTS, SLOT - 16);
                assertEquals(expected.size(), n, msg);
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(expected.get(i).build(), segmentBytes(out, offsets[i], lengths[i]), msg + " segment " + i);
                }
            }
        }
    }

    @Test
    void shouldCompletePartialChecksumInPlaceAndWhenCopying() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int t = 0; t < 300; t++) {
            int version = r.nextBoolean() ? 4 : 6;
            int protocol = r.nextBoolean() ? RefPacket.UDP : RefPacket.TCP;
            RefPacket p = RefPacket.random(r, version, protocol);
            p.payload = new byte[r.nextInt(1400)];
            r.nextBytes(p.payload);
            byte[] expected = p.build();
            byte[] read = p.tunRead(0, 0);
            read[1] = 0; // GSO_NONE + NEEDS_CSUM: a single CHECKSUM_PARTIAL packet
            MemorySegment in = MemorySegment.ofArray(read.clone());
            String msg = "seed=" + seed + " " + p;
            assertEquals(1, GsoSplitter.finishInPlace(in, 0, 10, read.length - 10), msg);
            assertArrayEquals(expected, segmentBytes(in, 10, read.length - 10), msg);
            MemorySegment out = MemorySegment.ofArray(new byte[2048]);
            long[] offsets = {3};
            int[] lengths = new int[1];
            assertEquals(1, GsoSplitter.split(MemorySegment.ofArray(read), 0, 10, read.length - 10, out, offsets, lengths, 1, 2000), msg);
            assertEquals(expected.length, lengths[0]);
            assertArrayEquals(expected, segmentBytes(out, 3, lengths[0]), msg);
        }
    }

    @Test
    void shouldCopyPlainPacketUnchanged() {
        byte[] read = new byte[10 + 60];
        new Random(1).nextBytes(read);
        VirtioNetHeader.putPlain(MemorySegment.ofArray(read), 0);
        MemorySegment out = MemorySegment.ofArray(new byte[100]);
        int[] lengths = new int[1];
        assertTrue(VirtioNetHeader.isPlain(MemorySegment.ofArray(read), 0));
        assertEquals(1, GsoSplitter.split(MemorySegment.ofArray(read), 0, 10, 60, out, new long[] {0}, lengths, 1, 100));
        assertEquals(60, lengths[0]);
        assertArrayEquals(java.util.Arrays.copyOfRange(read, 10, 70), segmentBytes(out, 0, 60));
        assertEquals(1, GsoSplitter.finishInPlace(MemorySegment.ofArray(read), 0, 10, 60));
    }

    @Test
    void shouldFinishSingleSegmentGsoPacketInPlaceAndRefuseLargerOnes() {
        Random r = new Random(7);
        RefPacket p = randomSuper(r, 4, RefPacket.TCP, 1000);
        p.payload = new byte[900];
        byte[] read = p.tunRead(1000, 0);
        MemorySegment in = MemorySegment.ofArray(read);
        assertEquals(1, GsoSplitter.finishInPlace(in, 0, 10, read.length - 10));
        assertArrayEquals(p.segments(1000).get(0).build(), segmentBytes(in, 10, read.length - 10));
        p.payload = new byte[1001];
        byte[] big = p.tunRead(1000, 0);
        assertEquals(OffloadResult.TOO_MANY_SEGMENTS.code(), GsoSplitter.finishInPlace(MemorySegment.ofArray(big), 0, 10, big.length - 10));
    }

    @Test
    void shouldRefuseWhenSlotsAreTooFewOrTooSmall() {
        Random r = new Random(3);
        RefPacket p = randomSuper(r, 6, RefPacket.TCP, 1400);
        p.payload = new byte[10 * 1400];
        byte[] read = p.tunRead(1400, 0);
        MemorySegment in = MemorySegment.ofArray(read);
        MemorySegment out = MemorySegment.ofArray(new byte[20 * 2048]);
        long[] offsets = new long[20];
        for (int i = 0; i < 20; i++) {
            offsets[i] = i * 2048L;
        }
        int[] lengths = new int[20];
        assertEquals(OffloadResult.TOO_MANY_SEGMENTS.code(), GsoSplitter.split(in, 0, 10, read.length - 10, out, offsets, lengths, 9, 2048));
        assertEquals(OffloadResult.SEGMENT_TOO_LARGE.code(),
                GsoSplitter.split(in, 0, 10, read.length - 10, out, offsets, lengths, 20, p.headerLength() + 1399));
        assertEquals(10, GsoSplitter.split(in, 0, 10, read.length - 10, out, offsets, lengths, 10, p.headerLength() + 1400));
    }

    @Test
    void shouldAppendSegmentsToPacketBatchWithHeadroom() {
        Random r = new Random(11);
        RefPacket p = randomSuper(r, 4, RefPacket.TCP, 1380);
        p.payload = new byte[44 * 1380 - 17];
        r.nextBytes(p.payload);
        byte[] read = p.tunRead(1380, 0);
        List<RefPacket> expected = p.segments(1380);
        try (PacketPool pool = new PacketPool(64, 1500 + 32 + 16)) {
            PacketBatch batch = new PacketBatch(pool, 64);
            batch.add(pool.acquire(), 0, 0); // an entry already there stays first
            int n = GsoSplitter.split(MemorySegment.ofArray(read), 0, 10, read.length - 10, batch, 16, 32);
            assertEquals(44, n);
            assertEquals(45, batch.count());
            for (int i = 0; i < n; i++) {
                int e = i + 1;
                assertEquals(pool.slotOffset(batch.slot(e)) + 16, batch.offset(e));
                assertArrayEquals(expected.get(i).build(), segmentBytes(batch.memory(), batch.offset(e), batch.length(e)));
            }
            assertEquals(64 - 45, pool.available());
            // not enough free slots: nothing taken
            int before = pool.available();
            assertEquals(OffloadResult.TOO_MANY_SEGMENTS.code(),
                    GsoSplitter.split(MemorySegment.ofArray(read), 0, 10, read.length - 10, batch, 16, 32));
            assertEquals(before, pool.available());
            assertEquals(45, batch.count());
            batch.clear();
            assertEquals(64, pool.available());
        }
    }

    @Test
    void shouldSplitMaximalTsoPacketIntoMtuSegments() {
        Random r = new Random(5);
        RefPacket p = RefPacket.random(r, 4, RefPacket.TCP);
        p.tcpOptions = new byte[12];
        int mss = 1420 - 20 - 32;
        p.payload = new byte[65535 - p.headerLength()];
        r.nextBytes(p.payload);
        byte[] read = p.tunRead(mss, 0);
        MemorySegment out = MemorySegment.ofArray(new byte[64 * 1420]);
        long[] offsets = new long[64];
        for (int i = 0; i < 64; i++) {
            offsets[i] = i * 1420L;
        }
        int[] lengths = new int[64];
        int n = GsoSplitter.split(MemorySegment.ofArray(read), 0, 10, read.length - 10, out, offsets, lengths, 64, 1420);
        assertEquals((p.payload.length + mss - 1) / mss, n);
        long covered = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(lengths[i] <= 1420);
            covered += lengths[i] - p.headerLength();
        }
        assertEquals(p.payload.length, covered);
    }
}
