package io.jwg.wg.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The configured (not runtime) state of one peer: immutable.
 *
 * @param publicKey              the peer's static public key, never null
 * @param presharedKey           the PSK, or {@code null} for none (an all-zero key is normalized to
 *                               {@code null}, as UAPI defines it)
 * @param endpoint               the configured endpoint, or {@code null}; the running endpoint may
 *                               differ after roaming ({@link PeerRuntime#endpoint()})
 * @param persistentKeepaliveSec persistent keepalive interval in seconds, 0..65535, 0 = off
 * @param allowedIps             normalized prefixes in insertion order, no duplicates
 */
public record PeerConfig(Key publicKey, Key presharedKey, Endpoint endpoint, int persistentKeepaliveSec,
                         List<IpPrefix> allowedIps) {

    /** Largest persistent keepalive interval UAPI accepts (a u16). */
    public static final int MAX_PERSISTENT_KEEPALIVE_SEC = 0xffff;

    /** Validates and normalizes; throws {@link IllegalArgumentException} on a programmer error. */
    public PeerConfig {
        Objects.requireNonNull(publicKey, "publicKey");
        if (presharedKey != null && presharedKey.isZero()) {
            presharedKey = null;
        }
        if (persistentKeepaliveSec < 0 || persistentKeepaliveSec > MAX_PERSISTENT_KEEPALIVE_SEC) {
            throw new IllegalArgumentException("persistent keepalive out of range: " + persistentKeepaliveSec);
        }
        allowedIps = List.copyOf(allowedIps);
        if (allowedIps.size() > 1 && new HashSet<>(allowedIps).size() != allowedIps.size()) {
            throw new IllegalArgumentException("duplicate allowed IP in " + allowedIps);
        }
    }

    /** A peer with only its public key set (what UAPI's {@code public_key=} line creates). */
    public static PeerConfig of(final Key publicKey) {
        return new PeerConfig(publicKey, null, null, 0, List.of());
    }

    /** True if a non-zero preshared key is set. */
    public boolean hasPresharedKey() {
        return presharedKey != null;
    }

    /** This peer with another PSK ({@code null} or zero = none). */
    public PeerConfig withPresharedKey(final Key psk) {
        return new PeerConfig(publicKey, psk, endpoint, persistentKeepaliveSec, allowedIps);
    }

    /** This peer with another configured endpoint ({@code null} = none). */
    public PeerConfig withEndpoint(final Endpoint ep) {
        return new PeerConfig(publicKey, presharedKey, ep, persistentKeepaliveSec, allowedIps);
    }

    /** This peer with another persistent keepalive interval. */
    public PeerConfig withPersistentKeepaliveSec(final int sec) {
        return new PeerConfig(publicKey, presharedKey, endpoint, sec, allowedIps);
    }

    /** This peer with another allowed-IP list (must hold no duplicates). */
    public PeerConfig withAllowedIps(final List<IpPrefix> ips) {
        return new PeerConfig(publicKey, presharedKey, endpoint, persistentKeepaliveSec, ips);
    }

    /** Never prints the preshared key. */
    @Override
    public String toString() {
        return "PeerConfig[publicKey=" + publicKey.toBase64() + ", presharedKey=" + (hasPresharedKey() ? "(set)" : "(none)")
            + ", endpoint=" + endpoint + ", persistentKeepaliveSec=" + persistentKeepaliveSec
            + ", allowedIps=" + allowedIps + "]";
    }
}
