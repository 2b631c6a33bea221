package io.jwg.wg.noise;

/** Life cycle of a peer's handshake (kernel {@code noise_handshake_state}). */
public enum HandshakeState {
    /** Nothing in progress; no secrets held. */
    ZEROED,
    /** We sent an initiation and wait for the response. */
    CREATED_INITIATION,
    /** We consumed an initiation and will answer it. */
    CONSUMED_INITIATION,
    /** We sent a response; a keypair is derived from it next. */
    CREATED_RESPONSE,
    /** We consumed a response; a keypair is derived from it next. */
    CONSUMED_RESPONSE
}
