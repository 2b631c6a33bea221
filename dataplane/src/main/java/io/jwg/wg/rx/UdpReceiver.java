package io.jwg.wg.rx;

import io.jwg.bindings.io.DatagramBatch;
import io.jwg.bindings.io.PacketPool;
import io.jwg.bindings.io.UdpBatchIo;
import io.jwg.bindings.libc.errno_h;
import io.jwg.bindings.libc.socket_h;
import io.jwg.wg.noise.IndexTable;
import io.jwg.wg.noise.Keypair;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.pipeline.Agent;
import io.jwg.wg.pipeline.CryptoWorker;
import io.jwg.wg.pipeline.DataPathContext;
import io.jwg.wg.pipeline.PeerOrderedQueue;
import io.jwg.wg.pipeline.PeerPipeline;
import io.jwg.wg.pipeline.PipelineDrop;
import io.jwg.wg.pipeline.StageCounters;
import io.jwg.wg.pipeline.Unit;
import io.jwg.wg.pipeline.UnitPool;
import io.jwg.wg.pipeline.UnitSink;
import io.jwg.wg.protocol.MessageKind;
import io.jwg.wg.protocol.TransportMessage;
import io.jwg.wg.stats.DropReason;
import java.lang.foreign.MemorySegment;

/**
 * UDP receiver agent (inbound steps 1-3, sequential): one thread per socket receives a batch,
 * classifies every datagram by its first four bytes, copies handshake messages into the bounded
 * {@link HandshakeQueue}, and groups transport messages by receiver index - index table lookup to
 * keypair and peer - into units (one peer, one keypair, a contiguous run of that peer's arrivals),
 * each enqueued on the peer's RX queue first and on the crypto queue second. Owns its socket handle, its receive batch, its
 * packet pool's free list and its RX unit pool; slots move into units without copying.
 */
public final class UdpReceiver implements Agent {
    private final DataPathContext ctx;
    private final UdpBatchIo io;
    private final PacketPool pool;
    private final DatagramBatch batch;
    private final UnitPool<RxUnit> units;
    private final HandshakeQueue handshakes;
    private final UnitSink<Unit> ownSink;
    private final StageCounters counters;
    private final long receiveTimeoutNs;
    private final String roleName;
    private final PeerPipeline[] openPeers;
    private final RxUnit[] openUnits;
    private int openCount;
    private int offered;
    private long receiveErrors;

    /**
     * Creates a receiver.
     *
     * @param ownSink this thread's TUN writer, used when a unit must be released dead on this thread
     * @param receiveTimeoutNs how long one {@link #doWork()} waits for datagrams (the agent's idle)
     */
    public UdpReceiver(final String roleName, final DataPathContext ctx, final UdpBatchIo io, final PacketPool pool,
                       final int batchSize, final UnitPool<RxUnit> units, final HandshakeQueue handshakes,
                       final UnitSink<Unit> ownSink, final StageCounters counters, final long receiveTimeoutNs) {
        this.roleName = roleName;
        this.ctx = ctx;
        this.io = io;
        this.pool = pool;
        this.batch = new DatagramBatch(pool, batchSize);
        this.units = units;
        this.handshakes = handshakes;
        this.ownSink = ownSink;
        this.counters = counters;
        this.receiveTimeoutNs = receiveTimeoutNs;
        this.openPeers = new PeerPipeline[batchSize];
        this.openUnits = new RxUnit[batchSize];
    }

    @Override
    public int doWork() {
        if (ctx.backlogged(units)) {
            // Workers are behind: leave datagrams in the socket's receive buffer for now.
            return 0;
        }
        final int n = io.receive(batch, receiveTimeoutNs);
        if (n <= 0) {
            if (n != -errno_h.EAGAIN) {
                receiveErrors++;
            }
            batch.clear();
            return 0;
        }
        final long nowNs = ctx.clock().nanoTime();
        final MemorySegment slab = pool.memory();
        final int count = batch.count();
        for (int i = 0; i < count; i++) {
            if (batch.isTruncated(i)) {
                counters.drop(PipelineDrop.TRUNCATED);
                continue;
            }
            final long off = batch.offset(i);
            final int len = batch.length(i);
            switch (MessageKind.classify(slab, off, len)) {
                case TRANSPORT_DATA -> data(slab, i, off, len, nowNs);
                case HANDSHAKE_INITIATION -> handshake(MessageKind.HANDSHAKE_INITIATION, slab, i, off, len, nowNs);
                case HANDSHAKE_RESPONSE -> handshake(MessageKind.HANDSHAKE_RESPONSE, slab, i, off, len, nowNs);
                case COOKIE_REPLY -> handshake(MessageKind.COOKIE_REPLY, slab, i, off, len, nowNs);
                case INVALID_TYPE -> counters.drop(DropReason.BAD_TYPE);
                default -> counters.drop(DropReason.BAD_LENGTH);
            }
        }
        for (int j = 0; j < openCount; j++) {
            submit(openUnits[j]);
            openPeers[j] = null;
            openUnits[j] = null;
        }
        openCount = 0;
        if (offered > 0) {
            ctx.cryptoDoorbell().ring(offered);
            offered = 0;
        }
        batch.clear();
        return count;
    }

    private void data(final MemorySegment slab, final int i, final long off, final int len, final long nowNs) {
        final IndexTable.Entry e = ctx.indexTable().lookup(TransportMessage.receiverIndex(slab, off));
        if (!(e instanceof Keypair k)) {
            counters.drop(DropReason.UNKNOWN_INDEX);
            return;
        }
        final PeerPipeline p = PeerPipeline.of(k.peer());
        if (p == null) {
            counters.drop(DropReason.UNKNOWN_INDEX);
            return;
        }
        // One open unit per peer: a unit is a contiguous run of the peer's arrivals, so when the
        // keypair changes mid-batch (rekey) the open unit is submitted before a new one starts.
        int j = findOpen(p);
        if (j >= 0 && openUnits[j].keypair() != k) {
            submit(openUnits[j]);
            closeOpen(j);
            j = -1;
        }
        if (j < 0) {
            j = open(p, k, nowNs);
            if (j < 0) {
                return;
            }
        }
        final RxUnit u = openUnits[j];
        final int[] slots = u.slots();
        final int at = u.count();
        final int old = slots[at];
        slots[at] = batch.detach(i);
        if (old >= 0) {
            pool.release(old);
        }
        u.add(off, len);
        if (batch.remoteFamily(i) == socket_h.AF_INET6) {
            u.source(true, batch.remoteIpv6High(i), batch.remoteIpv6Low(i), batch.remotePort(i));
        } else {
            u.source(false, (batch.remoteIpv4(i) & 0xFFFF_FFFFL) << 32, 0, batch.remotePort(i));
        }
        final int lf = batch.localFamily(i);
        if (lf == socket_h.AF_INET6) {
            u.local(batch.localIpv6High(i), batch.localIpv6Low(i), batch.localIfindex(i));
        } else if (lf == socket_h.AF_INET) {
            u.local((batch.localIpv4(i) & 0xFFFF_FFFFL) << 32, 0, batch.localIfindex(i));
        }
        if (u.isFull()) {
            submit(u);
            closeOpen(j);
        }
    }

    private void closeOpen(final int j) {
        final int last = --openCount;
        openPeers[j] = openPeers[last];
        openUnits[j] = openUnits[last];
        openPeers[last] = null;
        openUnits[last] = null;
    }

    /** Opens a unit for peer {@code p} under {@code k}; returns its open-array slot or -1 (counted drop). */
    private int open(final PeerPipeline p, final Keypair k, final long nowNs) {
        if (!k.canReceive(nowNs)) {
            counters.drop(DropReason.KEYPAIR_EXPIRED);
            return -1;
        }
        final RxUnit u = units.acquire();
        if (u == null) {
            counters.drop(PipelineDrop.UNIT_POOL_EMPTY);
            return -1;
        }
        if (!k.tryRetain()) {
            counters.drop(PipelineDrop.KEYPAIR_GONE);
            u.recycle();
            return -1;
        }
        u.bind(p, k);
        final int j = openCount++;
        openPeers[j] = p;
        openUnits[j] = u;
        return j;
    }

    private int findOpen(final PeerPipeline p) {
        for (int j = openCount - 1; j >= 0; j--) {
            if (openPeers[j] == p) {
                return j;
            }
        }
        return -1;
    }

    private void submit(final RxUnit u) {
        final int n = u.count();
        final PeerOrderedQueue<Unit> q = u.peer().rx();
        if (!q.enqueue(u)) {
            counters.drop(PipelineDrop.PEER_QUEUE_FULL, n);
            u.recycle();
            return;
        }
        if (ctx.processInline(u)) {
            // Light load: open and release on this thread (enqueued first, so order holds as always).
            CryptoWorker.process(u, ownSink);
            return;
        }
        if (ctx.cryptoQueue().offer(u)) {
            offered++;
            return;
        }
        counters.drop(PipelineDrop.CRYPTO_QUEUE_FULL, n);
        u.publish(Unit.DEAD);
        q.drain(ownSink);
    }

    private void handshake(final MessageKind kind, final MemorySegment slab, final int i, final long off,
                           final int len, final long nowNs) {
        final HandshakeJob job = handshakes.claim();
        if (job == null) {
            counters.drop(PipelineDrop.HANDSHAKE_QUEUE_FULL);
            return;
        }
        job.fill(kind, slab, off, len, nowNs);
        final Endpoint src = job.source();
        if (batch.remoteFamily(i) == socket_h.AF_INET6) {
            src.setV6(batch.remoteIpv6High(i), batch.remoteIpv6Low(i), batch.remotePort(i));
        } else {
            src.setV4(batch.remoteIpv4(i), batch.remotePort(i));
        }
        final int lf = batch.localFamily(i);
        if (lf == socket_h.AF_INET6) {
            src.setSource(batch.localIpv6High(i), batch.localIpv6Low(i), batch.localIfindex(i));
        } else if (lf == socket_h.AF_INET) {
            src.setSource((batch.localIpv4(i) & 0xFFFF_FFFFL) << 32, 0, batch.localIfindex(i));
        }
        handshakes.publish(job);
    }

    /** Receive calls that failed with something other than a timeout (racy read). */
    public long receiveErrors() {
        return receiveErrors;
    }

    @Override
    public void onClose() {
        batch.clear();
        io.close();
    }

    @Override
    public String roleName() {
        return roleName;
    }
}
