/**
 * mac1/mac2 and cookie replies (whitepaper 5.3, 5.4.4, 5.4.7): {@link io.jwg.wg.cookie.CookieChecker}
 * is the device's responder side (checks MACs, rotates its secret every 120 s, creates cookie
 * replies); {@link io.jwg.wg.cookie.PeerCookie} is the initiator side per peer (adds MACs, consumes
 * replies). Both are {@code synchronized}; the handshake path only.
 */
package io.jwg.wg.cookie;
