package io.jwg.bench;

import io.jwg.wg.offload.Checksum;
import io.jwg.wg.offload.GroCoalescer;
import io.jwg.wg.offload.GsoSplitter;
import io.jwg.wg.offload.VirtioNetHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TUN offload transformations on native memory, ns/op: {@code split} a 64 KB TSO4 super-packet (TCP with
 * timestamps) into 1420-byte-MTU segments (48 segments); {@code coalesce} 44 such segments of one flow back
 * into a super-packet; {@code checksum} of 1500 B (and 64 KB) through the auto, scalar and vector paths.
 * Peers in the same run: {@code copyOnly} copies the same 64 KB into the same 48 slots (the floor for
 * {@code split} and {@code coalesce}), {@code checksumNaive} is the 16-bit-word loop of RFC 1071.
 * Check allocation with {@code -prof gc} (expected ~0 B/op).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar OffloadBench -f 1 -wi 2 -i 3 -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class OffloadBench {

    private static final int MTU = 1420;
    private static final int IP_TCP_HEADER = 20 + 20 + 12; // IPv4, TCP, timestamps option
    private static final int MSS = MTU - IP_TCP_HEADER;
    private static final int SLOT = 2048;
    private static final int SLOTS = 64;
    private static final int COALESCE_SEGMENTS = 44;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** A 64 KB TSO read, its segments in slots, a super slot and checksum inputs, all in one native arena. */
    @State(Scope.Thread)
    public static class Packets {
        Arena arena;
        MemorySegment tso;       // vnet header at 0, packet at 10
        int tsoLength;
        MemorySegment slab;      // SLOTS x SLOT, segments 16 bytes into each slot
        final long[] offsets = new long[SLOTS];
        final int[] lengths = new int[SLOTS];
        MemorySegment superSlot;
        final long[] superOffsets = {0};
        final GroCoalescer gro = new GroCoalescer(SLOTS, 8, false);
        MemorySegment data;

        @Setup(Level.Trial)
        public void setup() {
            arena = Arena.ofShared();
            SplittableRandom r = new SplittableRandom(1);
            tsoLength = 65535;
            tso = arena.allocate(10 + tsoLength, 64);
            for (long i = 0; i < tso.byteSize(); i++) {
                tso.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
            }
            long p = 10;
            tso.set(ValueLayout.JAVA_BYTE, p, (byte) 0x45);
            tso.set(ValueLayout.JAVA_BYTE, p + 1, (byte) 0);
            tso.set(BE16, p + 2, (short) tsoLength);
            tso.set(BE16, p + 6, (short) 0x4000);
            tso.set(ValueLayout.JAVA_BYTE, p + 8, (byte) 64);
            tso.set(ValueLayout.JAVA_BYTE, p + 9, (byte) 6);
            tso.set(ValueLayout.JAVA_BYTE, p + 20 + 12, (byte) ((20 + 12) / 4 << 4));
            tso.set(ValueLayout.JAVA_BYTE, p + 20 + 13, (byte) 0x18); // ACK|PSH
            VirtioNetHeader.put(tso, 0, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 0, MSS, 20, 16);
            slab = arena.allocate((long) SLOTS * SLOT, 64);
            for (int i = 0; i < SLOTS; i++) {
                offsets[i] = (long) i * SLOT + 16;
            }
            int n = GsoSplitter.split(tso, 0, 10, tsoLength, slab, offsets, lengths, SLOTS, SLOT - 32);
            if (n != (tsoLength - IP_TCP_HEADER + MSS - 1) / MSS) {
                throw new IllegalStateException("split: " + n);
            }
            superSlot = arena.allocate(10 + 65535 + 64, 64);
            if (gro.coalesce(slab, offsets, lengths, COALESCE_SEGMENTS, superSlot, superOffsets, 1,
                    (int) superSlot.byteSize()) != 1) {
                throw new IllegalStateException("coalesce did not merge");
            }
            data = arena.allocate(65536, 64);
            for (long i = 0; i < data.byteSize(); i++) {
                data.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** Checksum input size. */
    @State(Scope.Thread)
    public static class Size {
        @Param({"1500", "65535"})
        public int bytes;
    }

    @Benchmark
    public int split(final Packets s) {
        return GsoSplitter.split(s.tso, 0, 10, s.tsoLength, s.slab, s.offsets, s.lengths, SLOTS, SLOT - 32);
    }

    @Benchmark
    public int coalesce(final Packets s) {
        return s.gro.coalesce(s.slab, s.offsets, s.lengths, COALESCE_SEGMENTS, s.superSlot, s.superOffsets, 1,
                (int) s.superSlot.byteSize());
    }

    /** Peer: the copies alone (header + MSS chunk into each slot), no field fixing, no checksums. */
    @Benchmark
    public long copyOnly(final Packets s) {
        long p = 10 + IP_TCP_HEADER;
        int i = 0;
        for (int left = s.tsoLength - IP_TCP_HEADER; left > 0; left -= MSS, i++) {
            int len = Math.min(MSS, left);
            MemorySegment.copy(s.tso, 10, s.slab, s.offsets[i], IP_TCP_HEADER);
            MemorySegment.copy(s.tso, p, s.slab, s.offsets[i] + IP_TCP_HEADER, len);
            p += len;
        }
        return p;
    }

    @Benchmark
    public int checksum(final Packets s, final Size z) {
        return Checksum.sum(s.data, 0, z.bytes);
    }

    @Benchmark
    public int checksumScalar(final Packets s, final Size z) {
        return Checksum.sumScalar(s.data, 0, z.bytes);
    }

    @Benchmark
    public int checksumVector(final Packets s, final Size z) {
        return Checksum.sumVector(s.data, 0, z.bytes);
    }

    /** Peer: RFC 1071's obvious loop, one big-endian 16-bit word at a time. */
    @Benchmark
    public int checksumNaive(final Packets s, final Size z) {
        long sum = 0;
        final int n = z.bytes & ~1;
        for (int i = 0; i < n; i += 2) {
            sum += Short.toUnsignedInt(s.data.get(BE16, i));
        }
        if ((z.bytes & 1) != 0) {
            sum += (s.data.get(ValueLayout.JAVA_BYTE, n) & 0xFF) << 8;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }
}
