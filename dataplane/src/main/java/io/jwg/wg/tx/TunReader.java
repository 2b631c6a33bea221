package io.jwg.wg.tx;

import io.jwg.bindings.io.PacketBatch;
import io.jwg.bindings.io.PacketPool;
import io.jwg.bindings.libc.errno_h;
import io.jwg.wg.core.InnerPacket;
import io.jwg.wg.device.TunBatchIo;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.pipeline.Agent;
import io.jwg.wg.pipeline.DataPathContext;
import io.jwg.wg.pipeline.PeerPipeline;
import io.jwg.wg.pipeline.PipelineDrop;
import io.jwg.wg.pipeline.StageCounters;
import io.jwg.wg.pipeline.Unit;
import io.jwg.wg.pipeline.UnitPool;
import io.jwg.wg.pipeline.UnitSink;
import io.jwg.wg.stats.DropReason;
import java.lang.foreign.MemorySegment;

/**
 * TUN reader agent (outbound steps 1-2, sequential): one thread reads a batch of IP packets, routes
 * each by destination (AllowedIPs), groups the packets of each peer in arrival order into units, and
 * hands every filled unit to its {@link TxStager} (step 3). Owns its TUN handle, its read batch, the
 * TX packet pool's free list and the TX unit pool.
 *
 * <p>Slots move without copying: a routed packet's slot is detached from the read batch into the
 * unit, and the slot the unit held from an earlier use goes back to the pool here, on the pool's
 * owner thread.
 */
public final class TunReader implements Agent {
    private final DataPathContext ctx;
    private final TunBatchIo tun;
    private final PacketPool pool;
    private final PacketBatch batch;
    private final UnitPool<TxUnit> units;
    private final TxStager stager;
    private final StageCounters counters;
    private final long readTimeoutNs;
    private final PeerPipeline[] openPeers;
    private final TxUnit[] openUnits;
    private int openCount;
    private long readErrors;

    /**
     * Creates the reader.
     *
     * @param ownSink this thread's UDP sender, used when a unit must be released on this thread
     * @param readTimeoutNs how long one {@link #doWork()} waits in the TUN read (the agent's idle)
     */
    public TunReader(final DataPathContext ctx, final TunBatchIo tun, final PacketPool pool, final int batchSize,
                     final UnitPool<TxUnit> units, final UnitSink<Unit> ownSink, final StageCounters counters,
                     final long readTimeoutNs) {
        this.ctx = ctx;
        this.tun = tun;
        this.pool = pool;
        this.batch = new PacketBatch(pool, batchSize);
        this.units = units;
        this.stager = new TxStager(ctx, ownSink, counters, this::fillFromStaged);
        this.counters = counters;
        this.readTimeoutNs = readTimeoutNs;
        this.openPeers = new PeerPipeline[batchSize];
        this.openUnits = new TxUnit[batchSize];
    }

    @Override
    public int doWork() {
        if (ctx.backlogged(units)) {
            // Workers are behind: leave the packets in the kernel's TUN queue (its backpressure reaches
            // local senders) rather than read them only to drop them.
            return 0;
        }
        final int n = tun.read(batch, readTimeoutNs);
        if (n <= 0) {
            if (n != -errno_h.EAGAIN) {
                readErrors++;
            }
            batch.clear();
            return 0;
        }
        final long nowNs = ctx.clock().nanoTime();
        final MemorySegment slab = pool.memory();
        final int count = batch.count();
        for (int i = 0; i < count; i++) {
            route(slab, i, nowNs);
        }
        for (int j = 0; j < openCount; j++) {
            stager.submit(openPeers[j], openUnits[j], nowNs);
            openPeers[j] = null;
            openUnits[j] = null;
        }
        openCount = 0;
        stager.finishBatch();
        batch.clear();
        return count;
    }

    private void route(final MemorySegment slab, final int i, final long nowNs) {
        final long off = batch.offset(i);
        final int len = batch.length(i);
        if (batch.isTruncated(i) || !InnerPacket.isRoutable(slab, off, len) || len > pool.slotSize() - TunBatchIo.HEADROOM - TunBatchIo.TAILROOM) {
            counters.drop(DropReason.BAD_OUTBOUND_PACKET);
            return;
        }
        final Peer peer = ctx.allowedIps().lookupDst(slab, off, len);
        final PeerPipeline p = peer == null ? null : PeerPipeline.of(peer);
        if (p == null) {
            counters.drop(DropReason.NO_ROUTE);
            return;
        }
        int j = findOpen(p);
        if (j < 0) {
            final TxUnit u = units.acquire();
            if (u == null) {
                counters.drop(PipelineDrop.UNIT_POOL_EMPTY);
                return;
            }
            j = openCount++;
            openPeers[j] = p;
            openUnits[j] = u;
        }
        final TxUnit u = openUnits[j];
        final int k = u.count();
        final int[] slots = u.slots();
        final int old = slots[k];
        slots[k] = batch.detach(i);
        if (old >= 0) {
            pool.release(old);
        }
        u.offsets()[k] = off;
        u.lengths()[k] = len;
        u.count(k + 1);
        if (u.isFull()) {
            stager.submit(p, u, nowNs);
            closeOpen(j);
        }
    }

    /**
     * Pops up to one unit of staged packets into a unit of this reader's pool (staging lock held by
     * the stager). Staged packets are copies on the heap, so they are copied back into slots here.
     */
    private TxUnit fillFromStaged(final io.jwg.wg.peer.StagedPackets staged) {
        final TxUnit u = units.acquire();
        if (u == null) {
            return null;
        }
        final int[] slots = u.slots();
        final int max = pool.slotSize() - TunBatchIo.HEADROOM - TunBatchIo.TAILROOM;
        int k = 0;
        while (k < u.capacity()) {
            final int len = staged.peekLength();
            if (len < 0) {
                break;
            }
            if (len > max) {
                staged.pop();
                counters.drop(DropReason.BAD_OUTBOUND_PACKET);
                continue;
            }
            if (slots[k] < 0) {
                slots[k] = pool.acquire();
                if (slots[k] < 0) {
                    break;
                }
            }
            final long off = pool.slotOffset(slots[k]) + TunBatchIo.HEADROOM;
            staged.peek(pool.memory(), off);
            staged.pop();
            u.offsets()[k] = off;
            u.lengths()[k] = len;
            k++;
        }
        if (k == 0) {
            u.recycle();
            return null;
        }
        u.count(k);
        return u;
    }

    private int findOpen(final PeerPipeline p) {
        // Most batches carry one or a few peers; scan from the newest.
        for (int j = openCount - 1; j >= 0; j--) {
            if (openPeers[j] == p) {
                return j;
            }
        }
        return -1;
    }

    private void closeOpen(final int j) {
        // Order among the open units of different peers does not matter; a peer's own order is
        // kept inside its unit and by submitting its units in the order they filled.
        final int last = --openCount;
        openPeers[j] = openPeers[last];
        openUnits[j] = openUnits[last];
        openPeers[last] = null;
        openUnits[last] = null;
    }

    /** TUN reads that failed with something other than a timeout; owner thread (racy read). */
    public long readErrors() {
        return readErrors;
    }

    @Override
    public void onClose() {
        batch.clear();
        tun.close();
    }

    @Override
    public String roleName() {
        return "jwg-tun-reader";
    }
}
