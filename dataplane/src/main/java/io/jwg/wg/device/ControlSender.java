package io.jwg.wg.device;

import io.jwg.bindings.io.DatagramBatch;
import io.jwg.bindings.io.PacketPool;
import io.jwg.bindings.io.UdpBatchIo;
import io.jwg.wg.core.Output;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.pipeline.PeerPipeline;
import io.jwg.wg.pipeline.PipelineDrop;
import io.jwg.wg.pipeline.StageCounters;
import io.jwg.wg.pipeline.UnitPool;
import io.jwg.wg.protocol.MessageHeader;
import io.jwg.wg.protocol.ProtocolConstants;
import io.jwg.wg.tx.TxStager;
import io.jwg.wg.tx.TxUnit;
import java.lang.foreign.MemorySegment;

/**
 * The control thread's {@link Output}: datagrams the protocol core produces on the control thread
 * (handshake responses, initiations, cookie replies, keepalives and staged packets) are copied into
 * the agent's own small packet pool and batched until {@link #flush()} - except transport data
 * (staged packets, keepalives), which must not overtake the peer's units still being sealed in the
 * pipeline: each such datagram becomes a presealed one-packet unit enqueued on the peer's ordered TX
 * queue right away, before the core pops it from the staging queue (the TUN reader sends through
 * the pipeline only once staging is empty, so staged packets also stay ahead of newer ones). Owner
 * thread only.
 */
final class ControlSender implements Output {
    private final PacketPool pool;
    private final UdpBatchIo v4;
    private final UdpBatchIo v6;
    private final DatagramBatch batch4;
    private final DatagramBatch batch6;
    private final StageCounters counters;
    private final PacketPool txPool;
    private final UnitPool<TxUnit> txUnits;
    private final TxStager stager;

    /**
     * Creates the sender.
     *
     * @param txUnits one-packet units whose slot (in {@code txPool}) was assigned at construction
     * @param stager the control thread's stager (its own sink drains presealed units it releases)
     */
    ControlSender(final PacketPool pool, final UdpBatchIo v4, final UdpBatchIo v6, final int batchSize,
                  final StageCounters counters, final PacketPool txPool, final UnitPool<TxUnit> txUnits,
                  final TxStager stager) {
        this.txPool = txPool;
        this.txUnits = txUnits;
        this.stager = stager;
        this.pool = pool;
        this.v4 = v4;
        this.v6 = v6;
        this.batch4 = v4 == null ? null : new DatagramBatch(pool, batchSize);
        this.batch6 = v6 == null ? null : new DatagramBatch(pool, batchSize);
        this.counters = counters;
    }

    @Override
    public void sendDatagram(final Peer peer, final Endpoint destination, final MemorySegment seg, final long off,
                             final int length) {
        if (peer != null && MessageHeader.type(seg, off) == ProtocolConstants.MESSAGE_DATA) {
            sendThroughPeerQueue(peer, seg, off, length);
            return;
        }
        final DatagramBatch b = destination.isV6() ? batch6 : batch4;
        if (b == null || length > pool.slotSize()) {
            counters.drop(PipelineDrop.UDP_SEND_FAILED);
            return;
        }
        if (b.isFull()) {
            flush();
        }
        final int slot = pool.acquire();
        if (slot < 0) {
            counters.drop(PipelineDrop.NO_SLOT);
            return;
        }
        final long dst = pool.slotOffset(slot);
        MemorySegment.copy(seg, off, pool.memory(), dst, length);
        final int i = b.add(slot, dst, length);
        if (destination.isV6()) {
            b.setRemoteIpv6(i, destination.addressHi(), destination.addressLo(), destination.port(), 0);
            if (destination.hasSource()) {
                b.setLocalIpv6(i, destination.sourceHi(), destination.sourceLo(), destination.sourceIfIndex());
            }
        } else {
            b.setRemoteIpv4(i, destination.addressV4(), destination.port());
            if (destination.hasSource()) {
                b.setLocalIpv4(i, (int) (destination.sourceHi() >>> 32), destination.sourceIfIndex());
            }
        }
    }

    private void sendThroughPeerQueue(final Peer peer, final MemorySegment seg, final long off, final int length) {
        final PeerPipeline p = PeerPipeline.of(peer);
        if (p == null || length > txPool.slotSize() - TunBatchIo.HEADROOM) {
            counters.drop(PipelineDrop.PEER_REMOVED);
            return;
        }
        final TxUnit u = txUnits.acquire();
        if (u == null) {
            counters.drop(PipelineDrop.UNIT_POOL_EMPTY);
            return;
        }
        u.preseal(p, txPool.slotOffset(u.slots()[0]) + TunBatchIo.HEADROOM, seg, off, length);
        stager.submitPresealed(p, u);
    }

    @Override
    public void deliverToTun(final MemorySegment seg, final long off, final int length) {
        // Handshake and timer paths never deliver; transport data takes the pipeline.
        counters.drop(PipelineDrop.TUN_WRITE_FAILED);
    }

    /** Sends everything batched; owner thread. */
    void flush() {
        send(v4, batch4);
        send(v6, batch6);
    }

    private void send(final UdpBatchIo io, final DatagramBatch b) {
        if (b == null || b.count() == 0) {
            return;
        }
        io.send(b);
        int ok = 0;
        long bytes = 0;
        for (int i = 0; i < b.count(); i++) {
            if (b.result(i) >= 0) {
                ok++;
                bytes += b.length(i);
            }
        }
        counters.sent(ok, bytes);
        if (ok < b.count()) {
            counters.drop(PipelineDrop.UDP_SEND_FAILED, b.count() - ok);
        }
        b.clear();
    }

    void close() {
        if (batch4 != null) {
            batch4.clear();
        }
        if (batch6 != null) {
            batch6.clear();
        }
        if (v4 != null) {
            v4.close();
        }
        if (v6 != null) {
            v6.close();
        }
    }
}
