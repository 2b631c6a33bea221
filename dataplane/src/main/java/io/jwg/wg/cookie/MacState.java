package io.jwg.wg.cookie;

/** Outcome of checking mac1/mac2 of an incoming handshake message (kernel {@code cookie_mac_state}). */
public enum MacState {
    /** mac1 does not verify: drop silently. */
    INVALID_MAC,
    /** mac1 verifies; mac2 not checked (not under load) or missing/wrong (under load: send a cookie). */
    VALID_MAC_BUT_NO_COOKIE,
    /** mac1 and mac2 verify but the source exceeded its rate: drop. */
    VALID_MAC_WITH_COOKIE_BUT_RATELIMITED,
    /** mac1 and mac2 verify and the source is within its rate: process. */
    VALID_MAC_WITH_COOKIE
}
