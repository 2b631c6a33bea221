package io.jwg.wg.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link GroCoalescer} against {@link RefCoalescer} on mixed traffic, and the round trip
 * coalesce(split(x)) == x for kernel-shaped super-packets.
 */
class GroCoalescerTest {

    static final int MAX = 256;
    static final int SLOT = 2048;
    static final int HEADROOM = 16;
    static final int SUPER = 10 + 65535 + 40;

    final byte[] mem = new byte[MAX * SLOT];
    final MemorySegment in = MemorySegment.ofArray(mem);
    final long[] offsets = new long[MAX];
    final int[] lengths = new int[MAX];
    final MemorySegment superOut = MemorySegment.ofArray(new byte[16 * SUPER]);
    final long[] superOffsets = new long[16];

    GroCoalescerTest() {
        for (int i = 0; i < 16; i++) {
            superOffsets[i] = (long) i * SUPER;
        }
    }

    private void load(List<byte[]> packets) {
        Arrays.fill(mem, (byte) 0x5A);
        for (int i = 0; i < packets.size(); i++) {
            offsets[i] = (long) i * SLOT + HEADROOM;
            System.arraycopy(packets.get(i), 0, mem, (int) offsets[i], packets.get(i).length);
            lengths[i] = packets.get(i).length;
        }
    }

    private byte[] output(GroCoalescer gro, int k) {
        MemorySegment m = gro.isSuper(k) ? superOut : in;
        return m.asSlice(gro.outputOffset(k), gro.outputLength(k)).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Kernel-shaped super-packets a coalescer can rebuild exactly: ACK +PSH/FIN/CWR/ECE, no IPv4 options. */
    static RefPacket roundTripSuper(Random r, int version, int protocol, int mss, int maxSegments) {
        RefPacket p = RefPacket.random(r, version, protocol);
        int segs = 1 + r.nextInt(maxSegments);
        int len = Math.min(65535 - p.headerLength(), Math.max(1, segs * mss - r.nextInt(mss)));
        p.payload = new byte[len];
        r.nextBytes(p.payload);
        if (protocol == RefPacket.TCP) {
            p.flags = RefPacket.ACK | (r.nextBoolean() ? RefPacket.PSH : 0) | (r.nextInt(4) == 0 ? RefPacket.FIN : 0)
                    | (r.nextInt(4) == 0 ? RefPacket.CWR : 0) | (r.nextInt(4) == 0 ? RefPacket.ECE : 0);
        }
        return p;
    }

    /** Splits with {@link GsoSplitter}; {@return the segments' bytes} */
    static List<byte[]> split(byte[] read) {
        MemorySegment out = MemorySegment.ofArray(new byte[64 * SLOT]);
        long[] offs = new long[64];
        int[] lens = new int[64];
        for (int i = 0; i < 64; i++) {
            offs[i] = (long) i * SLOT;
        }
        int n = GsoSplitter.split(MemorySegment.ofArray(read), 0, 10, read.length - 10, out, offs, lens, 64, SLOT);
        assertTrue(n > 0, "split: " + n);
        List<byte[]> segs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            segs.add(out.asSlice(offs[i], lens[i]).toArray(ValueLayout.JAVA_BYTE));
        }
        return segs;
    }

    @Test
    void shouldRebuildSuperPacketFromItsSegments() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        GroCoalescer gro = new GroCoalescer(MAX, 8, true);
        for (int t = 0; t < 300; t++) {
            int version = r.nextBoolean() ? 4 : 6;
            int protocol = r.nextInt(3) == 0 ? RefPacket.UDP : RefPacket.TCP;
            int mss = 500 + r.nextInt(940);
            RefPacket x = roundTripSuper(r, version, protocol, mss, protocol == RefPacket.UDP ? 64 : 60);
            byte[] read = x.tunRead(mss, x.headerLength());
            List<byte[]> segs = split(read);
            load(segs);
            String msg = "seed=" + seed + " t=" + t + " " + x + " mss=" + mss;
            assertEquals(1, gro.coalesce(in, offsets, lengths, segs.size(), superOut, superOffsets, 16, SUPER), msg);
            if (segs.size() == 1) {
                assertFalse(gro.isSuper(0));
                byte[] plain = new byte[10 + segs.get(0).length];
                System.arraycopy(segs.get(0), 0, plain, 10, segs.get(0).length);
                assertArrayEquals(plain, output(gro, 0), msg);
            } else {
                assertTrue(gro.isSuper(0), msg);
                assertEquals(segs.size(), gro.outputPackets(0));
                assertArrayEquals(read, output(gro, 0), msg);
            }
        }
    }

    @Test
    void shouldCoalesceInterleavedFlowsIntoOneSuperPacketEach() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        GroCoalescer gro = new GroCoalescer(MAX, 16, true);
        for (int t = 0; t < 100; t++) {
            int flows = 1 + r.nextInt(6);
            List<byte[]> reads = new ArrayList<>();
            List<List<byte[]>> perFlow = new ArrayList<>();
            int total = 0;
            for (int f = 0; f < flows; f++) {
                int protocol = r.nextInt(3) == 0 ? RefPacket.UDP : RefPacket.TCP;
                int mss = 1000 + r.nextInt(400);
                RefPacket x = roundTripSuper(r, r.nextBoolean() ? 4 : 6, protocol, mss, 40);
                x.payload = Arrays.copyOf(x.payload, Math.max(x.payload.length, mss + 1)); // at least two segments
                byte[] read = x.tunRead(mss, x.headerLength());
                reads.add(read);
                perFlow.add(new ArrayList<>(split(read)));
                total += perFlow.get(f).size();
            }
            List<byte[]> batch = new ArrayList<>();
            List<Integer> firstFlowOrder = new ArrayList<>();
            while (batch.size() < total) {
                int f = r.nextInt(flows);
                if (!perFlow.get(f).isEmpty()) {
                    if (!firstFlowOrder.contains(f)) {
                        firstFlowOrder.add(f);
                    }
                    batch.add(perFlow.get(f).remove(0));
                }
            }
            load(batch);
            String msg = "seed=" + seed + " t=" + t;
            assertEquals(flows, gro.coalesce(in, offsets, lengths, batch.size(), superOut, superOffsets, 16, SUPER), msg);
            for (int k = 0; k < flows; k++) {
                assertArrayEquals(reads.get(firstFlowOrder.get(k)), output(gro, k), msg + " output " + k);
            }
        }
    }

    @Test
    void shouldMatchReferenceOnMixedTraffic() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int t = 0; t < 400; t++) {
            boolean udp = r.nextBoolean();
            int maxFlows = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 64;
            int superSlots = r.nextInt(4) == 0 ? r.nextInt(3) : 16;
            int superCapacity = r.nextInt(4) == 0 ? 10 + 3000 + r.nextInt(20_000) : SUPER;
            MixedTraffic traffic = MixedTraffic.generate(r, 1 + r.nextInt(MAX));
            load(traffic.wire);
            GroCoalescer gro = new GroCoalescer(MAX, maxFlows, udp);
            int n = gro.coalesce(in, offsets, lengths, traffic.wire.size(), superOut, superOffsets, superSlots, superCapacity);
            List<RefCoalescer.Out> expected = new RefCoalescer(maxFlows, udp, superCapacity - 10, superSlots)
                    .coalesce(traffic.specs);
            String msg = "seed=" + seed + " t=" + t;
            assertEquals(expected.size(), n, msg);
            for (int k = 0; k < n; k++) {
                RefCoalescer.Out o = expected.get(k);
                assertEquals(o.packets.size(), gro.outputPackets(k), msg + " output " + k);
                assertEquals(o.packets.size() > 1, gro.isSuper(k), msg + " output " + k);
                assertArrayEquals(RefCoalescer.expectedBytes(o, traffic.specs, traffic.raw), output(gro, k), msg + " output " + k);
            }
        }
    }

    @Test
    void shouldTrimWireGuardPaddingAndZeroTheVnetHeaderOfPassThroughPackets() {
        RefPacket p = RefPacket.random(new Random(9), 4, RefPacket.TCP);
        p.flags = RefPacket.ACK;
        byte[] pkt = p.build();
        byte[] padded = Arrays.copyOf(pkt, (pkt.length + 15) & -16);
        load(List.of(padded));
        GroCoalescer gro = new GroCoalescer(4, 4, false);
        assertEquals(1, gro.coalesce(in, offsets, lengths, 1, superOut, superOffsets, 1, SUPER));
        assertEquals(offsets[0] - 10, gro.outputOffset(0));
        assertEquals(10 + pkt.length, gro.outputLength(0));
        byte[] expected = new byte[10 + pkt.length];
        System.arraycopy(pkt, 0, expected, 10, pkt.length);
        assertArrayEquals(expected, output(gro, 0));
    }

    @Test
    void shouldNotMergeWithoutSuperSlots() {
        Random r = new Random(4);
        RefPacket x = roundTripSuper(r, 4, RefPacket.TCP, 1000, 1);
        x.flags = RefPacket.ACK;
        x.payload = new byte[5000];
        List<byte[]> segs = split(x.tunRead(1000, 0));
        load(segs);
        GroCoalescer gro = new GroCoalescer(16, 4, false);
        assertEquals(5, gro.coalesce(in, offsets, lengths, 5, superOut, superOffsets, 0, SUPER));
        assertEquals(1, gro.coalesce(in, offsets, lengths, 5, superOut, superOffsets, 1, SUPER));
        assertEquals(5, gro.coalescedPackets());
        assertEquals(1, gro.superPackets());
    }
}
