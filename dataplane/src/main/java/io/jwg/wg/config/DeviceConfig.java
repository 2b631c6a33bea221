package io.jwg.wg.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of a device's configuration: private key (or none), listen port, fwmark
 * and the peers in insertion order (the order {@code get} lists them, as the kernel does).
 *
 * <p>Invariants, checked on construction (violations are programmer errors and throw
 * {@link IllegalArgumentException}):
 * <ul>
 *   <li>private and public key are both present or both absent; the public key is the one
 *       derived from the private key by whoever built this snapshot ({@link PublicKeyFunction});</li>
 *   <li>peer public keys are unique and none equals the device's own public key (protocol.md
 *       §1.9, §1.15);</li>
 *   <li>an allowed-IP prefix belongs to at most one peer (inserting it elsewhere moves it, §1.13);</li>
 *   <li>at most {@link #MAX_PEERS} peers.</li>
 * </ul>
 * Change it through {@link #edit()}; compare two snapshots with {@link ConfigChange}.
 */
public final class DeviceConfig {

    /** Peer limit per device; the kernel's MAX_PEERS_PER_DEVICE (1 &lt;&lt; 20). */
    public static final int MAX_PEERS = 1 << 20;

    /** No key, port 0 (pick one), no fwmark, no peers: a fresh device. */
    public static final DeviceConfig EMPTY = new DeviceConfig(null, null, 0, 0, List.of(), Map.of());

    private final Key privateKey;
    private final Key publicKey;
    private final int listenPort;
    private final int fwmark;
    private final List<PeerConfig> peers;
    private final Map<Key, PeerConfig> peersByKey;

    private DeviceConfig(final Key privateKey, final Key publicKey, final int listenPort, final int fwmark,
                         final List<PeerConfig> peers, final Map<Key, PeerConfig> peersByKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.listenPort = listenPort;
        this.fwmark = fwmark;
        this.peers = peers;
        this.peersByKey = peersByKey;
    }

    /**
     * Builds a validated snapshot.
     *
     * @param privateKey the device private key, or {@code null} for none (must not be all-zero)
     * @param publicKey  the public key derived from {@code privateKey}; {@code null} iff it is
     * @param listenPort 0..65535, 0 = let the device pick
     * @param fwmark     the SO_MARK value as an unsigned 32-bit number held in an int; 0 = none
     * @param peers      peers in order
     */
    public static DeviceConfig of(final Key privateKey, final Key publicKey, final int listenPort, final int fwmark,
                                  final List<PeerConfig> peers) {
        if ((privateKey == null) != (publicKey == null)) {
            throw new IllegalArgumentException("private and public key must both be set or both be absent");
        }
        if (privateKey != null && privateKey.isZero()) {
            throw new IllegalArgumentException("an all-zero private key means none: pass null");
        }
        if (listenPort < 0 || listenPort > 0xffff) {
            throw new IllegalArgumentException("listen port out of range: " + listenPort);
        }
        if (peers.size() > MAX_PEERS) {
            throw new IllegalArgumentException("too many peers: " + peers.size());
        }
        final List<PeerConfig> copy = List.copyOf(peers);
        final Map<Key, PeerConfig> byKey = new HashMap<>(Math.max(16, copy.size() * 2));
        final Map<IpPrefix, Key> owners = new HashMap<>();
        for (final PeerConfig p : copy) {
            if (byKey.putIfAbsent(p.publicKey(), p) != null) {
                throw new IllegalArgumentException("duplicate peer " + p.publicKey().toBase64());
            }
            if (p.publicKey().equals(publicKey)) {
                throw new IllegalArgumentException("a peer has the device's own public key");
            }
            for (final IpPrefix ip : p.allowedIps()) {
                final Key other = owners.putIfAbsent(ip, p.publicKey());
                if (other != null) {
                    throw new IllegalArgumentException("allowed IP " + ip + " belongs to two peers");
                }
            }
        }
        return new DeviceConfig(privateKey, publicKey, listenPort, fwmark, copy, Collections.unmodifiableMap(byKey));
    }

    /** The private key (clamped), or {@code null} if none is set. */
    public Key privateKey() {
        return privateKey;
    }

    /** The device's own public key, or {@code null} if no private key is set. */
    public Key publicKey() {
        return publicKey;
    }

    /** True if a private key is set. */
    public boolean hasPrivateKey() {
        return privateKey != null;
    }

    /** Configured listen port; 0 = let the device choose (see {@link ConfigurableDevice#listenPortInUse()}). */
    public int listenPort() {
        return listenPort;
    }

    /** fwmark as an unsigned 32-bit value stored in an int ({@link Integer#toUnsignedString}); 0 = none. */
    public int fwmark() {
        return fwmark;
    }

    /** Peers in insertion order (unmodifiable). */
    public List<PeerConfig> peers() {
        return peers;
    }

    /** The peer with this public key, or {@code null}. */
    public PeerConfig peer(final Key publicKeyOfPeer) {
        return peersByKey.get(publicKeyOfPeer);
    }

    /** An editor starting from this snapshot. */
    public DeviceConfigEditor edit() {
        return new DeviceConfigEditor(this);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof DeviceConfig d && d.listenPort == listenPort && d.fwmark == fwmark
            && Objects.equals(d.privateKey, privateKey) && Objects.equals(d.publicKey, publicKey)
            && d.peers.equals(peers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(publicKey, listenPort, fwmark, peers);
    }

    /** Never prints the private key. */
    @Override
    public String toString() {
        return "DeviceConfig[publicKey=" + (publicKey == null ? "(none)" : publicKey.toBase64())
            + ", listenPort=" + listenPort + ", fwmark=" + Integer.toUnsignedString(fwmark)
            + ", peers=" + peers + "]";
    }

    /** Used by the editor: the peers as an ordered map (a fresh mutable copy). */
    LinkedHashMap<Key, Object> peersAsMutableMap() {
        final LinkedHashMap<Key, Object> m = new LinkedHashMap<>(Math.max(16, peers.size() * 2));
        for (final PeerConfig p : peers) {
            m.put(p.publicKey(), p);
        }
        return m;
    }
}
