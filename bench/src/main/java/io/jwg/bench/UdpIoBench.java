package io.jwg.bench;

import io.jwg.bench.io.LoopbackPair;
import io.jwg.bindings.io.DatagramBatch;
import io.jwg.bindings.io.MmsgUdpIo;
import io.jwg.bindings.io.UdpBatchIo;
import io.jwg.bindings.io.UringUdpIo;
import io.jwg.bindings.libc.Errno;
import io.jwg.bindings.libc.sockaddr_in;
import io.jwg.bindings.libc.socket_h;
import io.jwg.bindings.uring.Uring;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * UDP datagrams/s over loopback, sender and receiver on the benchmark thread: each operation sends
 * {@value #BATCH} datagrams of {@value #LENGTH} bytes and receives all of them. Scores are datagrams/s
 * ({@code @OperationsPerInvocation}); compare the batched paths with {@code perDatagram} as ratios from one run.
 * <ul>
 *   <li>{@code perDatagram}: one sendto(2) and one recvfrom(2) per datagram (the baseline);</li>
 *   <li>{@code mmsg}: one sendmmsg(2) and one recvmmsg(2) per batch ({@link MmsgUdpIo});</li>
 *   <li>{@code uring}: one io_uring_enter for the batch of SENDMSGs, receive from a multishot RECVMSG on a
 *       provided-buffer ring ({@link UringUdpIo});</li>
 *   <li>{@code gsoGro}: sendmmsg of two 32-segment UDP_SEGMENT super-datagrams, received coalesced with
 *       UDP_GRO; datagrams counted as segments.</li>
 * </ul>
 * A receive that finds nothing for a while gives up and counts the missing datagrams as {@code lost}
 * (printed at teardown; a run with losses is not valid).
 * Run: {@code java -jar bench/target/benchmarks.jar UdpIoBench -f 1 -wi 2 -i 3 -r 2s -w 2s}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class UdpIoBench {

    static final int BATCH = 64;
    static final int LENGTH = 1420;
    static final int GSO_SEGMENTS = 32;
    private static final int MAX_EMPTY_POLLS = 10_000;

    /**
     * Baseline state, raw generated bindings: the two sockets, and (like the batched paths) {@value #BATCH}
     * distinct send slots and {@value #BATCH} distinct receive slots, so no path gets a single cache-hot buffer.
     */
    @State(Scope.Thread)
    public static class PerDatagram {
        LoopbackPair pair;
        Arena arena;
        MemorySegment errno;
        MemorySegment[] txBufs;
        MemorySegment[] rxBufs;
        MemorySegment to;
        long lost;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            pair = new LoopbackPair(false, BATCH, LENGTH, BATCH, 2048);
            arena = Arena.ofConfined();
            errno = Errno.allocateState(arena);
            DatagramBatch out = pair.outgoing(BATCH, LENGTH, 0); // fills the send slots with a pattern
            txBufs = new MemorySegment[BATCH];
            rxBufs = new MemorySegment[BATCH];
            for (int k = 0; k < BATCH; k++) {
                txBufs[k] = out.memory().asSlice(out.offset(k), LENGTH);
                int slot = pair.rxPool.acquire();
                rxBufs[k] = pair.rxPool.memory().asSlice(pair.rxPool.slotOffset(slot), 2048);
            }
            to = sockaddr_in.allocate(arena);
            sockaddr_in.sin_family(to, (short) socket_h.AF_INET);
            to.set(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), sockaddr_in.sin_port$OFFSET, (short) pair.rx.localPort());
            to.set(ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN), sockaddr_in.sin_addr$OFFSET, LoopbackPair.LOOPBACK);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            report("perDatagram", lost);
            pair.close();
            arena.close();
        }
    }

    /** State for a {@link UdpBatchIo} path. */
    public abstract static class BatchState {
        LoopbackPair pair;
        UdpBatchIo txIo;
        UdpBatchIo rxIo;
        DatagramBatch out;
        DatagramBatch in;
        long lost;
        long ops;
        long receiveCalls;
        long emptyPolls;
        long sendNs;
        long receiveNs;

        abstract UdpBatchIo open(LoopbackPair p, boolean receiver) throws Exception;

        void setUp(final boolean gro, final int rxSlotSize, final int outCount, final int outLength, final int segment)
                throws Exception {
            pair = new LoopbackPair(gro, outCount, Math.max(outLength, 64), 1024, rxSlotSize);
            txIo = open(pair, false);
            rxIo = open(pair, true);
            out = pair.outgoing(outCount, outLength, segment);
            in = new DatagramBatch(pair.rxPool, BATCH);
        }

        void tearDown(final String name) {
            report(name, lost);
            System.out.printf("%n%s: %.2f receive calls and %.2f empty polls per %d datagrams; send %.1f us, receive %.1f us%n",
                    name, (double) receiveCalls / Math.max(1, ops), (double) emptyPolls / Math.max(1, ops), BATCH,
                    sendNs / 1e3 / Math.max(1, ops), receiveNs / 1e3 / Math.max(1, ops));
            rxIo.close();
            txIo.close();
            in.clear();
            out.clear();
            pair.close();
        }
    }

    /** recvmmsg/sendmmsg. */
    @State(Scope.Thread)
    public static class Mmsg extends BatchState {
        @Override
        UdpBatchIo open(final LoopbackPair p, final boolean receiver) {
            return new MmsgUdpIo(receiver ? p.rx : p.tx, receiver ? p.rxPool : p.txPool, BATCH);
        }

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            setUp(false, 2048, BATCH, LENGTH, 0);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tearDown("mmsg");
        }
    }

    /** io_uring. */
    @State(Scope.Thread)
    public static class Ring extends BatchState {
        @Override
        UdpBatchIo open(final LoopbackPair p, final boolean receiver) throws Exception {
            return new UringUdpIo(receiver ? p.rx : p.tx, receiver ? p.rxPool : p.txPool, BATCH);
        }

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            Uring.ensureAvailability();
            setUp(false, 2048, BATCH, LENGTH, 0);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tearDown("uring");
        }
    }

    /** UDP GSO send, UDP GRO receive, over recvmmsg/sendmmsg. */
    @State(Scope.Thread)
    public static class GsoGro extends BatchState {
        @Override
        UdpBatchIo open(final LoopbackPair p, final boolean receiver) {
            return new MmsgUdpIo(receiver ? p.rx : p.tx, receiver ? p.rxPool : p.txPool, BATCH);
        }

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            setUp(true, 65536, BATCH / GSO_SEGMENTS, LENGTH * GSO_SEGMENTS, LENGTH);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tearDown("gsoGro");
        }
    }

    static void report(final String name, final long lost) {
        if (lost > 0) {
            System.out.println("\nWARNING " + name + ": " + lost + " datagrams lost; this run's score is not valid");
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int perDatagram(final PerDatagram s) {
        int fd = s.pair.tx.fd();
        int rfd = s.pair.rx.fd();
        long sentBytes = 0;
        for (int k = 0; k < BATCH; k++) {
            sentBytes += socket_h.sendto(s.errno, fd, s.txBufs[k], LENGTH, 0, s.to, (int) sockaddr_in.sizeof());
        }
        int got = 0;
        for (int empty = 0; got < BATCH && empty < MAX_EMPTY_POLLS; ) {
            long r = socket_h.recvfrom(s.errno, rfd, s.rxBufs[got], 2048, socket_h.MSG_DONTWAIT, MemorySegment.NULL,
                    MemorySegment.NULL);
            if (r > 0) {
                got++;
            } else {
                empty++;
            }
        }
        s.lost += BATCH - got;
        return (int) sentBytes + got;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int mmsg(final Mmsg s) {
        return roundTrip(s, false);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int uring(final Ring s) {
        return roundTrip(s, false);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int gsoGro(final GsoGro s) {
        return roundTrip(s, true);
    }

    /** Sends the prebuilt batch, receives until {@value #BATCH} datagrams (segments) arrived. */
    static int roundTrip(final BatchState s, final boolean countSegments) {
        long t0 = System.nanoTime();
        int sent = s.txIo.send(s.out);
        long t1 = System.nanoTime();
        int got = 0;
        s.ops++;
        for (int empty = 0; got < BATCH && empty < MAX_EMPTY_POLLS; ) {
            int r = s.rxIo.receive(s.in, 0);
            s.receiveCalls++;
            if (r <= 0) {
                empty++;
                s.emptyPolls++;
                continue;
            }
            DatagramBatch in = s.in;
            for (int i = 0; i < in.count(); i++) {
                int seg = in.segmentSize(i);
                got += countSegments && seg > 0 ? (in.length(i) + seg - 1) / seg : 1;
            }
            in.clear();
        }
        s.lost += Math.max(0, BATCH - got);
        long t2 = System.nanoTime();
        s.sendNs += t1 - t0;
        s.receiveNs += t2 - t1;
        return sent + got;
    }
}
