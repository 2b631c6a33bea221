package io.jwg.wg.stats;

/** Countable protocol events that are not drops; stable ids and labels like {@link DropReason}. */
public enum CounterEvent {
    /** Handshake initiations created (first attempts and retries). */
    HANDSHAKE_INITIATION_SENT(1, "tx_handshake_initiation"),
    /** Handshake responses created. */
    HANDSHAKE_RESPONSE_SENT(2, "tx_handshake_response"),
    /** Cookie replies created (under load). */
    COOKIE_REPLY_SENT(3, "tx_cookie_reply"),
    /** Valid initiations consumed. */
    HANDSHAKE_INITIATION_RECEIVED(4, "rx_handshake_initiation"),
    /** Valid responses consumed. */
    HANDSHAKE_RESPONSE_RECEIVED(5, "rx_handshake_response"),
    /** Valid cookie replies consumed. */
    COOKIE_REPLY_RECEIVED(6, "rx_cookie_reply"),
    /** Transport messages sent (data and keepalives). */
    DATA_SENT(7, "tx_data"),
    /** Keepalives sent. */
    KEEPALIVE_SENT(8, "tx_keepalive"),
    /** Transport messages accepted (data and keepalives). */
    DATA_RECEIVED(9, "rx_data"),
    /** Keepalives accepted. */
    KEEPALIVE_RECEIVED(10, "rx_keepalive"),
    /** Handshakes given up after REKEY_ATTEMPT_TIME. */
    HANDSHAKE_GAVE_UP(11, "handshake_gave_up"),
    /** Key material wiped by the zero-key timer. */
    KEYS_ZEROED(12, "keys_zeroed"),
    /** Sessions confirmed (initiator: response consumed; responder: first packet under "next"). */
    SESSION_CONFIRMED(13, "session_confirmed");

    private final int id;
    private final String label;

    CounterEvent(final int id, final String label) {
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
