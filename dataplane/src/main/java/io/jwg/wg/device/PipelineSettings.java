package io.jwg.wg.device;

/**
 * Sizes and thread counts of one device's pipeline (implementation knobs, not spec constants), each
 * overridable by a system property {@code jwg.pipeline.<name>}. Immutable.
 *
 * @param workers crypto worker threads (default: available processors)
 * @param unitCapacity packets per unit (one peer, one keypair)
 * @param unitsPerPool units per ingress thread (TUN reader, each UDP receiver); with
 *     {@code unitCapacity} this bounds the packets in flight and the slots each pool holds
 * @param batchSize packets per TUN read / UDP receive / send batch
 * @param cryptoQueueCapacity units the shared crypto queue holds (kernel MAX_QUEUED_PACKETS is per packet)
 * @param peerQueueUnits units one peer's TX or RX queue holds
 * @param handshakeQueueCapacity handshake messages queued (kernel 4096)
 * @param slotSize bytes per packet slot: headroom + largest packet + tailroom
 * @param ioTimeoutNs how long a TUN read or UDP receive waits before the agent loops
 * @param tickPeriodNs longest time between two timer ticks of the control thread
 * @param backlogUnits units one ingress agent may have in flight before it pauses reading (at most
 *     {@code peerQueueUnits}, so one busy peer meets backpressure before its queue limit)
 * @param inlineUnitPackets units of at most this many packets are crypted by the ingress thread
 *     itself when no work is queued (saves a thread hand-off at light load; 0 disables)
 */
public record PipelineSettings(int workers, int unitCapacity, int unitsPerPool, int batchSize,
                               int cryptoQueueCapacity, int peerQueueUnits, int handshakeQueueCapacity,
                               int slotSize, long ioTimeoutNs, long tickPeriodNs, int backlogUnits,
                               int inlineUnitPackets) {
    /** Property name prefix. */
    public static final String PROP_PREFIX = "jwg.pipeline.";
    /** Default packets per unit. */
    public static final int UNIT_CAPACITY_DEFAULT = 32;
    /** Default units per ingress pool. */
    public static final int UNITS_PER_POOL_DEFAULT = 128;
    /** Default I/O batch. */
    public static final int BATCH_SIZE_DEFAULT = 64;
    /** Default units per peer queue. */
    public static final int PEER_QUEUE_UNITS_DEFAULT = 64;
    /** Default handshake queue (kernel MAX_QUEUED_INCOMING_HANDSHAKES). */
    public static final int HANDSHAKE_QUEUE_DEFAULT = 4096;
    /** Default slot size: fits MTU 1420 + 16 headroom + 32 tailroom with room to spare. */
    public static final int SLOT_SIZE_DEFAULT = 2048;
    /** Default I/O wait. */
    public static final long IO_TIMEOUT_NS_DEFAULT = 100_000_000L;
    /** Default largest unit crypted inline by an ingress thread at light load. */
    public static final int INLINE_UNIT_PACKETS_DEFAULT = 4;
    /** Default tick period. */
    public static final long TICK_PERIOD_NS_DEFAULT = 50_000_000L;

    /** Validates the values. */
    public PipelineSettings {
        if (workers < 1 || unitCapacity < 1 || unitsPerPool < 1 || batchSize < unitCapacity
            || cryptoQueueCapacity < 2 || peerQueueUnits < 1 || handshakeQueueCapacity < 2 || slotSize < 256
            || ioTimeoutNs < 0 || tickPeriodNs < 1 || backlogUnits < 1 || backlogUnits > peerQueueUnits
            || backlogUnits > unitsPerPool || inlineUnitPackets < 0) {
            throw new IllegalArgumentException("bad pipeline settings: " + this);
        }
        if ((long) unitsPerPool * unitCapacity + 4L * batchSize + 256 > 65536) {
            throw new IllegalArgumentException("pool would exceed 65536 slots: " + this);
        }
    }

    /** Defaults, each overridable by {@code -Djwg.pipeline.<name>=value}. */
    public static PipelineSettings defaults() {
        final int units = Integer.getInteger(PROP_PREFIX + "unitsPerPool", UNITS_PER_POOL_DEFAULT);
        final int workers = Integer.getInteger(PROP_PREFIX + "workers", Runtime.getRuntime().availableProcessors());
        return new PipelineSettings(
            workers,
            Integer.getInteger(PROP_PREFIX + "unitCapacity", UNIT_CAPACITY_DEFAULT),
            units,
            Integer.getInteger(PROP_PREFIX + "batchSize", BATCH_SIZE_DEFAULT),
            Integer.getInteger(PROP_PREFIX + "cryptoQueueCapacity", 4 * units),
            Integer.getInteger(PROP_PREFIX + "peerQueueUnits", PEER_QUEUE_UNITS_DEFAULT),
            Integer.getInteger(PROP_PREFIX + "handshakeQueueCapacity", HANDSHAKE_QUEUE_DEFAULT),
            Integer.getInteger(PROP_PREFIX + "slotSize", SLOT_SIZE_DEFAULT),
            Long.getLong(PROP_PREFIX + "ioTimeoutNs", IO_TIMEOUT_NS_DEFAULT),
            Long.getLong(PROP_PREFIX + "tickPeriodNs", TICK_PERIOD_NS_DEFAULT),
            Integer.getInteger(PROP_PREFIX + "backlogUnits", backlogDefault(workers)),
            Integer.getInteger(PROP_PREFIX + "inlineUnitPackets", INLINE_UNIT_PACKETS_DEFAULT));
    }

    /** Several units per worker: enough to keep every worker busy, little enough to bound latency. */
    static int backlogDefault(final int workers) {
        return Math.min(PEER_QUEUE_UNITS_DEFAULT, Math.max(16, 8 * workers));
    }

    /** A copy with {@code n} workers. */
    public PipelineSettings withWorkers(final int n) {
        return new PipelineSettings(n, unitCapacity, unitsPerPool, batchSize, cryptoQueueCapacity, peerQueueUnits,
            handshakeQueueCapacity, slotSize, ioTimeoutNs, tickPeriodNs,
            backlogUnits == backlogDefault(workers) ? backlogDefault(n) : backlogUnits, inlineUnitPackets);
    }

    /** A copy with run-to-completion for units of at most {@code packets} packets (0: never). */
    public PipelineSettings withInlineUnitPackets(final int packets) {
        return new PipelineSettings(workers, unitCapacity, unitsPerPool, batchSize, cryptoQueueCapacity,
            peerQueueUnits, handshakeQueueCapacity, slotSize, ioTimeoutNs, tickPeriodNs, backlogUnits, packets);
    }

    /** Slots an ingress pool needs: what its units can hold plus two batches in transit. */
    public int slotsPerIngressPool() {
        return unitsPerPool * unitCapacity + 4 * batchSize;
    }
}
