/**
 * Denial-of-service defences for the handshake path: {@link io.jwg.wg.ratelimit.LoadDetector}
 * ("under load", held for 1 s) and {@link io.jwg.wg.ratelimit.HandshakeRateLimiter} (per-source token
 * bucket, 20/s with bursts of 5; IPv4 per address, IPv6 per /64).
 */
package io.jwg.wg.ratelimit;
