package io.jwg.wg.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad bytes from the TUN or from a peer: result codes or pass-through, never an exception. */
class MalformedOffloadInputTest {

    private static final int SLOTS = 64;
    private final MemorySegment out = MemorySegment.ofArray(new byte[SLOTS * 2048]);
    private final long[] offsets = new long[SLOTS];
    private final int[] lengths = new int[SLOTS];

    MalformedOffloadInputTest() {
        for (int i = 0; i < SLOTS; i++) {
            offsets[i] = i * 2048L;
        }
    }

    private int split(final byte[] read, final int packetLength) {
        return GsoSplitter.split(MemorySegment.ofArray(read), 0, 10, packetLength, out, offsets, lengths, SLOTS, 2048);
    }

    private int split(final byte[] read) {
        return split(read, read.length - 10);
    }

    private static byte[] tso(final int version, final int protocol, final int payload, final int mss) {
        RefPacket p = RefPacket.random(new Random(version * 31 + protocol + payload), version, protocol);
        p.payload = new byte[payload];
        return p.tunRead(mss, 0);
    }

    @Test
    void shouldReturnCodeForEveryTruncationOfSuperPacket() {
        for (int version : new int[] {4, 6}) {
            for (int protocol : new int[] {RefPacket.TCP, RefPacket.UDP}) {
                byte[] read = tso(version, protocol, 5000, 1000);
                assertEquals(5, split(read));
                for (int len = 0; len < read.length - 10; len++) {
                    int r = split(read, len);
                    assertTrue(r < 0, "truncated to " + len + ": " + r);
                    OffloadResult.of(r);
                    assertTrue(GsoSplitter.segmentCount(MemorySegment.ofArray(read), 0, 10, len) < 0);
                    assertTrue(GsoSplitter.finishInPlace(MemorySegment.ofArray(read.clone()), 0, 10, len) < 0);
                }
            }
        }
    }

    @Test
    void shouldNeverThrowOnRandomCorruptionOfHeaders() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        int accepted = 0;
        for (int t = 0; t < 20_000; t++) {
            int version = r.nextBoolean() ? 4 : 6;
            int protocol = r.nextBoolean() ? RefPacket.TCP : RefPacket.UDP;
            byte[] read = tso(version, protocol, 1 + r.nextInt(20_000), 100 + r.nextInt(1300));
            int flips = 1 + r.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = r.nextInt(Math.min(read.length, 10 + 100));
                if (r.nextBoolean()) {
                    read[at] ^= (byte) (1 << r.nextInt(8));
                } else {
                    read[at] = (byte) r.nextInt(256);
                }
            }
            int len = r.nextInt(8) == 0 ? r.nextInt(read.length - 9) : read.length - 10;
            String msg = "seed=" + seed + " t=" + t;
            int n = split(read, len);
            if (n > 0) {
                accepted++;
                assertTrue(n <= SLOTS, msg);
                for (int i = 0; i < n; i++) {
                    assertTrue(lengths[i] > 0 && lengths[i] <= 2048, msg);
                }
            } else {
                OffloadResult.of(n);
            }
            int c = GsoSplitter.segmentCount(MemorySegment.ofArray(read), 0, 10, len);
            assertTrue(c > 0 || c == n, msg);
            GsoSplitter.finishInPlace(MemorySegment.ofArray(read), 0, 10, len);
        }
        assertTrue(accepted > 0, "some corruptions (payload bytes, TTL...) keep the packet valid");
    }

    @Test
    void shouldNameEachMalformation() {
        byte[] good = tso(4, RefPacket.TCP, 3000, 1000);
        assertEquals(3, split(good));

        assertEquals(OffloadResult.UNSUPPORTED_GSO_TYPE, codeWith(good, 1, VirtioNetHeader.GSO_UDP));
        assertEquals(OffloadResult.UNSUPPORTED_GSO_TYPE, codeWith(good, 1, 2));
        assertEquals(OffloadResult.UNSUPPORTED_GSO_TYPE, codeWith(good, 1, 6));
        assertEquals(OffloadResult.UNSUPPORTED_GSO_TYPE, codeWith(good, 1, VirtioNetHeader.GSO_ECN));
        assertEquals(OffloadResult.UNSUPPORTED_GSO_TYPE, codeWith(good, 1, VirtioNetHeader.GSO_UDP_L4 | VirtioNetHeader.GSO_ECN));
        assertEquals(OffloadResult.BAD_IP_VERSION, codeWith(good, 1, VirtioNetHeader.GSO_TCPV6));
        assertEquals(OffloadResult.BAD_IP_VERSION, codeWith(good, 10, 0x55));
        assertEquals(OffloadResult.BAD_IP_LENGTH, codeWith(good, 10, 0x44));
        assertEquals(OffloadResult.BAD_IP_LENGTH, codeWith(good, 10 + 3, good[10 + 3] + 1));
        assertEquals(OffloadResult.BAD_CHECKSUM_OFFSETS, codeWith(good, 0, 0));
        assertEquals(OffloadResult.BAD_CHECKSUM_OFFSETS, codeWith(good, 0, VirtioNetHeader.F_DATA_VALID));
        assertEquals(OffloadResult.BAD_CHECKSUM_OFFSETS, codeWith(good, 6, 24));
        assertEquals(OffloadResult.BAD_CHECKSUM_OFFSETS, codeWith(good, 8, 6));
        assertEquals(OffloadResult.BAD_L4_HEADER, codeWith(good, 10 + 9, RefPacket.UDP));
        assertEquals(OffloadResult.BAD_L4_HEADER, codeWith(good, 10 + 20 + 12, 0x40));
        assertEquals(OffloadResult.UNSUPPORTED_IP, codeWith(good, 10 + 6, 0x20));
        assertEquals(OffloadResult.UNSUPPORTED_IP, codeWith(good, 10 + 7, 1));
        byte[] zero = good.clone();
        zero[4] = 0;
        zero[5] = 0;
        assertEquals(OffloadResult.ZERO_GSO_SIZE, OffloadResult.of(split(zero)));

        byte[] v6 = tso(6, RefPacket.TCP, 3000, 1000);
        assertEquals(3, split(v6));
        assertEquals(OffloadResult.UNSUPPORTED_IP, codeWith(v6, 10 + 6, 0)); // hop-by-hop extension header
        assertEquals(OffloadResult.BAD_L4_HEADER, codeWith(v6, 10 + 6, RefPacket.UDP));
        assertEquals(OffloadResult.BAD_IP_LENGTH, codeWith(v6, 10 + 5, v6[10 + 5] - 1));
        assertEquals(OffloadResult.BAD_IP_VERSION, codeWith(v6, 1, VirtioNetHeader.GSO_TCPV4));
        RefPacket small = RefPacket.random(new Random(2), 6, RefPacket.TCP);
        small.tcpOptions = new byte[0];
        small.payload = new byte[10];
        byte[] shortV6 = small.tunRead(1000, 0);
        assertEquals(1, split(shortV6));
        assertEquals(OffloadResult.TRUNCATED, codeWith(shortV6, 10 + 40 + 12, 0xF0)); // 60-byte TCP header > packet
    }

    @Test
    void shouldRefuseEmptyGsoPayloadAndBadPartialOffsets() {
        RefPacket p = RefPacket.random(new Random(1), 4, RefPacket.TCP);
        byte[] empty = p.tunRead(1000, 0);
        assertEquals(OffloadResult.EMPTY_PAYLOAD, OffloadResult.of(split(empty)));

        p.payload = new byte[100];
        byte[] partial = p.tunRead(0, 0);
        partial[1] = 0;
        assertEquals(1, split(partial));
        RefPacket.putLe16(partial, 8, partial.length - 10 - p.ipHeaderLength() - 1);
        assertEquals(OffloadResult.BAD_CHECKSUM_OFFSETS, OffloadResult.of(split(partial)));
        RefPacket.putLe16(partial, 6, 0xFFFF);
        assertEquals(OffloadResult.BAD_CHECKSUM_OFFSETS, OffloadResult.of(split(partial)));
        assertEquals(OffloadResult.TRUNCATED, OffloadResult.of(split(new byte[10], 0)));
    }

    private OffloadResult codeWith(final byte[] good, final int at, final int value) {
        byte[] b = good.clone();
        b[at] = (byte) value;
        int r = split(b);
        assertTrue(r < 0, "byte " + at + " = " + value + " accepted: " + r);
        return OffloadResult.of(r);
    }

    @Test
    void shouldPassGarbageThroughCoalescerUntouched() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        GroCoalescer gro = new GroCoalescer(64, 8, true);
        byte[] mem = new byte[64 * 2048];
        long[] in = new long[64];
        int[] len = new int[64];
        MemorySegment superOut = MemorySegment.ofArray(new byte[4 * 65600]);
        long[] superOffsets = {0, 65600, 2 * 65600, 3 * 65600};
        for (int t = 0; t < 2000; t++) {
            int n = 1 + r.nextInt(64);
            for (int i = 0; i < n; i++) {
                in[i] = i * 2048L + 16;
                byte[] pkt;
                if (r.nextBoolean()) {
                    pkt = new byte[r.nextInt(200)];
                    r.nextBytes(pkt);
                    if (pkt.length > 0) {
                        pkt[0] = (byte) (r.nextBoolean() ? 0x45 : 0x60);
                    }
                } else {
                    RefPacket p = RefPacket.random(r, r.nextBoolean() ? 4 : 6, r.nextBoolean() ? RefPacket.TCP : RefPacket.UDP);
                    p.payload = new byte[r.nextInt(1400)];
                    pkt = p.build();
                    pkt = java.util.Arrays.copyOf(pkt, r.nextInt(pkt.length + 1));
                    if (pkt.length > 0 && r.nextBoolean()) {
                        pkt[r.nextInt(pkt.length)] = (byte) r.nextInt(256);
                    }
                }
                System.arraycopy(pkt, 0, mem, (int) in[i], pkt.length);
                len[i] = pkt.length;
            }
            int outs = gro.coalesce(MemorySegment.ofArray(mem), in, len, n, superOut, superOffsets, 4, 65600);
            int packets = 0;
            for (int k = 0; k < outs; k++) {
                packets += gro.outputPackets(k);
                assertTrue(gro.outputLength(k) >= 10, "seed=" + seed);
            }
            assertEquals(n, packets, "every input packet is in exactly one output, seed=" + seed);
        }
    }
}
