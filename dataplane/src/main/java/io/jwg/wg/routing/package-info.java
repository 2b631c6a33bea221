/**
 * Cryptokey routing: {@link io.jwg.wg.routing.AllowedIps} maps IPv4/IPv6 prefixes to peers with
 * longest-prefix match ({@code lookupDst} for TX routing, {@code lookupSrc} for the RX source check,
 * which must equal the decrypting peer). Lookups are lock-free and allocation-free and read the
 * address straight from a packet segment; updates are serialized.
 */
package io.jwg.wg.routing;
