package io.jwg.wg.tx;

import io.jwg.wg.noise.Keypair;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.peer.StagedPackets;
import io.jwg.wg.pipeline.CryptoWorker;
import io.jwg.wg.pipeline.DataPathContext;
import io.jwg.wg.pipeline.PeerOrderedQueue;
import io.jwg.wg.pipeline.PeerPipeline;
import io.jwg.wg.pipeline.PipelineDrop;
import io.jwg.wg.pipeline.StageCounters;
import io.jwg.wg.pipeline.Unit;
import io.jwg.wg.pipeline.UnitSink;
import io.jwg.wg.stats.DropReason;
import java.lang.foreign.MemorySegment;

/**
 * Nonce assignment and hand-off of outbound units (steps 3-4 of the outbound flow); owner thread
 * only - one instance per TX producer (the TUN reader, the control thread), each with its own unit
 * pool and its own sink for units it has to kill.
 *
 * <p>For a filled unit of one peer: if the peer has a usable current keypair and nothing staged,
 * take a reference on the keypair, reserve one run of consecutive counters for the whole unit with a
 * single atomic add, then enqueue on the peer's TX queue <em>first</em> and on the crypto queue
 * second (see {@link PeerOrderedQueue#enqueue}). Otherwise copy the packets into the peer's staging
 * queue (128, drop oldest) and ask the control thread for a handshake, or - when a keypair exists
 * but older packets are still staged - for a flush of the staging queue, so new packets never
 * overtake staged ones.
 */
public final class TxStager {
    private final DataPathContext ctx;
    private final UnitSink<Unit> ownSink;
    private final StageCounters counters;
    private final StagedFiller filler;
    private int offered;

    /** Moves staged packets into a fresh unit; implemented by the producer that owns a packet pool. */
    @FunctionalInterface
    public interface StagedFiller {
        /**
         * Pops up to one unit's worth of packets from {@code staged} into a unit of the caller's pool;
         * called with the staging lock held.
         *
         * @return the filled unit, or null if no unit or slot is free (the rest stays staged)
         */
        TxUnit fill(StagedPackets staged);
    }

    /**
     * Creates a stager.
     *
     * @param ownSink this thread's sink, used when a unit must be released dead on this thread
     * @param counters this thread's counters
     */
    public TxStager(final DataPathContext ctx, final UnitSink<Unit> ownSink, final StageCounters counters) {
        this(ctx, ownSink, counters, null);
    }

    /**
     * Creates a stager that sends a peer's staged packets itself (ahead of new ones) once a keypair
     * is usable, instead of leaving that to the control thread.
     */
    public TxStager(final DataPathContext ctx, final UnitSink<Unit> ownSink, final StageCounters counters,
                    final StagedFiller filler) {
        this.ctx = ctx;
        this.ownSink = ownSink;
        this.counters = counters;
        this.filler = filler;
    }

    /**
     * Assigns nonces to {@code u} and enqueues it, or stages its packets; the unit is given away
     * either way (enqueued, or recycled here).
     */
    public void submit(final PeerPipeline p, final TxUnit u, final long nowNs) {
        final int n = u.count();
        if (n == 0) {
            u.recycle();
            return;
        }
        final Peer peer = p.peer();
        if (peer.isRemoved()) {
            counters.drop(PipelineDrop.PEER_REMOVED, n);
            u.recycle();
            return;
        }
        final Keypair k = peer.keypairs().current();
        if (k == null || !k.canSend(nowNs)) {
            stage(p, u, n, PeerPipeline.REQUEST_HANDSHAKE);
            return;
        }
        if (!peer.staged().isEmpty() && !flushStaged(p, k, nowNs)) {
            // Older packets are still staged: keep the order, let them go first.
            stage(p, u, n, PeerPipeline.REQUEST_FLUSH_STAGED);
            return;
        }
        if (!assignAndEnqueue(p, u, k, nowNs)) {
            stage(p, u, n, PeerPipeline.REQUEST_HANDSHAKE);
        }
    }

    /**
     * Sends everything staged for {@code p} ahead of newer packets, in staging order, under the
     * staging lock (the core's own staged sends hold it too).
     *
     * @return true if the staging queue is now empty
     */
    private boolean flushStaged(final PeerPipeline p, final Keypair k, final long nowNs) {
        if (filler == null) {
            return false;
        }
        final StagedPackets staged = p.peer().staged();
        synchronized (ctx.stagingLock()) {
            while (!staged.isEmpty()) {
                final TxUnit su = filler.fill(staged);
                if (su == null) {
                    return false;
                }
                if (!assignAndEnqueue(p, su, k, nowNs)) {
                    // The keypair went away meanwhile: back to staging, in order, behind nothing newer.
                    stage(p, su, su.count(), PeerPipeline.REQUEST_HANDSHAKE);
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Retains {@code k}, reserves consecutive counters for the unit and enqueues it.
     *
     * @return false (unit untouched) if the keypair cannot be used: dead, or counters exhausted
     */
    private boolean assignAndEnqueue(final PeerPipeline p, final TxUnit u, final Keypair k, final long nowNs) {
        final int n = u.count();
        if (!k.tryRetain()) {
            return false;
        }
        final long first = k.reserveSendCounters(n);
        if (!Keypair.isSendCounterUsable(first + n - 1)) {
            k.release();
            return false;
        }
        u.assign(p, k, first, ctx.mtu());
        if (k.needsRekeyAfterSend(nowNs)) {
            ctx.control().request(p, PeerPipeline.REQUEST_HANDSHAKE);
        }
        enqueue(p, u, n);
        return true;
    }

    private void enqueue(final PeerPipeline p, final TxUnit u, final int n) {
        final PeerOrderedQueue<Unit> q = p.tx();
        if (!q.enqueue(u)) {
            counters.drop(PipelineDrop.PEER_QUEUE_FULL, n);
            u.recycle();
            return;
        }
        if (ctx.processInline(u)) {
            // Light load: seal and release on this thread (enqueued first, so order holds as always).
            CryptoWorker.process(u, ownSink);
            return;
        }
        if (ctx.cryptoQueue().offer(u)) {
            offered++;
            return;
        }
        // Already on the peer queue: it must still leave it in order, so it dies and we drain.
        counters.drop(PipelineDrop.CRYPTO_QUEUE_FULL, n);
        u.publish(Unit.DEAD);
        q.drain(ownSink);
    }

    private void stage(final PeerPipeline p, final TxUnit u, final int n, final int request) {
        final StagedPackets staged = p.peer().staged();
        final MemorySegment slab = u.slab();
        final long[] off = u.offsets();
        final int[] len = u.lengths();
        for (int i = 0; i < n; i++) {
            if (len[i] == 0) {
                staged.stageKeepaliveIfEmpty();
            } else if (staged.stage(slab, off[i], len[i])) {
                counters.drop(DropReason.STAGED_OVERFLOW);
            }
        }
        u.recycle();
        ctx.control().request(p, request);
    }

    /**
     * Enqueues a unit the protocol core already sealed ({@link TxUnit#preseal}) behind the peer's
     * earlier units and releases it as soon as it reaches the head; the unit is given away.
     */
    public void submitPresealed(final PeerPipeline p, final TxUnit u) {
        final PeerOrderedQueue<Unit> q = p.tx();
        if (!q.enqueue(u)) {
            counters.drop(PipelineDrop.PEER_QUEUE_FULL, u.count());
            u.recycle();
            return;
        }
        u.publish(Unit.CRYPTED);
        q.drain(ownSink);
    }

    /** Wakes workers for the units offered since the last call; call once per ingress batch. */
    public void finishBatch() {
        if (offered > 0) {
            ctx.cryptoDoorbell().ring(offered);
            offered = 0;
        }
    }
}
