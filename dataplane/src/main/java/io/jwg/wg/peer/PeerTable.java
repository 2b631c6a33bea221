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
    private final ConcurrentHashMap<PeerKey, Peer> peers = new ConcurrentHashMap<>();
    private final List<Peer> order = new ArrayList<>();

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
        order.add(peer);
        return true;
    }

    /** Removes and returns the peer with this key, or null. */
    public synchronized Peer remove(final PeerKey key) {
        final Peer p = peers.remove(key);
        if (p != null) {
            order.remove(p);
        }
        return p;
    }

    /** A snapshot of all peers in the order they were added. */
    public synchronized List<Peer> list() {
        return new ArrayList<>(order);
    }

    /** Number of peers. */
    public int size() {
        return peers.size();
    }
}
