package io.jwg.wg.noise;

import io.jwg.wg.peer.Peer;

/**
 * Index-table entry for a handshake in flight: the sender index of one initiation or response we
 * sent. A new entry (and index) is made for every (re)try; when the session is derived the keypair
 * takes the entry's place under the same index. Immutable.
 */
public final class HandshakeEntry implements IndexTable.Entry {
    private final int localIndex;
    private final Peer peer;

    /** An entry for {@code peer} under {@code localIndex}. */
    public HandshakeEntry(final int localIndex, final Peer peer) {
        this.localIndex = localIndex;
        this.peer = peer;
    }

    @Override
    public int localIndex() {
        return localIndex;
    }

    /** The peer whose handshake this is. */
    public Peer peer() {
        return peer;
    }
}
