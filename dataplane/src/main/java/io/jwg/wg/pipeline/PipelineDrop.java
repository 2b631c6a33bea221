package io.jwg.wg.pipeline;

/**
 * Why the pipeline (not the protocol) dropped a packet: bounded queues and pools that were full, and
 * I/O that failed. Complements {@link io.jwg.wg.stats.DropReason}, which counts protocol drops;
 * {@link #id()} and {@link #label()} are stable for export.
 */
public enum PipelineDrop {
    /** No free unit in the ingress thread's unit pool. */
    UNIT_POOL_EMPTY(101, "pl_unit_pool_empty"),
    /** The peer's ordered queue already held its limit of units. */
    PEER_QUEUE_FULL(102, "pl_peer_queue_full"),
    /** The shared crypto queue was full; the unit was released dead, in order. */
    CRYPTO_QUEUE_FULL(103, "pl_crypto_queue_full"),
    /** The bounded handshake queue was full. */
    HANDSHAKE_QUEUE_FULL(104, "pl_handshake_queue_full"),
    /** The keypair died between nonce assignment and use (keys wiped, peer removed). */
    KEYPAIR_GONE(105, "pl_keypair_gone"),
    /** The peer was removed while its packets were in flight. */
    PEER_REMOVED(106, "pl_peer_removed"),
    /** sendmmsg/io_uring send reported an error (or a full socket buffer) for the datagram. */
    UDP_SEND_FAILED(107, "pl_udp_send_failed"),
    /** The TUN write failed for the packet. */
    TUN_WRITE_FAILED(108, "pl_tun_write_failed"),
    /** A received datagram was longer than a packet slot. */
    TRUNCATED(109, "pl_truncated"),
    /** No packet slot was free to receive or stage into. */
    NO_SLOT(110, "pl_no_slot");

    private final int id;
    private final String label;

    PipelineDrop(final int id, final String label) {
        this.id = id;
        this.label = label;
    }

    /** Stable numeric id. */
    public int id() {
        return id;
    }

    /** Stable snake_case label. */
    public String label() {
        return label;
    }
}
