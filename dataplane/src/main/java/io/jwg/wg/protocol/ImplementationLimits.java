package io.jwg.wg.protocol;

/**
 * Implementation limits of the protocol core: values the whitepaper leaves to the implementation,
 * taken from the Linux kernel unless a comment says otherwise. Spec constants are in
 * {@link ProtocolConstants}.
 */
public final class ImplementationLimits {
    private ImplementationLimits() {
    }

    /** Packets held per peer while waiting for a session; the oldest is dropped (kernel, go). */
    public static final int MAX_STAGED_PACKETS = 128;
    /** Handshake messages a device queues before dropping (kernel 4096; wireguard-go 1024). */
    public static final int MAX_QUEUED_INCOMING_HANDSHAKES = 4096;
    /** Handshake backlog at which the device is "under load" (kernel: queue length / 8). */
    public static final int UNDER_LOAD_HANDSHAKE_THRESHOLD = MAX_QUEUED_INCOMING_HANDSHAKES / 8;
    /** How long the device stays under load after the condition last held (kernel, go: 1 s). */
    public static final long UNDER_LOAD_AFTER_TIME_NS = 1_000_000_000L;
    /** Token bucket refill rate of the per-source handshake rate limiter (kernel, go). */
    public static final int RATELIMIT_PACKETS_PER_SECOND = 20;
    /** Token bucket depth of the per-source handshake rate limiter (kernel, go). */
    public static final int RATELIMIT_PACKETS_BURSTABLE = 5;
    /** Entries of the rate limiter are dropped after this idle time (kernel: 1 s GC period). */
    public static final long RATELIMIT_ENTRY_IDLE_NS = 1_000_000_000L;
    /** Maximum number of sources tracked by the rate limiter per family (kernel: 8 x 8192). */
    public static final int RATELIMIT_MAX_ENTRIES = 8 * 8192;
    /** Maximum number of peers per device (kernel 2^20). */
    public static final int MAX_PEERS = 1 << 20;
    /** Default tunnel MTU: 1500 - 40 (IPv6) - 8 (UDP) - 32 (WireGuard) (kernel, go). */
    public static final int DEFAULT_MTU = 1420;
    /** Largest datagram accepted (wireguard-go {@code MaxSegmentSize}). */
    public static final int MAX_MESSAGE_LENGTH = 65535;
}
