package io.jwg.wg.pipeline;

import io.jwg.wg.peer.Peer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The pipeline's per-peer state, attached to a core {@link Peer}: its ordered TX and RX unit queues
 * and the control requests raised for it. Shared by all data-path threads: the queues document their
 * own producers/consumers; {@link #addRequests} is called by any thread, {@link #takeRequests} only
 * by the control thread.
 */
public final class PeerPipeline {
    /** The peer needs a new handshake (no usable keypair, rekey due, last-minute rekey). */
    public static final int REQUEST_HANDSHAKE = 1;
    /** A session became usable: send what is staged (or a keepalive for key confirmation). */
    public static final int REQUEST_FLUSH_STAGED = 1 << 1;
    /** Send a keepalive now. */
    public static final int REQUEST_KEEPALIVE = 1 << 2;

    private static final VarHandle REQUESTS;

    static {
        try {
            REQUESTS = MethodHandles.lookup().findVarHandle(PeerPipeline.class, "requests", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Peer peer;
    private final PeerOrderedQueue<Unit> tx;
    private final PeerOrderedQueue<Unit> rx;
    @SuppressWarnings("unused") // accessed through REQUESTS
    private volatile int requests;

    /** Creates the state for {@code peer} with queues of at most {@code queueUnits} units each. */
    public PeerPipeline(final Peer peer, final int queueUnits) {
        this.peer = peer;
        this.tx = new PeerOrderedQueue<>(queueUnits);
        this.rx = new PeerOrderedQueue<>(queueUnits);
    }

    /** The pipeline state attached to {@code peer}, or null if it has none. */
    public static PeerPipeline of(final Peer peer) {
        return peer.attachment() instanceof PeerPipeline p ? p : null;
    }

    /** The core peer. */
    public Peer peer() {
        return peer;
    }

    /** Ordered queue of outbound units (producers: TUN reader, control thread). */
    public PeerOrderedQueue<Unit> tx() {
        return tx;
    }

    /** Ordered queue of inbound units (producers: UDP receivers). */
    public PeerOrderedQueue<Unit> rx() {
        return rx;
    }

    /**
     * Adds request bits; any thread.
     *
     * @return the bits that were pending before (0 means the caller must enqueue the peer for the
     *     control thread)
     */
    public int addRequests(final int bits) {
        return (int) REQUESTS.getAndBitwiseOr(this, bits);
    }

    /** Takes and clears all pending request bits; control thread only. */
    public int takeRequests() {
        return (int) REQUESTS.getAndSet(this, 0);
    }

    /** Pending request bits (racy snapshot). */
    public int pendingRequests() {
        return requests;
    }

    @Override
    public String toString() {
        return "PeerPipeline{" + peer.publicKey() + "}";
    }
}
