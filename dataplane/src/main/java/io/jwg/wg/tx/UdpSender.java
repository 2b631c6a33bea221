package io.jwg.wg.tx;

import io.jwg.bindings.io.DatagramBatch;
import io.jwg.bindings.io.UdpBatchIo;
import io.jwg.wg.core.NanoClock;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.pipeline.PipelineDrop;
import io.jwg.wg.pipeline.StageCounters;
import io.jwg.wg.pipeline.Unit;
import io.jwg.wg.pipeline.UnitSink;
import io.jwg.wg.stats.DropReason;
import io.jwg.wg.timers.PeerTimers;

/**
 * Ordered transmission (outbound step 5, sequential per peer): the sink a crypto worker drains a
 * peer's TX queue into while it holds that peer's claim. Owner thread only (one per worker, with its
 * own UDP handles and send batches).
 *
 * <p>Sealed datagrams are appended to a send batch in place (no copy: the batch entries point into
 * the units' slots); {@link #flush()} sends them with one {@code sendmmsg}/io_uring submission per
 * family, then runs the peer's send-side timer events once for the claim (kernel calls them per
 * packet, wireguard-go per vector), adds the byte count once, and recycles the units. A claim covers
 * one peer, so all pending units belong to the same peer.
 */
public final class UdpSender implements UnitSink<Unit> {
    private final UdpBatchIo v4;
    private final UdpBatchIo v6;
    private final DatagramBatch batch4;
    private final DatagramBatch batch6;
    private final TxUnit[] pending;
    private final StageCounters counters;
    private final NanoClock clock;
    private int pendingCount;

    /**
     * Creates a sender.
     *
     * @param v4 handle on the IPv4 socket (receive slots unused), or null
     * @param v6 handle on the IPv6 socket, or null
     * @param batch4 send batch over the TX pool for v4 (null iff {@code v4} is), capacity at least one unit
     * @param batch6 send batch over the TX pool for v6 (null iff {@code v6} is)
     */
    public UdpSender(final UdpBatchIo v4, final DatagramBatch batch4, final UdpBatchIo v6, final DatagramBatch batch6,
                     final StageCounters counters, final NanoClock clock) {
        this.v4 = v4;
        this.v6 = v6;
        this.batch4 = batch4;
        this.batch6 = batch6;
        int cap = Math.max(batch4 == null ? 0 : batch4.capacity(), batch6 == null ? 0 : batch6.capacity());
        this.pending = new TxUnit[Math.max(1, cap)];
        this.counters = counters;
        this.clock = clock;
    }

    @Override
    public void onReleased(final Unit unit) {
        final TxUnit u = (TxUnit) unit;
        final int n = u.count();
        if (u.state() == Unit.DEAD) {
            // Counted where it died (crypto queue full, keypair gone).
            u.recycle();
            return;
        }
        final Peer peer = u.peer().peer();
        if (peer.isRemoved()) {
            counters.drop(PipelineDrop.PEER_REMOVED, n);
            u.recycle();
            return;
        }
        final Endpoint ep = peer.endpoint();
        final DatagramBatch b = ep == null ? null : ep.isV6() ? batch6 : batch4;
        if (b == null) {
            counters.drop(DropReason.NO_ENDPOINT, n);
            u.recycle();
            return;
        }
        if (b.capacity() - b.count() < n || pendingCount == pending.length) {
            sendPending();
        }
        final boolean isV6 = ep.isV6();
        for (int i = 0; i < n; i++) {
            final int e = b.add(-1, u.datagramOffset(i), u.datagramLength(i));
            if (isV6) {
                b.setRemoteIpv6(e, ep.addressHi(), ep.addressLo(), ep.port(), 0);
                if (ep.hasSource()) {
                    b.setLocalIpv6(e, ep.sourceHi(), ep.sourceLo(), ep.sourceIfIndex());
                }
            } else {
                b.setRemoteIpv4(e, ep.addressV4(), ep.port());
                if (ep.hasSource()) {
                    b.setLocalIpv4(e, (int) (ep.sourceHi() >>> 32), ep.sourceIfIndex());
                }
            }
        }
        pending[pendingCount++] = u;
    }

    @Override
    public void flush() {
        if (pendingCount > 0) {
            sendPending();
        }
    }

    private void sendPending() {
        send(v4, batch4);
        send(v6, batch6);
        final long nowNs = clock.nanoTime();
        Peer last = null;
        long bytes = 0;
        boolean data = false;
        for (int i = 0; i < pendingCount; i++) {
            final TxUnit u = pending[i];
            pending[i] = null;
            if (!u.presealed()) {
                // Presealed units were accounted by the protocol core when it sealed them.
                final Peer peer = u.peer().peer();
                if (peer != last) {
                    finishPeer(last, bytes, data, nowNs);
                    last = peer;
                    bytes = 0;
                    data = false;
                }
                bytes += u.wireBytes();
                data |= u.dataPackets() > 0;
            }
            u.recycle();
        }
        finishPeer(last, bytes, data, nowNs);
        pendingCount = 0;
    }

    private static void finishPeer(final Peer peer, final long bytes, final boolean data, final long nowNs) {
        if (peer == null) {
            return;
        }
        peer.addTxBytes(bytes);
        final PeerTimers t = peer.timers();
        t.onAnyAuthenticatedPacketSent(nowNs);
        t.onAnyAuthenticatedPacketTraversal(nowNs);
        if (data) {
            t.onDataSent(nowNs);
        }
    }

    private void send(final UdpBatchIo io, final DatagramBatch b) {
        if (b == null) {
            return;
        }
        final int n = b.count();
        if (n == 0) {
            return;
        }
        io.send(b);
        int ok = 0;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            if (b.result(i) >= 0) {
                ok++;
                bytes += b.length(i);
            }
        }
        counters.sent(ok, bytes);
        if (ok < n) {
            counters.drop(PipelineDrop.UDP_SEND_FAILED, n - ok);
        }
        b.clear();
    }
}
