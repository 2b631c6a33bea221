package io.jwg.wg.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Public key to peer (kernel {@code pubkey_hashtable}). Lookups are lock-free and may run on any
 * thread; {@link #add} and {@link #remove} are {@code synchronized} (configuration thread).
 * {@link #list()} returns a snapshot in the order peers were added.
 */
public final class PeerTable {
    private static final Peer[] NONE = new Peer[0];

    private final ConcurrentHashMap<PeerKey, Peer> peers = new ConcurrentHashMap<>();
    /** Copy-on-write snapshot in insertion order, for iteration without allocation. */
    private volatile Peer[] snapshot = NONE;

    /** The peer with this public key, or null. */
    public Peer lookup(final PeerKey key) {
        return peers.get(key);
    }

    /** The peer whose public key is the 32 bytes at {@code off} of {@code key}, or null. */
    public Peer lookup(final byte[] key, final int off) {
        return peers.get(PeerKey.of(key, off));
    }

    /**
     * Adds {@code peer}.
     *
     * @return false if a peer with the same key exists (nothing changed)
     */
    public synchronized boolean add(final Peer peer) {
        if (peers.putIfAbsent(peer.publicKey(), peer) != null) {
            return false;
        }
        final Peer[] old = snapshot;
        final Peer[] next = java.util.Arrays.copyOf(old, old.length + 1);
        next[old.length] = peer;
        snapshot = next;
        return true;
    }

    /** Removes and returns the peer with this key, or null. */
    public synchronized Peer remove(final PeerKey key) {
        final Peer p = peers.remove(key);
        if (p != null) {
            final Peer[] old = snapshot;
            final Peer[] next = new Peer[old.length - 1];
            int j = 0;
            for (final Peer q : old) {
                if (q != p) {
                    next[j++] = q;
                }
            }
            snapshot = next;
        }
        return p;
    }

    /** A snapshot of all peers in the order they were added (a copy). */
    public List<Peer> list() {
        return new ArrayList<>(List.of(snapshot));
    }

    /**
     * The current snapshot array, in the order peers were added, without copying: iterate it, never
     * modify it. Any thread.
     */
    public Peer[] snapshot() {
        return snapshot;
    }

    /** Number of peers. */
    public int size() {
        return peers.size();
    }
}
