package io.jwg.wg.device;

import io.jwg.wg.config.IpPrefix;
import io.jwg.wg.config.Key;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.PeerKey;
import io.jwg.wg.routing.Prefix;

/**
 * Converts between the configuration model ({@code io.jwg.wg.config}, what UAPI speaks) and the
 * protocol core's types. Stateless.
 */
final class ConfigMapping {
    private ConfigMapping() {
    }

    static PeerKey peerKey(final Key k) {
        return PeerKey.of(k.toByteArray());
    }

    static Prefix prefix(final IpPrefix p) {
        return Prefix.fromBytes(p.address(), p.bits());
    }

    /**
     * The core endpoint for a configured one; an IPv4-mapped IPv6 address becomes IPv4, since the
     * IPv6 socket is IPv6-only and the IPv4 socket carries that traffic.
     */
    static Endpoint endpoint(final io.jwg.wg.config.Endpoint e) {
        if (e == null) {
            return null;
        }
        final byte[] a = e.address();
        if (a.length == 4) {
            return Endpoint.ofV4(beInt(a, 0), e.port());
        }
        if (isV4Mapped(a)) {
            return Endpoint.ofV4(beInt(a, 12), e.port());
        }
        return Endpoint.ofV6(beLong(a, 0), beLong(a, 8), e.port());
    }

    /** The configuration model's view of a core endpoint (allocates; UAPI get only). */
    static io.jwg.wg.config.Endpoint endpoint(final Endpoint e) {
        return e == null ? null : io.jwg.wg.config.Endpoint.of(e.toInetSocketAddress());
    }

    private static boolean isV4Mapped(final byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
    }

    private static int beInt(final byte[] b, final int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static long beLong(final byte[] b, final int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
