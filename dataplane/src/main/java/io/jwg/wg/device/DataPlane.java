package io.jwg.wg.device;

import io.jwg.bindings.io.DatagramBatch;
import io.jwg.bindings.io.PacketBatch;
import io.jwg.bindings.io.PacketPool;
import io.jwg.bindings.io.UdpBatchIo;
import io.jwg.wg.core.DeviceCore;
import io.jwg.wg.core.NanoClock;
import io.jwg.wg.core.WallClock;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.pipeline.Agent;
import io.jwg.wg.pipeline.AgentRunner;
import io.jwg.wg.pipeline.BackoffIdleStrategy;
import io.jwg.wg.pipeline.CompositeAgent;
import io.jwg.wg.pipeline.ControlProxy;
import io.jwg.wg.pipeline.CryptoWorker;
import io.jwg.wg.pipeline.DataPathContext;
import io.jwg.wg.pipeline.Doorbell;
import io.jwg.wg.pipeline.DoorbellIdleStrategy;
import io.jwg.wg.pipeline.ErrorHandler;
import io.jwg.wg.pipeline.IdleStrategy;
import io.jwg.wg.pipeline.ManyToManyArrayQueue;
import io.jwg.wg.pipeline.PeerOrderedQueue;
import io.jwg.wg.pipeline.PeerPipeline;
import io.jwg.wg.pipeline.StageCounters;
import io.jwg.wg.pipeline.Unit;
import io.jwg.wg.pipeline.UnitPool;
import io.jwg.wg.pipeline.UnitSink;
import io.jwg.wg.rx.HandshakeQueue;
import io.jwg.wg.rx.HandshakeWorker;
import io.jwg.wg.rx.RxUnit;
import io.jwg.wg.rx.TunWriter;
import io.jwg.wg.rx.UdpReceiver;
import io.jwg.wg.tx.TunReader;
import io.jwg.wg.tx.TxStager;
import io.jwg.wg.tx.TxUnit;
import io.jwg.wg.tx.UdpSender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The multi-core data plane of one device: builds and runs, around one {@link DeviceCore}, a TUN
 * {@link Tun} and a UDP {@link Bind}, the threads of {@code tx/} and {@code rx/} (see their
 * package-info for the numbered flows). Created, started, and closed by the device owner thread.
 *
 * <p>Threads: one TUN reader, one UDP receiver per socket family, {@code workers} crypto workers
 * (each with its own UDP sender and TUN writer sinks), and one control thread (handshakes + timers).
 * Shared between them: the crypto queue, the handshake queue, the control proxy, and per peer its
 * {@link PeerPipeline}. Memory: one TX packet pool owned by the TUN reader, one RX pool per receiver,
 * one small pool for the control thread, all allocated here; nothing grows afterwards.
 */
public final class DataPlane implements AutoCloseable {
    /** Presealed one-packet units of the control thread: staged packets (128 per peer) and keepalives. */
    private static final int CONTROL_TX_UNITS = 256;

    private final DeviceCore core;
    private final PipelineSettings settings;
    private final ManyToManyArrayQueue<Unit> cryptoQueue;
    private final HandshakeQueue handshakes;
    private final ControlProxy proxy;
    private final List<PacketPool> pools = new ArrayList<>();
    private final List<UnitPool<?>> unitPools = new ArrayList<>();
    private final List<AutoCloseable> handles = new ArrayList<>();
    private final List<StageCounters> counters = new ArrayList<>();
    private final List<AgentRunner> ingressRunners = new ArrayList<>();
    private final List<AgentRunner> workerRunners = new ArrayList<>();
    private final List<CryptoWorker> workers = new ArrayList<>();
    private final AgentRunner controlRunner;
    private final Conductor conductor;
    private final HandshakeWorker handshakeWorker;
    private final AtomicLong agentErrors = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private boolean started;
    private boolean closed;

    /** Builds the pipeline (allocates all pools and batches); nothing runs until {@link #start()}. */
    public DataPlane(final DeviceCore core, final Tun tun, final Bind bind, final PipelineSettings s,
                     final NanoClock clock, final WallClock wallClock) {
        this.core = core;
        this.settings = s;
        this.cryptoQueue = new ManyToManyArrayQueue<>(s.cryptoQueueCapacity());
        final Doorbell cryptoBell = new Doorbell();
        final Doorbell controlBell = new Doorbell();
        this.proxy = new ControlProxy(4096, controlBell);
        this.handshakes = new HandshakeQueue(s.handshakeQueueCapacity(), controlBell);
        core.setMtu(tun.mtu());
        final DataPathContext ctx = new DataPathContext(cryptoQueue, cryptoBell, proxy, core.allowedIpsTable(),
            core.indexTable(), clock, wallClock, tun.mtu(), core, s.backlogUnits(), s.inlineUnitPackets());
        final ErrorHandler errors = this::onAgentError;
        final boolean[] families = bind.hasFamily(false) && bind.hasFamily(true) ? new boolean[] {false, true}
            : new boolean[] {bind.hasFamily(true)};

        final PacketPool txPool = pool(s.slotsPerIngressPool() + CONTROL_TX_UNITS, s.slotSize());
        final PacketPool[] rxPools = new PacketPool[families.length];
        for (int k = 0; k < families.length; k++) {
            rxPools[k] = pool(s.slotsPerIngressPool(), s.slotSize());
        }

        // Crypto workers, each with its own sinks (output batches and handles).
        for (int i = 0; i < s.workers(); i++) {
            final StageCounters c = newCounters();
            final CryptoWorker w = new CryptoWorker("jwg-crypto-" + i, cryptoQueue, 4,
                udpSender(bind, txPool, s, c, clock), tunWriter(ctx, tun, rxPools, s, c));
            workers.add(w);
            final IdleStrategy idle = new DoorbellIdleStrategy(cryptoBell, () -> !cryptoQueue.isEmpty(), 200, 20,
                100_000_000L);
            workerRunners.add(new AgentRunner(w, idle, errors));
        }

        // TUN reader: owns the TX pool's free list and the TX units.
        final StageCounters readerCounters = newCounters();
        final UnitPool<TxUnit> txUnits = new UnitPool<>(s.unitsPerPool(),
            p -> new TxUnit(p, s.unitCapacity(), txPool.memory()));
        unitPools.add(txUnits);
        final TunBatchIo tunIn = handle(tun.open(txPool, s.batchSize()));
        ingressRunners.add(new AgentRunner(new TunReader(ctx, tunIn, txPool, s.batchSize(), txUnits,
            udpSender(bind, txPool, s, readerCounters, clock), readerCounters, s.ioTimeoutNs()), ingressIdle(),
            errors));

        // One UDP receiver per socket family, each with its RX pool and units.
        for (int k = 0; k < families.length; k++) {
            final int poolId = k;
            final PacketPool rxPool = rxPools[k];
            final StageCounters c = newCounters();
            final UnitPool<RxUnit> rxUnits = new UnitPool<>(s.unitsPerPool(),
                p -> new RxUnit(p, s.unitCapacity(), rxPool.memory(), poolId));
            unitPools.add(rxUnits);
            final UdpBatchIo io = handle(bind.open(families[k], rxPool, s.batchSize()));
            final UdpReceiver r = new UdpReceiver(families[k] ? "jwg-udp6-rx" : "jwg-udp4-rx", ctx, io, rxPool,
                s.batchSize(), rxUnits, handshakes, tunWriter(ctx, tun, rxPools, s, c), c, s.ioTimeoutNs());
            ingressRunners.add(new AgentRunner(r, ingressIdle(), errors));
        }

        // Control agent: handshakes and timers, with its own small pool for what it sends.
        final StageCounters cc = newCounters();
        final PacketPool controlPool = pool(4 * s.batchSize(), s.slotSize());
        final UdpBatchIo c4 = bind.hasFamily(false) ? handle(bind.open(false, controlPool, s.batchSize())) : null;
        final UdpBatchIo c6 = bind.hasFamily(true) ? handle(bind.open(true, controlPool, s.batchSize())) : null;
        // One-packet units for datagrams the core seals on the control thread, each with its TX slot
        // assigned now, before the TUN reader takes over the TX pool's free list.
        final UnitPool<TxUnit> controlUnits = new UnitPool<>(CONTROL_TX_UNITS, p -> {
            final TxUnit u = new TxUnit(p, 1, txPool.memory());
            u.slots()[0] = txPool.acquire();
            return u;
        });
        final TxStager controlStager = new TxStager(ctx, udpSender(bind, txPool, s, cc, clock), cc);
        final ControlSender sender = new ControlSender(controlPool, c4, c6, s.batchSize(), cc, txPool, controlUnits,
            controlStager);
        this.handshakeWorker = new HandshakeWorker(core, handshakes, sender, sender::flush, clock);
        this.conductor = new Conductor(core, proxy, sender, clock, s.tickPeriodNs(), ctx,
            tun instanceof KernelTun kt ? kt::currentMtu : null);
        // One control thread: handshakes and timers drive the single protocol core from one place.
        final IdleStrategy controlIdle = new DoorbellIdleStrategy(controlBell,
            () -> handshakes.hasWork() || proxy.hasWork() || conductor.tickDue(), 50, 5, s.tickPeriodNs());
        this.controlRunner = new AgentRunner(new CompositeAgent(handshakeWorker, conductor), controlIdle, errors);
    }

    /**
     * Ingress agents wait in their read system call when idle; this only paces them while the crypto
     * queue is backlogged (they return 0 without reading): spin, yield, then park up to 50 us.
     */
    private static IdleStrategy ingressIdle() {
        return new BackoffIdleStrategy(20, 5, 1_000L, 50_000L);
    }

    private PacketPool pool(final int slots, final int slotSize) {
        final PacketPool p = new PacketPool(slots, slotSize);
        pools.add(p);
        return p;
    }

    private <T extends AutoCloseable> T handle(final T h) {
        handles.add(h);
        return h;
    }

    private StageCounters newCounters() {
        final StageCounters c = new StageCounters();
        counters.add(c);
        return c;
    }

    private UdpSender udpSender(final Bind bind, final PacketPool txPool, final PipelineSettings s,
                                final StageCounters c, final NanoClock clock) {
        final UdpBatchIo v4 = bind.hasFamily(false) ? handle(bind.open(false, txPool, s.batchSize())) : null;
        final UdpBatchIo v6 = bind.hasFamily(true) ? handle(bind.open(true, txPool, s.batchSize())) : null;
        return new UdpSender(v4, v4 == null ? null : new DatagramBatch(txPool, s.batchSize()),
            v6, v6 == null ? null : new DatagramBatch(txPool, s.batchSize()), c, clock);
    }

    private TunWriter tunWriter(final DataPathContext ctx, final Tun tun, final PacketPool[] rxPools,
                                final PipelineSettings s, final StageCounters c) {
        final PacketBatch[] batches = new PacketBatch[rxPools.length];
        final TunBatchIo[] handlesByPool = new TunBatchIo[rxPools.length];
        for (int k = 0; k < rxPools.length; k++) {
            batches[k] = new PacketBatch(rxPools[k], s.batchSize());
            handlesByPool[k] = handle(tun.open(rxPools[k], s.batchSize()));
        }
        return new TunWriter(ctx, handlesByPool, batches, c);
    }

    private void onAgentError(final Agent agent, final Throwable t) {
        if (agentErrors.incrementAndGet() <= 20) {
            System.err.println("jwg: " + agent.roleName() + " failed: " + t);
            t.printStackTrace();
        }
    }

    /** Attaches pipeline state to every peer of the core that has none; configuration thread. */
    public void attachPeers() {
        for (final Peer p : core.peers()) {
            attach(p);
        }
    }

    /** Attaches pipeline state to {@code peer} if it has none; configuration thread. */
    public void attach(final Peer peer) {
        if (PeerPipeline.of(peer) == null) {
            peer.attach(new PeerPipeline(peer, settings.peerQueueUnits()));
        }
    }

    /** Asks the control thread to send {@code peer} a keepalive (e.g. persistent keepalive turned on). */
    public void requestKeepalive(final Peer peer) {
        final PeerPipeline p = PeerPipeline.of(peer);
        if (p != null) {
            proxy.request(p, PeerPipeline.REQUEST_KEEPALIVE);
        }
    }

    /** Starts all threads: control first, then workers, then the ingress agents. */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException("already started or closed");
        }
        started = true;
        // Fresh per-peer queues: a peer may carry the (drained) state of a previous data plane.
        for (final Peer p : core.peers()) {
            p.attach(new PeerPipeline(p, settings.peerQueueUnits()));
        }
        threads.add(controlRunner.start());
        for (final AgentRunner r : workerRunners) {
            threads.add(r.start());
        }
        for (final AgentRunner r : ingressRunners) {
            threads.add(r.start());
        }
    }

    /** The sum of every thread's counters (racy snapshot). */
    public StageCounters counters() {
        final StageCounters sum = new StageCounters();
        for (final StageCounters c : counters) {
            c.addTo(sum);
        }
        return sum;
    }

    /**
     * A racy one-line snapshot of the pipeline's occupancy for diagnostics: free units per unit pool
     * (TX first, then RX per receiver), free slots per packet pool (TX, RX..., control), crypto and
     * handshake queue depths.
     */
    public String occupancy() {
        final StringBuilder b = new StringBuilder("units free");
        for (final UnitPool<?> u : unitPools) {
            b.append(' ').append(u.available()).append('/').append(u.size());
        }
        b.append(", slots free");
        for (final PacketPool p : pools) {
            b.append(' ').append(p.available()).append('/').append(p.slotCount());
        }
        return b.append(", crypto queue ").append(cryptoQueue.size()).append(", handshake queue ")
            .append(handshakes.depth()).toString();
    }

    /** Throwables caught from agents (each one was reported to stderr, the first 20 in full). */
    public long agentErrors() {
        return agentErrors.get();
    }

    /** The handshake messages processed by the handshake worker (racy). */
    public long handshakesProcessed() {
        return handshakeWorker.processed();
    }

    /** The settings in use. */
    public PipelineSettings settings() {
        return settings;
    }

    /** The core this pipeline runs. */
    public DeviceCore core() {
        return core;
    }

    /**
     * Stops every thread (ingress first so nothing new enters, then workers, then control), releases
     * units still in flight (dropping their packets, in order, so keypair references are returned),
     * closes all handles and frees the packet pools.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (final AgentRunner r : ingressRunners) {
            r.close();
        }
        for (final AgentRunner r : workerRunners) {
            r.close();
        }
        controlRunner.close();
        final UnitSink<Unit> discard = new UnitSink<>() {
            @Override
            public void onReleased(final Unit unit) {
                unit.recycle();
            }

            @Override
            public void flush() {
            }
        };
        Unit u;
        while ((u = cryptoQueue.poll()) != null) {
            @SuppressWarnings("unchecked")
            final PeerOrderedQueue<Unit> q = (PeerOrderedQueue<Unit>) u.queue();
            u.publish(Unit.DEAD);
            q.drain(discard);
        }
        for (final AutoCloseable h : handles) {
            try {
                h.close();
            } catch (Exception e) {
                System.err.println("jwg: closing " + h + ": " + e);
            }
        }
        for (final Thread t : threads) {
            if (t.isAlive()) {
                // A thread that did not stop still owns memory in the pools: leak them rather than crash it.
                return;
            }
        }
        for (final PacketPool p : pools) {
            p.close();
        }
    }
}
