package io.jwg.wg.uapi;

import io.jwg.wg.config.ConfigChange;
import io.jwg.wg.config.DeviceConfig;
import io.jwg.wg.config.DeviceConfigEditor;
import io.jwg.wg.config.Endpoint;
import io.jwg.wg.config.IpPrefix;
import io.jwg.wg.config.IpText;
import io.jwg.wg.config.Key;
import io.jwg.wg.config.PublicKeyFunction;

import java.util.List;

/**
 * Interprets the lines of one {@code set=1} request against a configuration snapshot and returns
 * the resulting {@link ConfigChange}, or the errno of the first bad line. Pure: nothing is
 * applied here, so a request that fails anywhere changes nothing (stricter than wireguard-go,
 * which applies each line as it reads it).
 *
 * <p>Keys (https://www.wireguard.com/xplatform/, protocol.md §1.15; behaviour of wireguard-go
 * {@code device/uapi.go} where the spec is silent):
 * <ul>
 *   <li>device section, before the first {@code public_key}: {@code private_key} (hex; all-zero
 *       removes; stored clamped; a peer with the new own public key is removed),
 *       {@code listen_port} (decimal u16), {@code fwmark} (decimal u32, 0 = off),
 *       {@code replace_peers} (only {@code true});</li>
 *   <li>{@code public_key} starts a peer section and creates the peer if missing; a key equal to
 *       the device's own public key selects a placeholder whose lines are checked but ignored;</li>
 *   <li>peer section: {@code update_only} (only {@code true}; if this section created the peer,
 *       it is dropped again and the section ignored), {@code remove} (only {@code true}; the
 *       rest of the section is ignored), {@code preshared_key} (hex; all-zero removes),
 *       {@code endpoint} ({@code ip:port}, {@code [ip6]:port}), {@code persistent_keepalive_interval}
 *       (decimal u16), {@code replace_allowed_ips} (only {@code true}), {@code allowed_ip}
 *       ({@code addr/bits}; a leading {@code -} removes the prefix if this peer owns it),
 *       {@code protocol_version} (only {@code 1}).</li>
 * </ul>
 * Errors: {@link UapiErrno#EPROTO} for a line without {@code '='}, {@link UapiErrno#EINVAL} for
 * any unknown key (device keys after a {@code public_key} are unknown peer keys) or bad value.
 * Values are matched exactly: no whitespace trimming, as in wireguard-go.
 */
public final class UapiSet {

    private UapiSet() {
    }

    /**
     * What a set request amounts to.
     *
     * @param errno      0 on success, else the positive errno of the first failing line
     * @param change     the change to apply on success, else {@code null}
     * @param lineNumber 1-based number of the failing line within the request (after {@code set=1}), 0 on success
     * @param message    human-readable reason for logs, empty on success
     */
    public record Outcome(int errno, ConfigChange change, int lineNumber, String message) {

        /** True if the request is valid. */
        public boolean ok() {
            return errno == 0;
        }

        static Outcome failure(final int errno, final int lineNumber, final String message) {
            return new Outcome(errno, null, lineNumber, message);
        }
    }

    /**
     * Interprets {@code lines} (the request without {@code set=1}, without newlines and without
     * the terminating blank line) against {@code current}.
     *
     * @param keys derives the own public key from a new private key
     */
    public static Outcome interpret(final List<String> lines, final DeviceConfig current, final PublicKeyFunction keys) {
        final Interpreter in = new Interpreter(current.edit(), keys);
        for (int i = 0; i < lines.size(); i++) {
            final String error = in.line(lines.get(i));
            if (error != null) {
                return Outcome.failure(in.errno, i + 1, error);
            }
        }
        return new Outcome(0, in.editor.change(), 0, "");
    }

    /** Per-request state; the error text is returned, its errno left in {@link #errno}. */
    private static final class Interpreter {
        private final DeviceConfigEditor editor;
        private final PublicKeyFunction keys;
        private boolean deviceSection = true;
        /** The peer being configured; {@code null} in a placeholder ("dummy") section. */
        private DeviceConfigEditor.PeerEditor peer;
        /** True if the current section's {@code public_key} line created the peer. */
        private boolean created;
        private int errno;

        Interpreter(final DeviceConfigEditor editor, final PublicKeyFunction keys) {
            this.editor = editor;
            this.keys = keys;
        }

        String line(final String line) {
            final int eq = line.indexOf('=');
            if (eq < 0) {
                return fail(UapiErrno.EPROTO, "failed to parse line " + quote(line));
            }
            final String key = line.substring(0, eq);
            final String value = line.substring(eq + 1);
            if (key.equals("public_key")) {
                deviceSection = false;
                return publicKey(value);
            }
            return deviceSection ? deviceLine(key, value) : peerLine(key, value);
        }

        private String deviceLine(final String key, final String value) {
            switch (key) {
                case "private_key" -> {
                    final Key k = Key.parseHex(value);
                    if (k == null) {
                        return invalid("failed to set private_key: not 64 hex digits");
                    }
                    if (k.isZero()) {
                        editor.privateKey(null, null);
                    } else {
                        final Key clamped = k.clampedAsPrivateKey();
                        if (!clamped.equals(editor.privateKey())) {
                            editor.privateKey(clamped, keys.publicKey(clamped));
                        }
                    }
                }
                case "listen_port" -> {
                    final long port = IpText.parseUnsigned(value, 0, value.length(), 0xffff);
                    if (port < 0) {
                        return invalid("failed to parse listen_port " + quote(value));
                    }
                    editor.listenPort((int) port);
                }
                case "fwmark" -> {
                    final long mark = IpText.parseUnsigned(value, 0, value.length(), 0xffff_ffffL);
                    if (mark < 0) {
                        return invalid("invalid fwmark " + quote(value));
                    }
                    editor.fwmark((int) mark);
                }
                case "replace_peers" -> {
                    if (!value.equals("true")) {
                        return invalid("failed to set replace_peers, invalid value " + quote(value));
                    }
                    editor.removeAllPeers();
                }
                default -> {
                    return invalid("invalid UAPI device key " + quote(key));
                }
            }
            return null;
        }

        private String publicKey(final String value) {
            final Key k = Key.parseHex(value);
            if (k == null) {
                return invalid("failed to get peer by public key " + quote(value));
            }
            created = false;
            if (k.equals(editor.publicKey())) {
                peer = null;        // the device's own key: ignore this section
                return null;
            }
            peer = editor.peer(k);
            if (peer == null) {
                peer = editor.createPeer(k);
                if (peer == null) {
                    return invalid("failed to create new peer: limit of " + DeviceConfig.MAX_PEERS + " peers reached");
                }
                created = true;
            }
            return null;
        }

        private String peerLine(final String key, final String value) {
            switch (key) {
                case "update_only" -> {
                    if (!value.equals("true")) {
                        return invalid("failed to set update only, invalid value " + quote(value));
                    }
                    if (created && peer != null) {
                        editor.removePeer(peer.publicKey());
                        peer = null;
                    }
                }
                case "remove" -> {
                    if (!value.equals("true")) {
                        return invalid("failed to set remove, invalid value " + quote(value));
                    }
                    if (peer != null) {
                        editor.removePeer(peer.publicKey());
                        peer = null;
                    }
                }
                case "preshared_key" -> {
                    final Key psk = Key.parseHex(value);
                    if (psk == null) {
                        return invalid("failed to set preshared key: not 64 hex digits");
                    }
                    if (peer != null) {
                        peer.presharedKey(psk);
                    }
                }
                case "endpoint" -> {
                    final Endpoint ep = Endpoint.parse(value);
                    if (ep == null) {
                        return invalid("failed to set endpoint " + quote(value));
                    }
                    if (peer != null) {
                        peer.endpoint(ep);
                    }
                }
                case "persistent_keepalive_interval" -> {
                    final long sec = IpText.parseUnsigned(value, 0, value.length(), 0xffff);
                    if (sec < 0) {
                        return invalid("failed to set persistent keepalive interval " + quote(value));
                    }
                    if (peer != null) {
                        peer.persistentKeepaliveSec((int) sec);
                    }
                }
                case "replace_allowed_ips" -> {
                    if (!value.equals("true")) {
                        return invalid("failed to replace allowedips, invalid value " + quote(value));
                    }
                    if (peer != null) {
                        peer.clearAllowedIps();
                    }
                }
                case "allowed_ip" -> {
                    final boolean remove = value.startsWith("-");
                    final IpPrefix ip = IpPrefix.parse(value, remove ? 1 : 0, value.length());
                    if (ip == null) {
                        return invalid("failed to set allowed ip " + quote(value));
                    }
                    if (peer != null) {
                        if (remove) {
                            peer.removeAllowedIp(ip);
                        } else {
                            peer.addAllowedIp(ip);
                        }
                    }
                }
                case "protocol_version" -> {
                    if (!value.equals("1")) {
                        return invalid("invalid protocol version " + quote(value));
                    }
                }
                default -> {
                    return invalid("invalid UAPI peer key " + quote(key));
                }
            }
            return null;
        }

        private String invalid(final String message) {
            return fail(UapiErrno.EINVAL, message);
        }

        private String fail(final int code, final String message) {
            errno = code;
            return message;
        }

        /** Quotes client text for a log line, bounded and with control characters escaped. */
        private static String quote(final String s) {
            final StringBuilder sb = new StringBuilder("\"");
            final int n = Math.min(s.length(), 80);
            for (int i = 0; i < n; i++) {
                final char c = s.charAt(i);
                if (c < 0x20 || c >= 0x7f) {
                    sb.append(String.format("\\x%02x", (int) c & 0xff));
                } else {
                    sb.append(c);
                }
            }
            if (s.length() > n) {
                sb.append("...");
            }
            return sb.append('"').toString();
        }
    }
}
