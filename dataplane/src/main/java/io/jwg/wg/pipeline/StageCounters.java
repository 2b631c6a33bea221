package io.jwg.wg.pipeline;

import io.jwg.wg.stats.CounterEvent;
import io.jwg.wg.stats.Counters;
import io.jwg.wg.stats.DropReason;

/**
 * One thread's data-path statistics, written only by its owner (a stage agent or a worker's sinks)
 * and read racily by anyone summing them: protocol drops ({@link Counters}), pipeline drops
 * ({@link PipelineDrop}), and packet/byte totals. The fast path never writes a shared cache line.
 */
public final class StageCounters {
    private static final PipelineDrop[] PIPELINE = PipelineDrop.values();

    private final Counters protocol = new Counters();
    private final long[] pipeline = new long[PIPELINE.length];
    private long txPackets;
    private long txBytes;
    private long rxPackets;
    private long rxBytes;

    /** Counts a protocol drop; owner only. */
    public void drop(final DropReason reason) {
        protocol.drop(reason);
    }

    /** Counts {@code n} protocol drops; owner only. */
    public void drop(final DropReason reason, final int n) {
        for (int i = 0; i < n; i++) {
            protocol.drop(reason);
        }
    }

    /** Counts a protocol event; owner only. */
    public void event(final CounterEvent event) {
        protocol.event(event);
    }

    /** Occurrences of a protocol event. */
    public long get(final CounterEvent event) {
        return protocol.get(event);
    }

    /** Counts a pipeline drop; owner only. */
    public void drop(final PipelineDrop reason) {
        pipeline[reason.ordinal()]++;
    }

    /** Counts {@code n} pipeline drops; owner only. */
    public void drop(final PipelineDrop reason, final int n) {
        pipeline[reason.ordinal()] += n;
    }

    /** Counts transport datagrams sent and their bytes; owner only. */
    public void sent(final int packets, final long bytes) {
        txPackets += packets;
        txBytes += bytes;
    }

    /** Counts inner packets delivered to the TUN and their bytes; owner only. */
    public void delivered(final int packets, final long bytes) {
        rxPackets += packets;
        rxBytes += bytes;
    }

    /** The protocol drop counters (owner writes; others read racily). */
    public Counters protocol() {
        return protocol;
    }

    /** Pipeline drops under {@code reason}. */
    public long get(final PipelineDrop reason) {
        return pipeline[reason.ordinal()];
    }

    /** Protocol drops under {@code reason}. */
    public long get(final DropReason reason) {
        return protocol.get(reason);
    }

    /** Transport datagrams sent. */
    public long txPackets() {
        return txPackets;
    }

    /** Bytes of transport datagrams sent. */
    public long txBytes() {
        return txBytes;
    }

    /** Inner packets written to the TUN. */
    public long rxPackets() {
        return rxPackets;
    }

    /** Bytes of inner packets written to the TUN. */
    public long rxBytes() {
        return rxBytes;
    }

    /** Adds this instance into {@code sum}. */
    public void addTo(final StageCounters sum) {
        protocol.addTo(sum.protocol);
        for (int i = 0; i < pipeline.length; i++) {
            sum.pipeline[i] += pipeline[i];
        }
        sum.txPackets += txPackets;
        sum.txBytes += txBytes;
        sum.rxPackets += rxPackets;
        sum.rxBytes += rxBytes;
    }

    /** Sum of pipeline drops. */
    public long totalPipelineDrops() {
        long s = 0;
        for (final long v : pipeline) {
            s += v;
        }
        return s;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("StageCounters{tx=").append(txPackets).append('/').append(txBytes)
            .append("B, rx=").append(rxPackets).append('/').append(rxBytes).append("B");
        for (final PipelineDrop d : PIPELINE) {
            if (pipeline[d.ordinal()] != 0) {
                b.append(", ").append(d.label()).append('=').append(pipeline[d.ordinal()]);
            }
        }
        return b.append(", ").append(protocol).append('}').toString();
    }
}
