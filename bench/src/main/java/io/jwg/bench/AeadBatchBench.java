package io.jwg.bench;

import io.jwg.crypto.ChaCha20Poly1305;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
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
 * The batch API: {@value #PACKETS} packets of {@value #PACKET} bytes of one key per operation, in
 * place in one native slab, each with its own counter ({@code batch}); {@code single} does the
 * same packets one call at a time for comparison. Open first restores the sealed slab image (a
 * 46 KB copy, included). Bytes/s = ops/s * 32 * 1420.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
public class AeadBatchBench {

    public static final int PACKETS = 32;
    public static final int PACKET = 1420;
    private static final int STRIDE = 1536;

    @Param({"batch", "single"})
    public String api;

    private Arena arena;
    private MemorySegment key;
    private MemorySegment slab;
    private MemorySegment sealedImage;
    private final long[] offsets = new long[PACKETS];
    private final int[] lengths = new int[PACKETS];
    private final int[] lengthsWithTag = new int[PACKETS];
    private final long[] counters = new long[PACKETS];
    private final long[] openCounters = new long[PACKETS];
    private final boolean[] ok = new boolean[PACKETS];

    @Setup(Level.Trial)
    public void setup() {
        arena = Arena.ofConfined();
        key = arena.allocate(32, 64);
        slab = arena.allocate((long) STRIDE * PACKETS, 64);
        sealedImage = arena.allocate((long) STRIDE * PACKETS, 64);
        Random rnd = new Random(1);
        for (int i = 0; i < 32; i++) {
            key.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
        }
        for (long i = 0; i < slab.byteSize(); i++) {
            slab.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
        }
        for (int i = 0; i < PACKETS; i++) {
            offsets[i] = (long) STRIDE * i + 16; // after a WireGuard data header
            lengths[i] = PACKET;
            lengthsWithTag[i] = PACKET + 16;
            counters[i] = 1000 + i;
            openCounters[i] = 1000 + i;
        }
        ChaCha20Poly1305.sealBatch(key, slab, offsets, lengths, counters, PACKETS);
        MemorySegment.copy(slab, 0, sealedImage, 0, slab.byteSize());
        for (int i = 0; i < PACKETS; i++) {
            counters[i] += PACKETS;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment seal() {
        if (api.equals("batch")) {
            ChaCha20Poly1305.sealBatch(key, slab, offsets, lengths, counters, PACKETS);
        } else {
            for (int i = 0; i < PACKETS; i++) {
                ChaCha20Poly1305.sealInPlace(key, counters[i], slab, offsets[i], lengths[i]);
            }
        }
        for (int i = 0; i < PACKETS; i++) {
            counters[i] += PACKETS;
        }
        return slab;
    }

    @Benchmark
    public int open() {
        MemorySegment.copy(sealedImage, 0, slab, 0, slab.byteSize());
        if (api.equals("batch")) {
            return ChaCha20Poly1305.openBatch(key, slab, offsets, lengthsWithTag, openCounters, PACKETS, ok);
        }
        int good = 0;
        for (int i = 0; i < PACKETS; i++) {
            good += ChaCha20Poly1305.openInPlace(key, openCounters[i], slab, offsets[i], lengthsWithTag[i]) ? 1 : 0;
        }
        return good;
    }
}
