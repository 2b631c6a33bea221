package io.jwg.bench;

import io.jwg.crypto.X25519;
import io.jwg.wg.core.DeviceCore;
import io.jwg.wg.core.NanoClock;
import io.jwg.wg.core.WallClock;
import io.jwg.wg.device.ChannelBind;
import io.jwg.wg.device.ChannelNetwork;
import io.jwg.wg.device.ChannelTun;
import io.jwg.wg.device.DataPlane;
import io.jwg.wg.device.PipelineSettings;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.peer.PeerKey;
import io.jwg.wg.routing.Prefix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Packets/s through the whole multi-threaded pipeline of two in-memory jwg devices (A and B: DeviceCore +
 * DataPlane over ChannelTun and ChannelBind), after a real handshake. A's TUN is fed by a generator as fast
 * as A's TUN reader takes packets, so the pipeline runs at its own pace and the score is what it sustains.
 * <ul>
 *   <li>{@code tx}: A alone - TUN read, routing, nonces, sealBatch on the workers, ordered release, UDP send
 *       (B's data plane is stopped; its in-memory inbox just counts and discards). Score: datagrams A sent.</li>
 *   <li>{@code txRx}: A to B end to end - additionally B's receive, openBatch, ordered receive (replay window,
 *       inner checks, AllowedIPs), TUN write. Score: packets B delivered to its TUN.</li>
 * </ul>
 * Each benchmark call sleeps 10 ms; the packets moved meanwhile are reported as the {@code packets} event
 * counter (packets/s), so the benchmark thread takes no CPU from the pipeline. {@code workers} is per device.
 * Allocation: run with {@code -prof gc}; each iteration also prints the bytes allocated by the whole JVM (all
 * threads, both devices) per packet moved. Steady state is ~0.07 B/packet (JMH's own bookkeeping); iterations
 * with kilobytes per packet are still running the AEAD's Vector API kernel interpreted or C1-compiled, which
 * allocates vector objects until C2 has compiled it - on a loaded 2-core box that takes 20-40 s of traffic,
 * hence the long warm-up iterations and the crypto pre-warm in setup.
 * Run: {@code java -jar bench/target/benchmarks.jar PipelineBench -f 1 -wi 2 -i 3 -prof gc} (add {@code -wi 4} if
 * the printed bytes/packet have not reached ~0 in the last warm-up iteration).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PipelineBench {
    static final int OUTER_A = 0xCB007101; // 203.0.113.1
    static final int OUTER_B = 0xCB007102; // 203.0.113.2
    static final int INNER_A = 0xC6336401; // 198.51.100.1
    static final int INNER_B = 0xC6336402; // 198.51.100.2

    /** Two devices with an established session. */
    @State(Scope.Benchmark)
    public static class Devices {
        @Param({"1", "2"})
        int workers;

        @Param({"1400"})
        int size;

        ChannelNetwork net;
        Node a;
        Node b;
        final AtomicLong delivered = new AtomicLong();
        volatile boolean generate;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            prewarmCrypto(size);
            net = new ChannelNetwork();
            final MemorySegment template = ipv4(INNER_A, INNER_B, size);
            final ChannelTun.Source source = (dst, off, max) -> {
                if (!generate) {
                    return -1;
                }
                MemorySegment.copy(template, 0, dst, off, size);
                return size;
            };
            a = new Node(net, OUTER_A, 51820, new ChannelTun("a", 1420, 64, source, null), 1);
            b = new Node(net, OUTER_B, 51821,
                new ChannelTun("b", 1420, 64, null, (seg, off, len) -> delivered.incrementAndGet()), 2);
            a.connect(b, INNER_B);
            b.connect(a, INNER_A);
            final PipelineSettings s = PipelineSettings.defaults().withWorkers(workers);
            a.start(s);
            b.start(s);
            // Handshake: generate until B has delivered something, then the session is up both ways.
            generate = true;
            final long deadlineNs = System.nanoTime() + 30_000_000_000L;
            while (delivered.get() == 0) {
                if (System.nanoTime() - deadlineNs > 0) {
                    throw new IllegalStateException("no handshake: " + a.plane.counters() + " / " + b.plane.counters());
                }
                Thread.sleep(1);
            }
        }

        /** The packets counted for the benchmark at hand. */
        long packets(final boolean txOnly) {
            return txOnly ? a.plane.counters().txPackets() : delivered.get();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            generate = false;
            System.out.printf("%n  A: %s%n     %s%n  B: %s%n     %s%n  lost in memory: A inbox %d, B inbox %d%n",
                a.plane.counters(), a.plane.occupancy(), b.plane.counters(), b.plane.occupancy(), a.bind.lost(),
                b.bind.lost());
            a.close();
            b.close();
        }
    }

    /** State for {@code tx}: stops B's data plane once the session exists. */
    @State(Scope.Benchmark)
    public static class TxOnly {
        @Setup(Level.Trial)
        public void setUp(final Devices d) {
            d.b.plane.close();
        }
    }

    /** Per-iteration packet counter reported by JMH as events/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Moved {
        public long packets;
        long last = -1;
        long allocAtStart;
        long packetsAtStart;

        @Setup(Level.Iteration)
        public void start() {
            last = -1;
            allocAtStart = allocatedBytes();
            packetsAtStart = -1;
        }

        void sample(final long now) {
            if (last >= 0) {
                packets += now - last;
            } else {
                packetsAtStart = now;
            }
            last = now;
        }

        @TearDown(Level.Iteration)
        public void report() {
            if (packetsAtStart >= 0 && last > packetsAtStart) {
                final long bytes = allocatedBytes() - allocAtStart;
                System.out.printf("%n  [iteration] packets=%d, JVM-wide allocation %.2f bytes/packet%n",
                    last - packetsAtStart, (double) bytes / (last - packetsAtStart));
            }
        }
    }

    @Benchmark
    public void tx(final Devices d, final TxOnly t, final Moved m) throws InterruptedException {
        Thread.sleep(10);
        m.sample(d.packets(true));
    }

    @Benchmark
    public void txRx(final Devices d, final Moved m) throws InterruptedException {
        Thread.sleep(10);
        m.sample(d.packets(false));
    }

    /**
     * Runs the batch AEAD for about two seconds on this thread, so the JIT has compiled the vector
     * kernels before the pipeline is measured (interpreted Vector API code is orders of magnitude
     * slower, and on a loaded 2-core machine the pipeline's own warm-up would take much longer).
     */
    static void prewarmCrypto(final int size) {
        final MemorySegment key = MemorySegment.ofArray(new byte[32]);
        final int n = 32;
        final MemorySegment slab = MemorySegment.ofArray(new byte[n * (size + 64)]);
        final long[] offsets = new long[n];
        final int[] lengths = new int[n];
        final int[] withTag = new int[n];
        final long[] counters = new long[n];
        final boolean[] ok = new boolean[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = (long) i * (size + 64);
            lengths[i] = size;
            withTag[i] = size + 16;
            counters[i] = i;
        }
        final long endNs = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() - endNs < 0) {
            io.jwg.crypto.ChaCha20Poly1305.sealBatch(key, slab, offsets, lengths, counters, n);
            io.jwg.crypto.ChaCha20Poly1305.openBatch(key, slab, offsets, withTag, counters, n, ok);
        }
    }

    /** Bytes allocated by every live thread so far (HotSpot's per-thread counters). */
    static long allocatedBytes() {
        final var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (final long v : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
            if (v > 0) {
                sum += v;
            }
        }
        return sum;
    }

    static MemorySegment ipv4(final int src, final int dst, final int size) {
        final MemorySegment p = MemorySegment.ofArray(new byte[size]);
        final ValueLayout.OfShort be16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        final ValueLayout.OfInt be32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        p.set(be16, 2, (short) size);
        p.set(ValueLayout.JAVA_BYTE, 8, (byte) 64);
        p.set(ValueLayout.JAVA_BYTE, 9, (byte) 253);
        p.set(be32, 12, src);
        p.set(be32, 16, dst);
        return p;
    }

    /** One in-memory device. */
    static final class Node implements AutoCloseable {
        final int outer;
        final int port;
        final byte[] priv = new byte[32];
        final byte[] pub = new byte[32];
        final DeviceCore core;
        final ChannelTun tun;
        final ChannelBind bind;
        final long seed;
        DataPlane plane;

        Node(final ChannelNetwork net, final int outer, final int port, final ChannelTun tun, final long seed) {
            this.outer = outer;
            this.port = port;
            this.tun = tun;
            this.seed = seed;
            final Random r = new Random(seed);
            X25519.generatePrivateKey(r, priv);
            X25519.publicKey(priv, pub);
            core = new DeviceCore(r, WallClock.SYSTEM);
            core.setPrivateKey(priv);
            bind = new ChannelBind(net, outer, port, 4096);
        }

        void connect(final Node other, final int otherInner) {
            final Peer p = core.addPeer(PeerKey.of(other.pub));
            core.setEndpoint(p, Endpoint.ofV4(other.outer, other.port));
            core.addAllowedIp(p, Prefix.v4(otherInner, 32));
        }

        void start(final PipelineSettings s) {
            plane = new DataPlane(core, tun, bind, s, NanoClock.SYSTEM, WallClock.SYSTEM);
            plane.start();
        }

        @Override
        public void close() {
            plane.close();
            bind.close();
            tun.close();
        }
    }
}
