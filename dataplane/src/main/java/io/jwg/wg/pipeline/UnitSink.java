package io.jwg.wg.pipeline;

/**
 * Receives the units of one peer in enqueue order from {@link PeerOrderedQueue#drain}; one instance
 * per thread that may drain (a crypto worker, or an ingress stage that had to kill a unit), called
 * only by that thread while it holds the peer's drain claim.
 *
 * <p>Between the first {@link #onReleased} of a claim and the {@link #flush()} that ends it the sink
 * may batch output, but it must have written everything out when {@code flush} returns: the claim
 * is given up right after, and another thread may then release the peer's next units. That is what
 * keeps per-peer order on the wire and on the TUN without a reorder buffer.
 *
 * @param <U> unit type
 */
public interface UnitSink<U extends Unit> {
    /**
     * Takes ownership of a released unit whose state is {@link Unit#CRYPTED} or {@link Unit#DEAD};
     * the sink must eventually {@link Unit#recycle()} it. Must not throw.
     */
    void onReleased(U unit);

    /** Writes out everything batched since the last flush; called before the claim is released. */
    void flush();
}
