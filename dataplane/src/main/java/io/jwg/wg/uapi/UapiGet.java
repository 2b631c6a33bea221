package io.jwg.wg.uapi;

import io.jwg.wg.config.ConfigurableDevice;
import io.jwg.wg.config.DeviceConfig;
import io.jwg.wg.config.Endpoint;
import io.jwg.wg.config.IpPrefix;
import io.jwg.wg.config.Key;
import io.jwg.wg.config.PeerConfig;
import io.jwg.wg.config.PeerRuntime;

import java.util.function.Function;

/**
 * Renders the response to {@code get=1} (https://www.wireguard.com/xplatform/, protocol.md
 * §1.15) in wireguard-go's key order:
 * <pre>
 * private_key=&lt;hex&gt;            (only if set)
 * listen_port=&lt;u16&gt;            (only if non-zero: the bound port)
 * fwmark=&lt;u32&gt;                 (only if non-zero)
 * per peer, in configuration order:
 *   public_key=&lt;hex&gt;
 *   preshared_key=&lt;hex&gt;        (64 zeros when none)
 *   protocol_version=1
 *   endpoint=&lt;ip:port&gt;          (only if known; the running endpoint, which roaming may change)
 *   last_handshake_time_sec=&lt;n&gt; / last_handshake_time_nsec=&lt;n&gt;   (wall clock; 0/0 = never)
 *   tx_bytes=&lt;u64&gt; / rx_bytes=&lt;u64&gt;
 *   persistent_keepalive_interval=&lt;u16&gt;
 *   allowed_ip=&lt;prefix&gt;         (one line each, in insertion order)
 * errno=0
 * (blank line)
 * </pre>
 */
public final class UapiGet {

    private static final String ZERO_KEY_HEX = Key.ZERO.toHex();

    private UapiGet() {
    }

    /** The complete {@code get} response for a device, including the closing {@code errno=0} and blank line. */
    public static String render(final ConfigurableDevice device) {
        return render(device.config(), device.listenPortInUse(), device::runtime);
    }

    /**
     * The complete {@code get} response for a configuration snapshot.
     *
     * @param config          the configuration to list
     * @param listenPortInUse the bound port, or 0 to report the configured one
     * @param runtime         runtime state by peer key; may return {@code null} (then: never
     *                        handshaked, no bytes, configured endpoint)
     */
    public static String render(final DeviceConfig config, final int listenPortInUse,
                                final Function<Key, PeerRuntime> runtime) {
        final StringBuilder sb = new StringBuilder(256 + 320 * config.peers().size());
        if (config.hasPrivateKey()) {
            line(sb, "private_key", config.privateKey().toHex());
        }
        final int port = listenPortInUse != 0 ? listenPortInUse : config.listenPort();
        if (port != 0) {
            line(sb, "listen_port", Integer.toString(port));
        }
        if (config.fwmark() != 0) {
            line(sb, "fwmark", Integer.toUnsignedString(config.fwmark()));
        }
        for (final PeerConfig peer : config.peers()) {
            PeerRuntime rt = runtime.apply(peer.publicKey());
            if (rt == null) {
                rt = PeerRuntime.idle(peer.endpoint());
            }
            line(sb, "public_key", peer.publicKey().toHex());
            line(sb, "preshared_key", peer.hasPresharedKey() ? peer.presharedKey().toHex() : ZERO_KEY_HEX);
            line(sb, "protocol_version", "1");
            final Endpoint ep = rt.endpoint() != null ? rt.endpoint() : peer.endpoint();
            if (ep != null) {
                line(sb, "endpoint", ep.toString());
            }
            line(sb, "last_handshake_time_sec", Long.toString(rt.lastHandshakeEpochSec()));
            line(sb, "last_handshake_time_nsec", Long.toString(rt.lastHandshakeNanos()));
            line(sb, "tx_bytes", Long.toUnsignedString(rt.txBytes()));
            line(sb, "rx_bytes", Long.toUnsignedString(rt.rxBytes()));
            line(sb, "persistent_keepalive_interval", Integer.toString(peer.persistentKeepaliveSec()));
            for (final IpPrefix ip : peer.allowedIps()) {
                line(sb, "allowed_ip", ip.toString());
            }
        }
        sb.append("errno=0\n\n");
        return sb.toString();
    }

    private static void line(final StringBuilder sb, final String key, final String value) {
        sb.append(key).append('=').append(value).append('\n');
    }
}
