package io.jwg.wg.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The difference between two configuration snapshots, in the shape a device applies it: device
 * fields that changed, peers removed, peers added, peers updated in place. Immutable.
 *
 * <p>Two facts a plain diff cannot see are carried explicitly (see {@link DeviceConfigEditor}):
 * <ul>
 *   <li>{@code recreatedPeers}: present before and after but removed and created again in between
 *       (e.g. {@code replace_peers=true} then the same peer). As in the kernel and wireguard-go
 *       they lose their sessions: such a peer appears in both {@link #removedPeers()} and
 *       {@link #addedPeers()}, never in {@link #updatedPeers()}.</li>
 *   <li>{@code endpointSetPeers}: an {@code endpoint=} was given even if equal to the configured
 *       value; the device must then override an endpoint learned by roaming (§1.12).</li>
 * </ul>
 * Apply order that keeps invariants: remove, then update, then add.
 */
public final class ConfigChange {

    private final DeviceConfig previous;
    private final DeviceConfig next;
    private final List<Key> removedPeers;
    private final List<PeerConfig> addedPeers;
    private final List<PeerUpdate> updatedPeers;

    /**
     * @param previous         the running configuration the change was computed against
     * @param next             the configuration to run afterwards
     * @param recreatedPeers   keys removed and created again within the change
     * @param endpointSetPeers keys whose endpoint was explicitly set
     */
    public ConfigChange(final DeviceConfig previous, final DeviceConfig next, final Set<Key> recreatedPeers,
                        final Set<Key> endpointSetPeers) {
        this.previous = Objects.requireNonNull(previous, "previous");
        this.next = Objects.requireNonNull(next, "next");
        final Set<Key> recreated = Set.copyOf(recreatedPeers);
        final Set<Key> endpointSet = Set.copyOf(endpointSetPeers);
        final List<Key> removed = new ArrayList<>();
        final List<PeerUpdate> updated = new ArrayList<>();
        for (final PeerConfig before : previous.peers()) {
            final PeerConfig after = next.peer(before.publicKey());
            if (after == null || recreated.contains(before.publicKey())) {
                removed.add(before.publicKey());
            } else {
                final boolean epSet = endpointSet.contains(before.publicKey()) && after.endpoint() != null;
                if (!before.equals(after) || epSet) {
                    updated.add(new PeerUpdate(before, after, epSet));
                }
            }
        }
        final List<PeerConfig> added = new ArrayList<>();
        final Set<Key> removedSet = new HashSet<>(removed);
        for (final PeerConfig after : next.peers()) {
            if (previous.peer(after.publicKey()) == null || removedSet.contains(after.publicKey())) {
                added.add(after);
            }
        }
        this.removedPeers = Collections.unmodifiableList(removed);
        this.addedPeers = Collections.unmodifiableList(added);
        this.updatedPeers = Collections.unmodifiableList(updated);
    }

    /** A plain diff between two snapshots (no peer re-created, no endpoint explicitly set). */
    public static ConfigChange between(final DeviceConfig previous, final DeviceConfig next) {
        return new ConfigChange(previous, next, Set.of(), Set.of());
    }

    /** The configuration the change starts from. */
    public DeviceConfig previous() {
        return previous;
    }

    /** The configuration after the change. */
    public DeviceConfig next() {
        return next;
    }

    /** True if the private key (and so the public key) differs. */
    public boolean privateKeyChanged() {
        return !Objects.equals(previous.privateKey(), next.privateKey());
    }

    /** True if the configured listen port differs. */
    public boolean listenPortChanged() {
        return previous.listenPort() != next.listenPort();
    }

    /** True if the fwmark differs. */
    public boolean fwmarkChanged() {
        return previous.fwmark() != next.fwmark();
    }

    /** Keys of peers to remove (in previous order), including re-created ones. */
    public List<Key> removedPeers() {
        return removedPeers;
    }

    /** Peers to create (in next order), including re-created ones. */
    public List<PeerConfig> addedPeers() {
        return addedPeers;
    }

    /** Peers kept with changed fields, or with an explicitly set endpoint (in previous order). */
    public List<PeerUpdate> updatedPeers() {
        return updatedPeers;
    }

    /** True if applying this change would do nothing. */
    public boolean isEmpty() {
        return !privateKeyChanged() && !listenPortChanged() && !fwmarkChanged()
            && removedPeers.isEmpty() && addedPeers.isEmpty() && updatedPeers.isEmpty();
    }

    @Override
    public String toString() {
        return "ConfigChange[privateKey=" + privateKeyChanged() + ", listenPort=" + listenPortChanged()
            + ", fwmark=" + fwmarkChanged() + ", removed=" + removedPeers.size() + ", added=" + addedPeers.size()
            + ", updated=" + updatedPeers.size() + "]";
    }

    /**
     * One peer kept across the change, with what changed.
     *
     * @param before      its previous configuration
     * @param after       its next configuration
     * @param endpointSet true if {@code endpoint=} was given (override a roamed endpoint)
     */
    public record PeerUpdate(PeerConfig before, PeerConfig after, boolean endpointSet) {

        /** The peer's public key. */
        public Key publicKey() {
            return after.publicKey();
        }

        /** True if the PSK differs (takes effect at the next handshake, §1.9). */
        public boolean presharedKeyChanged() {
            return !Objects.equals(before.presharedKey(), after.presharedKey());
        }

        /** True if the device must (re)set the peer's running endpoint to {@code after.endpoint()}. */
        public boolean endpointChanged() {
            return endpointSet || !Objects.equals(before.endpoint(), after.endpoint());
        }

        /** True if the persistent keepalive interval differs. */
        public boolean persistentKeepaliveChanged() {
            return before.persistentKeepaliveSec() != after.persistentKeepaliveSec();
        }

        /** True if persistent keepalive goes from off to on: send one keepalive now (§1.8, go {@code pkaOn}). */
        public boolean persistentKeepaliveTurnedOn() {
            return before.persistentKeepaliveSec() == 0 && after.persistentKeepaliveSec() != 0;
        }

        /** Prefixes this peer gains. */
        public List<IpPrefix> addedAllowedIps() {
            final Set<IpPrefix> old = new HashSet<>(before.allowedIps());
            return after.allowedIps().stream().filter(ip -> !old.contains(ip)).toList();
        }

        /** Prefixes this peer loses (possibly to another peer). */
        public List<IpPrefix> removedAllowedIps() {
            final Set<IpPrefix> now = new HashSet<>(after.allowedIps());
            return before.allowedIps().stream().filter(ip -> !now.contains(ip)).toList();
        }
    }
}
