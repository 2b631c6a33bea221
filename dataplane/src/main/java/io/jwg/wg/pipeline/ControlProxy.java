package io.jwg.wg.pipeline;

/**
 * How data-path threads (TUN reader, UDP receivers, crypto workers' sinks) ask the control thread
 * for work on a peer; any thread calls {@link #request}, only the control thread calls
 * {@link #poll}. Allocation-free: request bits live on the peer and a peer is queued once while it
 * has pending bits, so the queue never holds a peer twice.
 */
public final class ControlProxy {
    private final ManyToManyArrayQueue<PeerPipeline> pending;
    private final Doorbell doorbell;

    /**
     * Creates a proxy.
     *
     * @param capacity queued peers at most; a request that finds it full stays pending on the peer
     *     and is picked up by the conductor's periodic scan
     * @param doorbell rung when a peer is queued (the control thread sleeps on it)
     */
    public ControlProxy(final int capacity, final Doorbell doorbell) {
        this.pending = new ManyToManyArrayQueue<>(capacity);
        this.doorbell = doorbell;
    }

    /** Raises request bits ({@link PeerPipeline#REQUEST_HANDSHAKE}...) for {@code peer}; any thread. */
    public void request(final PeerPipeline peer, final int bits) {
        if (peer.addRequests(bits) == 0) {
            if (pending.offer(peer)) {
                doorbell.ring(1);
            }
        }
    }

    /** Next peer with pending requests, or null; control thread only. */
    public PeerPipeline poll() {
        return pending.poll();
    }

    /** Whether peers are queued (racy). */
    public boolean hasWork() {
        return !pending.isEmpty();
    }

    /** The doorbell the control thread sleeps on. */
    public Doorbell doorbell() {
        return doorbell;
    }
}
