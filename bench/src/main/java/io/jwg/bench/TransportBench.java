package io.jwg.bench;

import io.jwg.crypto.ChaCha20Poly1305;
import io.jwg.crypto.X25519;
import io.jwg.wg.core.DeviceCore;
import io.jwg.wg.core.Output;
import io.jwg.wg.core.TransportCodec;
import io.jwg.wg.noise.Keypair;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.peer.PeerKey;
import io.jwg.wg.protocol.TransportMessage;
import io.jwg.wg.routing.Prefix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
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
 * Transport data, one thread, native buffers (ns/op; run with {@code -prof gc} for B/op):
 *
 * <ul>
 *   <li>{@code encapsulate}: {@link TransportCodec#encapsulate} of a {@code size}-byte inner packet
 *       (counter from the keypair, header, padding, in-place seal).</li>
 *   <li>{@code decapsulate}: copy a pristine sealed message into the buffer (the open is in place, so
 *       every invocation needs a fresh ciphertext; the copy is part of the measurement) and
 *       {@link TransportCodec#decapsulate} it.</li>
 *   <li>{@code deviceSendReceive}: the full façade path for one packet: {@link DeviceCore#onTunPacket}
 *       on the sender (routing, counter, seal, timers, output) and {@link DeviceCore#onDatagram} on the
 *       receiver (index lookup, open, replay window, timers, inner checks, AllowedIPs source check,
 *       delivery). A tear-down fails the run unless every packet was delivered.</li>
 *
 *   <li>{@code sealOnly} / {@code openOnly}: the bare AEAD calls the two above make (same copy for
 *       the open), as a baseline measured in the same run: the codec's own cost is the difference.</li>
 * </ul>
 *
 * <p>Warm-up iterations are 5 s: the Vector API kernels need C2, and until it has compiled them
 * they allocate vector boxes (hundreds of KB per packet), which would otherwise dominate the
 * numbers on a busy machine.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar TransportBench -f 1 -wi 2 -i 3 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 1)
public class TransportBench {
    @Param({"64", "1420"})
    public int size;

    private static final int MTU = 1420;
    private Keypair sender;
    private Keypair receiver;
    private MemorySegment buf;
    private MemorySegment pristine;
    private int sealedLength;

    private DeviceCore a;
    private DeviceCore b;
    private MemorySegment packet;
    private MemorySegment wire;
    private int wireLength;
    private long delivered;
    private long sentPackets;
    private final Endpoint aEndpoint = Endpoint.ofV4(0xC0000201, 51820);
    private final Endpoint bEndpoint = Endpoint.ofV4(0xC0000202, 51820);
    private final long nowNs = 5_000_000_000L;

    private final Output toWire = new Output() {
        @Override
        public void sendDatagram(final Peer peer, final Endpoint destination, final MemorySegment seg, final long off,
                                 final int length) {
            MemorySegment.copy(seg, off, wire, 0, length);
            wireLength = length;
        }

        @Override
        public void deliverToTun(final MemorySegment seg, final long off, final int length) {
            throw new IllegalStateException("sender delivered");
        }
    };

    private final Output toTun = new Output() {
        @Override
        public void sendDatagram(final Peer peer, final Endpoint destination, final MemorySegment seg, final long off,
                                 final int length) {
            wireLength = -1;
        }

        @Override
        public void deliverToTun(final MemorySegment seg, final long off, final int length) {
            delivered++;
        }
    };

    @Setup(Level.Trial)
    public void setup() {
        final byte[] k1 = new byte[32];
        final byte[] k2 = new byte[32];
        final Random rnd = new Random(3);
        rnd.nextBytes(k1);
        rnd.nextBytes(k2);
        sender = new Keypair(null, 1, 2, true, 0, k1, k2);
        receiver = new Keypair(null, 2, 1, false, 0, k2, k1);
        final Arena arena = Arena.ofAuto();
        buf = arena.allocate(TransportCodec.messageLength(size, MTU), 64);
        pristine = arena.allocate(TransportCodec.messageLength(size, MTU), 64);
        for (int i = 0; i < size; i++) {
            pristine.set(ValueLayout.JAVA_BYTE, TransportMessage.DATA_OFFSET + i, (byte) i);
        }
        sealedLength = TransportCodec.encapsulate(sender, 7, pristine, 0, size, MTU);

        a = new DeviceCore(new Random(4), () -> 0L);
        b = new DeviceCore(new Random(5), () -> 0L);
        final byte[] pa = new byte[32];
        final byte[] pb = new byte[32];
        X25519.generatePrivateKey(rnd, pa);
        X25519.generatePrivateKey(rnd, pb);
        a.setPrivateKey(pa);
        b.setPrivateKey(pb);
        final Peer ab = a.addPeer(PeerKey.of(b.publicKey()));
        final Peer ba = b.addPeer(PeerKey.of(a.publicKey()));
        a.addAllowedIp(ab, Prefix.parse("198.51.100.2/32"));
        b.addAllowedIp(ba, Prefix.parse("198.51.100.1/32"));
        a.setEndpoint(ab, bEndpoint);
        b.setEndpoint(ba, aEndpoint);
        packet = arena.allocate(size, 64);
        packet.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        packet.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) size);
        packet.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 12, 0xC6336401);
        packet.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 16, 0xC6336402);
        wire = arena.allocate(size + 64, 64);
        // Handshake through the two devices in memory (queued, never re-entrant) so both hold a confirmed session.
        final java.util.ArrayDeque<Object[]> queue = new java.util.ArrayDeque<>();
        final Output aOut = queueing(queue, "b");
        final Output bOut = queueing(queue, "a");
        a.onTunPacket(packet, 0, size, nowNs, aOut);
        while (!queue.isEmpty()) {
            final Object[] d = queue.poll();
            final MemorySegment m = (MemorySegment) d[1];
            if (d[0].equals("b")) {
                b.onDatagram(m, 0, (int) m.byteSize(), aEndpoint, nowNs, bOut);
            } else {
                a.onDatagram(m, 0, (int) m.byteSize(), bEndpoint, nowNs, aOut);
            }
        }
        if (ba.keypairs().current() == null || ab.keypairs().current() == null) {
            throw new IllegalStateException("no session: " + a.counters() + " / " + b.counters());
        }
    }

    private static Output queueing(final java.util.ArrayDeque<Object[]> queue, final String to) {
        return new Output() {
            @Override
            public void sendDatagram(final Peer p, final Endpoint d, final MemorySegment s, final long o, final int l) {
                final MemorySegment copy = Arena.ofAuto().allocate(l);
                MemorySegment.copy(s, o, copy, 0, l);
                queue.add(new Object[] {to, copy});
            }

            @Override
            public void deliverToTun(final MemorySegment s, final long o, final int l) {
            }
        };
    }


    private final CpuTime cpu = new CpuTime();
    private long ops;

    @Setup(Level.Iteration)
    public void startIteration() {
        ops = 0;
        cpu.start();
    }

    @TearDown(Level.Iteration)
    public void check() {
        cpu.report("size " + size, ops);
        if (sentPackets != delivered) {
            throw new IllegalStateException(sentPackets + " sent, " + delivered + " delivered: "
                    + a.counters() + " / " + b.counters());
        }
    }

    @Benchmark
    public int encapsulate() {
        ops++;
        MemorySegment.copy(packet, 0, buf, TransportMessage.DATA_OFFSET, size);
        return TransportCodec.encapsulate(sender, sender.nextSendCounter(), buf, 0, size, MTU);
    }

    @Benchmark
    public boolean decapsulate() {
        ops++;
        MemorySegment.copy(pristine, 0, buf, 0, sealedLength);
        return TransportCodec.decapsulate(receiver, buf, 0, sealedLength);
    }

    @Benchmark
    public MemorySegment sealOnly() {
        ops++;
        MemorySegment.copy(packet, 0, buf, TransportMessage.DATA_OFFSET, size);
        ChaCha20Poly1305.sealInPlace(sender.sendKey(), sender.nextSendCounter(), buf, TransportMessage.DATA_OFFSET,
                TransportMessage.paddedLength(size, MTU));
        return buf;
    }

    @Benchmark
    public boolean openOnly() {
        ops++;
        MemorySegment.copy(pristine, 0, buf, 0, sealedLength);
        return ChaCha20Poly1305.openInPlace(receiver.receiveKey(), 7, buf, TransportMessage.DATA_OFFSET,
                sealedLength - TransportMessage.DATA_OFFSET);
    }

    @Benchmark
    public int deviceSendReceive() {
        ops++;
        a.onTunPacket(packet, 0, size, nowNs, toWire);
        b.onDatagram(wire, 0, wireLength, aEndpoint, nowNs, toTun);
        sentPackets++;
        return wireLength;
    }
}
