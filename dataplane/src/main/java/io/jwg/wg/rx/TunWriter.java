package io.jwg.wg.rx;

import io.jwg.bindings.io.PacketBatch;
import io.jwg.wg.core.InnerPacket;
import io.jwg.wg.device.TunBatchIo;
import io.jwg.wg.noise.Keypair;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.pipeline.DataPathContext;
import io.jwg.wg.pipeline.PeerPipeline;
import io.jwg.wg.pipeline.PipelineDrop;
import io.jwg.wg.pipeline.StageCounters;
import io.jwg.wg.pipeline.Unit;
import io.jwg.wg.pipeline.UnitSink;
import io.jwg.wg.protocol.ProtocolConstants;
import io.jwg.wg.protocol.TransportMessage;
import io.jwg.wg.stats.DropReason;
import io.jwg.wg.timers.PeerTimers;
import java.lang.foreign.MemorySegment;

/**
 * Ordered receive (inbound step 5, sequential per peer; protocol.md 1.11 steps 5-11): the sink a
 * crypto worker drains a peer's RX queue into while it holds the peer's claim. Owner thread only
 * (one per worker, with its own TUN handle and write batches).
 *
 * <p>Per packet: authentication result, replay window (only here, under the claim, so it needs no
 * lock), keepalive vs data, inner IP validation and padding trim, AllowedIPs source check, then
 * appended in place to the TUN write batch. Per unit, once, if anything authenticated: key
 * confirmation (next becomes current: handshake complete, staged packets flushed by the control
 * agent), endpoint update from the outer source, receive timers, last-minute rekey check.
 * {@link #flush()} writes the batch and recycles the units.
 */
public final class TunWriter implements UnitSink<Unit> {
    private final DataPathContext ctx;
    private final TunBatchIo[] tunByPool;
    private final PacketBatch[] batchesByPool;
    private final RxUnit[] pending;
    private final StageCounters counters;
    private final Endpoint scratch = Endpoint.mutable();
    private int pendingCount;
    private int activePool = -1;

    /**
     * Creates a writer.
     *
     * @param tunByPool one TUN handle per RX packet pool id, opened over that pool
     * @param batchesByPool one write batch per RX packet pool id (its entries point into that pool's
     *     slab), each holding at least one unit
     */
    public TunWriter(final DataPathContext ctx, final TunBatchIo[] tunByPool, final PacketBatch[] batchesByPool,
                     final StageCounters counters) {
        if (tunByPool.length != batchesByPool.length) {
            throw new IllegalArgumentException("one handle per batch");
        }
        this.ctx = ctx;
        this.tunByPool = tunByPool.clone();
        this.batchesByPool = batchesByPool.clone();
        int cap = 1;
        for (PacketBatch b : batchesByPool) {
            cap = Math.max(cap, b.capacity());
        }
        this.pending = new RxUnit[cap];
        this.counters = counters;
    }

    @Override
    public void onReleased(final Unit unit) {
        final RxUnit u = (RxUnit) unit;
        if (u.state() == Unit.DEAD) {
            u.recycle();
            return;
        }
        final int n = u.count();
        final PeerPipeline p = u.peer();
        final Peer peer = p.peer();
        if (peer.isRemoved()) {
            counters.drop(PipelineDrop.PEER_REMOVED, n);
            u.recycle();
            return;
        }
        final PacketBatch b = batchesByPool[u.poolId()];
        if (activePool != u.poolId() || b.capacity() - b.count() < n || pendingCount == pending.length) {
            writePending();
            activePool = u.poolId();
        }
        final Keypair k = u.keypair();
        final MemorySegment slab = u.slab();
        final boolean[] ok = u.ok();
        final long[] off = u.offsets();
        final int[] len = u.lengths();
        final long[] ctr = u.counters();
        int accepted = 0;
        long acceptedBytes = 0;
        boolean data = false;
        for (int i = 0; i < n; i++) {
            if (!ok[i]) {
                counters.drop(DropReason.BAD_TAG);
                continue;
            }
            if (!k.validateCounter(ctr[i])) {
                counters.drop(DropReason.REPLAY);
                continue;
            }
            accepted++;
            acceptedBytes += len[i] + TransportMessage.HEADER_LENGTH;
            final int plain = len[i] - ProtocolConstants.NOISE_AUTH_TAG_LENGTH;
            if (plain == 0) {
                continue;
            }
            data = true;
            final int valid = InnerPacket.validLength(slab, off[i], plain);
            if (valid < 0) {
                counters.drop(DropReason.BAD_INNER_PACKET);
                continue;
            }
            if (ctx.allowedIps().lookupSrc(slab, off[i], valid) != peer) {
                counters.drop(DropReason.SOURCE_NOT_ALLOWED);
                continue;
            }
            b.add(-1, off[i], valid);
        }
        if (accepted > 0) {
            authenticated(p, peer, u, k, acceptedBytes, data);
        }
        pending[pendingCount++] = u;
    }

    private void authenticated(final PeerPipeline p, final Peer peer, final RxUnit u, final Keypair k,
                               final long bytes, final boolean data) {
        final long nowNs = ctx.clock().nanoTime();
        final PeerTimers t = peer.timers();
        if (peer.keypairs().receivedWith(k)) {
            // Responder's key confirmation: next became current.
            t.onHandshakeComplete(nowNs);
            peer.setLastHandshakeWallNs(ctx.wallClock().epochNanos());
            ctx.control().request(p, PeerPipeline.REQUEST_FLUSH_STAGED);
        }
        if (u.sourceV6()) {
            scratch.setV6(u.sourceHi(), u.sourceLo(), u.sourcePort());
        } else {
            scratch.setV4((int) (u.sourceHi() >>> 32), u.sourcePort());
        }
        if (u.hasLocal()) {
            scratch.setSource(u.localHi(), u.localLo(), u.localIfIndex());
        }
        peer.updateEndpointFrom(scratch);
        peer.addRxBytes(bytes);
        t.onAnyAuthenticatedPacketReceived(nowNs);
        t.onAnyAuthenticatedPacketTraversal(nowNs);
        if (data) {
            t.onDataReceived(nowNs);
        }
        if (k.isInitiator() && peer.keypairs().current() == k
                && nowNs - k.createdNs() >= ProtocolConstants.REKEY_LAST_MINUTE_AGE_NS
                && t.claimLastMinuteHandshake()) {
            ctx.control().request(p, PeerPipeline.REQUEST_HANDSHAKE);
        }
    }

    @Override
    public void flush() {
        if (pendingCount > 0) {
            writePending();
        }
    }

    private void writePending() {
        if (activePool >= 0) {
            final PacketBatch b = batchesByPool[activePool];
            final int n = b.count();
            if (n > 0) {
                tunByPool[activePool].write(b);
                int ok = 0;
                long bytes = 0;
                for (int i = 0; i < n; i++) {
                    if (b.result(i) >= 0) {
                        ok++;
                        bytes += b.length(i);
                    }
                }
                counters.delivered(ok, bytes);
                if (ok < n) {
                    counters.drop(PipelineDrop.TUN_WRITE_FAILED, n - ok);
                }
                b.clear();
            }
        }
        for (int i = 0; i < pendingCount; i++) {
            pending[i].recycle();
            pending[i] = null;
        }
        pendingCount = 0;
    }
}
