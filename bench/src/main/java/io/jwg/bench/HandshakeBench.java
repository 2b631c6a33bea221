package io.jwg.bench;

import io.jwg.crypto.X25519;
import io.jwg.wg.core.DeviceCore;
import io.jwg.wg.core.Output;
import io.jwg.wg.noise.IndexTable;
import io.jwg.wg.noise.NoiseHandshake;
import io.jwg.wg.noise.StaticIdentity;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.peer.PeerKey;
import io.jwg.wg.protocol.InitiationMessage;
import io.jwg.wg.stats.CounterEvent;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Handshakes per second on one thread.
 *
 * <ul>
 *   <li>{@code responder}: a {@link DeviceCore} receives a valid initiation and answers it: mac1
 *       check, consume (3 DH incl. the precomputed one, 2 AEAD opens), create the response (ephemeral
 *       key, 2 DH, PSK mix, AEAD), mac1, derive the session keypair, hand the response to the
 *       output. Each invocation gets a fresh initiation (new ephemeral, newer TAI64N) made in an
 *       invocation-level setup, outside the measurement, from one of 64 initiators in turn, so the
 *       replay and 20 ms flood checks pass as in real traffic. A tear-down per iteration fails the
 *       run if any initiation was not answered.</li>
 *   <li>{@code initiator}: {@link NoiseHandshake#createInitiation} plus mac1 (ephemeral key, 1 DH,
 *       2 AEAD seals).</li>
 *
 *   <li>{@code x25519}: one {@code X25519.sharedSecret}, the unit the handshake costs are made of (a
 *       responder handshake does three plus one fixed-base public key), measured in the same run.</li>
 * </ul>
 *
 * <p>On a shared machine the wall-clock rate depends on how much CPU the benchmark thread gets, so
 * the responder also prints, per iteration, handshakes per second of its own thread's CPU time
 * (measured around each call with {@code ThreadMXBean}, about a microsecond per call): that is the
 * per-core figure.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar HandshakeBench -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 2)
public class HandshakeBench {
    private static final long WALL_BASE_NS = 1_767_225_600_000_000_000L;

    /** One initiator: its identity and its view of the responder. */
    static final class Initiator {
        final StaticIdentity identity;
        final Peer responder;
        final IndexTable<IndexTable.Entry> index;
        final NoiseHandshake noise;

        Initiator(final Random rnd, final byte[] responderPub) {
            final byte[] priv = new byte[32];
            X25519.generatePrivateKey(rnd, priv);
            identity = StaticIdentity.of(priv);
            index = new IndexTable<>(rnd);
            responder = new Peer(PeerKey.of(responderPub), rnd, index::remove);
            responder.handshake().setIdentity(identity, responderPub);
            noise = new NoiseHandshake(rnd);
        }

        void createInitiation(final long wallNs, final long nowNs, final MemorySegment dst) {
            if (!noise.createInitiation(responder, identity, index, wallNs, dst, 0)) {
                throw new IllegalStateException("initiation failed: " + noise.lastFailure());
            }
            responder.cookie().addMacs(dst, 0, InitiationMessage.LENGTH, nowNs);
        }
    }

    /** Responder device plus a ring of initiators feeding it. */
    @State(Scope.Thread)
    public static class ResponderState {
        static final int INITIATORS = 64;
        DeviceCore responder;
        Initiator[] initiators;
        final MemorySegment msg = MemorySegment.ofArray(new byte[InitiationMessage.LENGTH]);
        final Endpoint source = Endpoint.ofV4(0xC6336401, 51820);
        long nowNs = 1_000_000_000L;
        long wallNs = WALL_BASE_NS;
        long sentBytes;
        int next;
        long answeredBefore;
        final Output sink = new Output() {
            @Override
            public void sendDatagram(final Peer peer, final Endpoint destination, final MemorySegment seg,
                                     final long off, final int length) {
                sentBytes += length;
            }

            @Override
            public void deliverToTun(final MemorySegment seg, final long off, final int length) {
                sentBytes += length;
            }
        };

        @Setup(Level.Trial)
        public void setup() {
            final Random rnd = new Random(1);
            responder = new DeviceCore(rnd, () -> wallNs);
            final byte[] priv = new byte[32];
            X25519.generatePrivateKey(rnd, priv);
            responder.setPrivateKey(priv);
            final byte[] pub = responder.publicKey();
            initiators = new Initiator[INITIATORS];
            for (int i = 0; i < INITIATORS; i++) {
                initiators[i] = new Initiator(rnd, pub);
                responder.addPeer(PeerKey.of(initiators[i].identity.publicKey()));
            }
        }

        /**
         * A fresh initiation. Wall time moves 20 ms (> the 2^24 ns TAI64N granularity) and monotonic
         * time 2.5 ms per handshake: 400/s of simulated time stays below the under-load threshold, and
         * each initiator's turn comes 160 ms apart, beyond the 20 ms flood limit.
         */
        @Setup(Level.Invocation)
        public void nextInitiation() {
            wallNs += 20_000_000L;
            nowNs += 2_500_000L;
            initiators[next++ % INITIATORS].createInitiation(wallNs, nowNs, msg);
        }

        long cpuNs;
        long calls;

        @Setup(Level.Iteration)
        public void mark() {
            answeredBefore = responder.counters().get(CounterEvent.HANDSHAKE_RESPONSE_SENT);
            cpuNs = 0;
            calls = 0;
        }

        @TearDown(Level.Iteration)
        public void check() {
            if (responder.counters().totalDrops() != 0) {
                throw new IllegalStateException("responder dropped initiations: " + responder.counters());
            }
            final long answered = responder.counters().get(CounterEvent.HANDSHAKE_RESPONSE_SENT) - answeredBefore;
            if (answered != calls || calls == 0) {
                throw new IllegalStateException(calls + " initiations, " + answered + " responses");
            }
            System.out.printf("%n[responder] %d handshakes in %.1f ms of thread CPU: %.0f handshakes per CPU-second%n",
                    calls, cpuNs / 1e6, calls * 1e9 / cpuNs);
        }
    }

    /** An initiator creating initiations to one responder. */
    @State(Scope.Thread)
    public static class InitiatorState {
        Initiator initiator;
        final MemorySegment msg = MemorySegment.ofArray(new byte[InitiationMessage.LENGTH]);
        long wallNs = WALL_BASE_NS;

        @Setup(Level.Trial)
        public void setup() {
            final Random rnd = new Random(2);
            final byte[] priv = new byte[32];
            X25519.generatePrivateKey(rnd, priv);
            initiator = new Initiator(rnd, StaticIdentity.of(priv).publicKey());
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    @Benchmark
    public Object responder(final ResponderState s) {
        final long t0 = THREADS.getCurrentThreadCpuTime();
        final Object r = s.responder.onDatagram(s.msg, 0, InitiationMessage.LENGTH, s.source, s.nowNs, s.sink);
        s.cpuNs += THREADS.getCurrentThreadCpuTime() - t0;
        s.calls++;
        return r;
    }

    /** Keys for the X25519 baseline. */
    @State(Scope.Thread)
    public static class DhState {
        final byte[] priv = new byte[32];
        final byte[] pub = new byte[32];
        final byte[] out = new byte[32];

        @Setup(Level.Trial)
        public void setup() {
            final Random rnd = new Random(3);
            X25519.generatePrivateKey(rnd, priv);
            final byte[] other = new byte[32];
            X25519.generatePrivateKey(rnd, other);
            X25519.publicKey(other, pub);
        }
    }

    @Benchmark
    public byte[] x25519(final DhState s) {
        X25519.sharedSecret(s.priv, s.pub, s.out);
        return s.out;
    }

    @Benchmark
    public MemorySegment initiator(final InitiatorState s) {
        s.wallNs += 20_000_000L;
        s.initiator.createInitiation(s.wallNs, s.wallNs, s.msg);
        return s.msg;
    }
}
