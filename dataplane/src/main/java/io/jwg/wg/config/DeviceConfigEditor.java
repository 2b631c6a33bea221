package io.jwg.wg.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A mutable working copy of a {@link DeviceConfig} with the editing operations UAPI {@code set}
 * needs, each keeping the snapshot invariants: owned by one thread, never shared.
 *
 * <p>Semantics follow the kernel and wireguard-go: setting a private key removes the peer whose
 * public key equals the new own public key; re-inserting an allowed IP that another peer owns
 * moves it; removing an allowed IP only removes it from the peer that owns it; a peer created
 * anew is appended at the end. The editor also records what a diff cannot see:
 * peers removed and re-created within the edit (their sessions must be reset) and peers whose
 * endpoint was explicitly set (it overrides a roamed endpoint even if the value is unchanged).
 *
 * <p>Untouched peers are not copied, so editing a large configuration costs time proportional to
 * the number of peers, not to the number of allowed IPs, unless allowed IPs are edited.
 */
public final class DeviceConfigEditor {

    private final DeviceConfig base;
    private Key privateKey;
    private Key publicKey;
    private int listenPort;
    private int fwmark;
    /** Values are either an untouched {@link PeerConfig} or a materialized {@link PeerEditor}. */
    private final LinkedHashMap<Key, Object> peers;
    /** prefix -> owning peer; built on the first allowed-IP edit, then kept current. */
    private Map<IpPrefix, Key> owners;
    private final Set<Key> removedFromBase = new HashSet<>();
    private final Set<Key> endpointSet = new HashSet<>();

    DeviceConfigEditor(final DeviceConfig base) {
        this.base = base;
        this.privateKey = base.privateKey();
        this.publicKey = base.publicKey();
        this.listenPort = base.listenPort();
        this.fwmark = base.fwmark();
        this.peers = base.peersAsMutableMap();
    }

    /** The snapshot this editor started from. */
    public DeviceConfig base() {
        return base;
    }

    /** The current own public key, or {@code null}. */
    public Key publicKey() {
        return publicKey;
    }

    /** The current private key, or {@code null}. */
    public Key privateKey() {
        return privateKey;
    }

    /**
     * Sets the private key and its derived public key (both {@code null} to remove the key). A
     * peer whose public key equals the new own public key is removed (protocol.md §1.9).
     */
    public DeviceConfigEditor privateKey(final Key newPrivateKey, final Key newPublicKey) {
        if ((newPrivateKey == null) != (newPublicKey == null)) {
            throw new IllegalArgumentException("private and public key must both be set or both be null");
        }
        if (newPrivateKey != null && newPrivateKey.isZero()) {
            throw new IllegalArgumentException("an all-zero private key means none: pass null");
        }
        if (newPublicKey != null) {
            removePeer(newPublicKey);
        }
        this.privateKey = newPrivateKey;
        this.publicKey = newPublicKey;
        return this;
    }

    /** Sets the listen port (0..65535, 0 = pick one). */
    public DeviceConfigEditor listenPort(final int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("listen port out of range: " + port);
        }
        this.listenPort = port;
        return this;
    }

    /** Sets the fwmark (unsigned 32-bit value in an int; 0 = none). */
    public DeviceConfigEditor fwmark(final int mark) {
        this.fwmark = mark;
        return this;
    }

    /** Removes every peer (UAPI {@code replace_peers=true}). */
    public DeviceConfigEditor removeAllPeers() {
        for (final Key k : new ArrayList<>(peers.keySet())) {
            removePeer(k);
        }
        return this;
    }

    /** True if a peer with this key exists in the working copy. */
    public boolean hasPeer(final Key key) {
        return peers.containsKey(key);
    }

    /** The number of peers in the working copy. */
    public int peerCount() {
        return peers.size();
    }

    /** The editor of an existing peer, or {@code null} if there is none with this key. */
    public PeerEditor peer(final Key key) {
        final Object v = peers.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof PeerEditor e) {
            return e;
        }
        final PeerEditor e = new PeerEditor((PeerConfig) v);
        peers.put(key, e);
        return e;
    }

    /**
     * Appends a new peer with only its public key set and returns its editor, or returns
     * {@code null} if the device already has {@link DeviceConfig#MAX_PEERS} peers.
     *
     * @throws IllegalArgumentException if the peer exists or the key is the device's own public key
     */
    public PeerEditor createPeer(final Key key) {
        Objects.requireNonNull(key, "key");
        if (peers.containsKey(key)) {
            throw new IllegalArgumentException("peer exists");
        }
        if (key.equals(publicKey)) {
            throw new IllegalArgumentException("a peer cannot have the device's own public key");
        }
        if (peers.size() >= DeviceConfig.MAX_PEERS) {
            return null;
        }
        final PeerEditor e = new PeerEditor(PeerConfig.of(key));
        peers.put(key, e);
        return e;
    }

    /** Removes the peer and all its allowed IPs; returns false if there was no such peer. */
    public boolean removePeer(final Key key) {
        final Object v = peers.remove(key);
        if (v == null) {
            return false;
        }
        if (base.peer(key) != null) {
            removedFromBase.add(key);
        }
        if (v instanceof PeerEditor e) {
            e.removed = true;
        }
        if (owners != null) {
            for (final IpPrefix ip : allowedIpsOf(v)) {
                owners.remove(ip);
            }
        }
        return true;
    }

    /** A validated snapshot of the working copy. */
    public DeviceConfig build() {
        final List<PeerConfig> list = new ArrayList<>(peers.size());
        for (final Object v : peers.values()) {
            list.add(v instanceof PeerEditor e ? e.toConfig() : (PeerConfig) v);
        }
        return DeviceConfig.of(privateKey, publicKey, listenPort, fwmark, list);
    }

    /** The change from {@link #base()} to {@link #build()}, with re-created peers and explicit endpoint sets. */
    public ConfigChange change() {
        final DeviceConfig next = build();
        final Set<Key> recreated = new HashSet<>();
        for (final Key k : removedFromBase) {
            if (next.peer(k) != null) {
                recreated.add(k);
            }
        }
        final Set<Key> endpoints = new HashSet<>();
        for (final Key k : endpointSet) {
            if (next.peer(k) != null) {
                endpoints.add(k);
            }
        }
        return new ConfigChange(base, next, recreated, endpoints);
    }

    private static Iterable<IpPrefix> allowedIpsOf(final Object peer) {
        return peer instanceof PeerEditor e ? e.allowedIps : ((PeerConfig) peer).allowedIps();
    }

    private Map<IpPrefix, Key> owners() {
        if (owners == null) {
            owners = new HashMap<>();
            for (final Map.Entry<Key, Object> en : peers.entrySet()) {
                for (final IpPrefix ip : allowedIpsOf(en.getValue())) {
                    owners.put(ip, en.getKey());
                }
            }
        }
        return owners;
    }

    /** Mutable view of one peer inside the editor; invalid once the peer is removed. */
    public final class PeerEditor {
        private final Key publicKey;
        private Key presharedKey;
        private Endpoint endpoint;
        private int persistentKeepaliveSec;
        private final LinkedHashSet<IpPrefix> allowedIps;
        private boolean removed;

        private PeerEditor(final PeerConfig from) {
            this.publicKey = from.publicKey();
            this.presharedKey = from.presharedKey();
            this.endpoint = from.endpoint();
            this.persistentKeepaliveSec = from.persistentKeepaliveSec();
            this.allowedIps = new LinkedHashSet<>(from.allowedIps());
        }

        /** The peer's public key. */
        public Key publicKey() {
            return publicKey;
        }

        /** Sets the PSK ({@code null} or all-zero removes it). */
        public PeerEditor presharedKey(final Key psk) {
            live();
            this.presharedKey = psk == null || psk.isZero() ? null : psk;
            return this;
        }

        /** Sets the endpoint; recorded as an explicit set even if the value is unchanged. */
        public PeerEditor endpoint(final Endpoint ep) {
            live();
            this.endpoint = Objects.requireNonNull(ep, "endpoint");
            endpointSet.add(publicKey);
            return this;
        }

        /** Sets the persistent keepalive interval in seconds (0..65535, 0 = off). */
        public PeerEditor persistentKeepaliveSec(final int sec) {
            live();
            if (sec < 0 || sec > PeerConfig.MAX_PERSISTENT_KEEPALIVE_SEC) {
                throw new IllegalArgumentException("persistent keepalive out of range: " + sec);
            }
            this.persistentKeepaliveSec = sec;
            return this;
        }

        /** Removes all of this peer's allowed IPs (UAPI {@code replace_allowed_ips=true}). */
        public PeerEditor clearAllowedIps() {
            live();
            if (owners != null) {
                for (final IpPrefix ip : allowedIps) {
                    owners.remove(ip);
                }
            }
            allowedIps.clear();
            return this;
        }

        /** Adds a prefix at the end of this peer's list, taking it from another peer if owned there. */
        public PeerEditor addAllowedIp(final IpPrefix ip) {
            live();
            if (allowedIps.contains(ip)) {
                return this;
            }
            final Key owner = owners().get(ip);
            if (owner != null) {
                peer(owner).allowedIps.remove(ip);
            }
            allowedIps.add(ip);
            owners.put(ip, publicKey);
            return this;
        }

        /** Removes a prefix if this peer owns it (UAPI {@code allowed_ip=-...}); otherwise nothing. */
        public PeerEditor removeAllowedIp(final IpPrefix ip) {
            live();
            if (allowedIps.remove(ip) && owners != null) {
                owners.remove(ip);
            }
            return this;
        }

        private void live() {
            if (removed) {
                throw new IllegalStateException("peer was removed from the editor");
            }
        }

        private PeerConfig toConfig() {
            return new PeerConfig(publicKey, presharedKey, endpoint, persistentKeepaliveSec, List.copyOf(allowedIps));
        }
    }
}
