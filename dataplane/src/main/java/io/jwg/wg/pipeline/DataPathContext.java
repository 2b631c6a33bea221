package io.jwg.wg.pipeline;

import io.jwg.wg.core.NanoClock;
import io.jwg.wg.core.WallClock;
import io.jwg.wg.noise.IndexTable;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.routing.AllowedIps;

/**
 * What every data-path stage of one device shares: the crypto queue and its doorbell, the control
 * proxy, the routing and index tables, the clock and the MTU. Created by the device owner; the
 * referenced structures are thread-safe as documented on each, the MTU is volatile.
 */
public final class DataPathContext {
    private final ManyToManyArrayQueue<Unit> cryptoQueue;
    private final Doorbell cryptoDoorbell;
    private final ControlProxy control;
    private final AllowedIps<Peer> allowedIps;
    private final IndexTable<IndexTable.Entry> indexTable;
    private final NanoClock clock;
    private final WallClock wallClock;
    private final Object stagingLock;
    private final int backlogLimit;
    private final int inlineUnitPackets;
    private volatile int mtu;

    /** Creates the context. */
    public DataPathContext(final ManyToManyArrayQueue<Unit> cryptoQueue, final Doorbell cryptoDoorbell,
                           final ControlProxy control, final AllowedIps<Peer> allowedIps,
                           final IndexTable<IndexTable.Entry> indexTable, final NanoClock clock,
                           final WallClock wallClock, final int mtu, final Object stagingLock,
                           final int backlogLimit, final int inlineUnitPackets) {
        this.stagingLock = stagingLock;
        this.backlogLimit = backlogLimit;
        this.inlineUnitPackets = inlineUnitPackets;
        this.cryptoQueue = cryptoQueue;
        this.cryptoDoorbell = cryptoDoorbell;
        this.control = control;
        this.allowedIps = allowedIps;
        this.indexTable = indexTable;
        this.clock = clock;
        this.wallClock = wallClock;
        this.mtu = mtu;
    }

    /** The device-wide crypto queue (producers: ingress stages; consumers: crypto workers). */
    public ManyToManyArrayQueue<Unit> cryptoQueue() {
        return cryptoQueue;
    }

    /** Rung after units are offered to the crypto queue. */
    public Doorbell cryptoDoorbell() {
        return cryptoDoorbell;
    }

    /** Requests to the control thread. */
    public ControlProxy control() {
        return control;
    }

    /** Cryptokey routing table (lookups lock-free). */
    public AllowedIps<Peer> allowedIps() {
        return allowedIps;
    }

    /** Receiver-index table (lookups lock-free). */
    public IndexTable<IndexTable.Entry> indexTable() {
        return indexTable;
    }

    /** Monotonic clock. */
    public NanoClock clock() {
        return clock;
    }

    /** Wall clock (last-handshake times). */
    public WallClock wallClock() {
        return wallClock;
    }

    /**
     * The monitor every consumer of a peer's staging queue holds while it peeks and pops (the protocol
     * core itself), so two consumers never send the same staged packet or skip one.
     */
    public Object stagingLock() {
        return stagingLock;
    }

    /**
     * Units an ingress agent may have in flight (queued for crypto, waiting in a peer queue, being
     * sent) before it stops reading: backpressure, so the TUN queue and the socket buffer hold the
     * excess instead of the pipeline reading packets only to drop them.
     */
    public int backlogLimit() {
        return backlogLimit;
    }

    /** Whether the ingress agent owning {@code units} should pause reading (racy). */
    public boolean backlogged(final UnitPool<?> units) {
        return units.size() - units.available() >= backlogLimit;
    }

    /**
     * Whether an ingress thread should crypt and release {@code unit} itself instead of handing it
     * to a worker (adaptive run-to-completion): only when the unit is small and no work is queued,
     * i.e. the device is lightly loaded and a thread wake-up would cost more than the crypto. Busy
     * or bulk traffic still fans out to the workers. Racy by design: either choice keeps order.
     */
    public boolean processInline(final Unit unit) {
        return unit.count() <= inlineUnitPackets && cryptoQueue.isEmpty();
    }

    /** Tunnel MTU used for padding. */
    public int mtu() {
        return mtu;
    }

    /** Changes the MTU (configuration thread). */
    public void mtu(final int mtu) {
        this.mtu = mtu;
    }
}
