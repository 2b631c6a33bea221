package io.jwg.wg.stats;

/**
 * Why a packet was dropped. Every drop in the protocol core is counted under exactly one reason;
 * {@link #id()} and {@link #label()} are stable and meant for export (UAPI, metrics).
 */
public enum DropReason {
    /** Datagram shorter than its type requires, or a handshake message of the wrong size. */
    BAD_LENGTH(1, "rx_bad_length"),
    /** Type word not 1..4 (also catches non-zero reserved bytes). */
    BAD_TYPE(2, "rx_bad_type"),
    /** mac1 of a handshake message does not verify. */
    BAD_MAC1(3, "rx_bad_mac1"),
    /** Under load and mac2 missing or wrong: answered with a cookie reply, not processed. */
    COOKIE_REQUIRED(4, "rx_cookie_required"),
    /** Under load, valid mac2, but the source exceeded its handshake token bucket. */
    RATE_LIMITED(5, "rx_rate_limited"),
    /** Handshake message whose Noise decryption or DH failed (wrong keys, forged, low-order point). */
    HANDSHAKE_DECRYPT_FAILED(6, "rx_handshake_decrypt_failed"),
    /** Initiation from a static key that is not a configured peer. */
    UNKNOWN_PEER(7, "rx_unknown_peer"),
    /** Initiation whose TAI64N timestamp is not newer than the last accepted one. */
    HANDSHAKE_REPLAY(8, "rx_handshake_replay"),
    /** Initiation less than 1/INITIATIONS_PER_SECOND after the previous one from that peer. */
    HANDSHAKE_FLOOD(9, "rx_handshake_flood"),
    /** Receiver index that maps to nothing of the expected kind. */
    UNKNOWN_INDEX(10, "rx_unknown_index"),
    /** Response that does not match a handshake in "initiation created" state. */
    UNEXPECTED_HANDSHAKE_STATE(11, "rx_unexpected_handshake_state"),
    /** Cookie reply that does not decrypt, or arrives with no initiation/response sent. */
    BAD_COOKIE_REPLY(12, "rx_bad_cookie_reply"),
    /** Transport data under an expired, invalidated or exhausted keypair. */
    KEYPAIR_EXPIRED(13, "rx_keypair_expired"),
    /** Transport data whose Poly1305 tag does not verify. */
    BAD_TAG(14, "rx_bad_tag"),
    /** Transport counter already seen or too far behind the window, or at REJECT_AFTER_MESSAGES. */
    REPLAY(15, "rx_replay"),
    /** Decrypted inner packet is not a well-formed IPv4/IPv6 packet. */
    BAD_INNER_PACKET(16, "rx_bad_inner_packet"),
    /** Decrypted inner packet's source does not route back to the sending peer (crypto-RP filter). */
    SOURCE_NOT_ALLOWED(17, "rx_source_not_allowed"),
    /** Outbound packet whose destination matches no peer's AllowedIPs. */
    NO_ROUTE(18, "tx_no_route"),
    /** Outbound packet for a peer with no endpoint. */
    NO_ENDPOINT(19, "tx_no_endpoint"),
    /** Outbound packet dropped because the staging queue was full (oldest dropped). */
    STAGED_OVERFLOW(20, "tx_staged_overflow"),
    /** Staged packets discarded when a handshake gave up or keys were wiped. */
    STAGED_PURGED(21, "tx_staged_purged"),
    /** Outbound packet not a valid IPv4/IPv6 packet or longer than the output buffer allows. */
    BAD_OUTBOUND_PACKET(22, "tx_bad_packet"),
    /** No private key configured, or the peer's static-static DH is zero: no handshake possible. */
    NO_IDENTITY(23, "no_identity"),
    /** The interface is down: nothing is sent or received. */
    INTERFACE_DOWN(24, "interface_down");

    private final int id;
    private final String label;

    DropReason(final int id, final String label) {
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
