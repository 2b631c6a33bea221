package io.jwg.wg.core;

import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;

import java.lang.foreign.MemorySegment;

/**
 * Where {@link DeviceCore} puts its results. The bytes passed are valid only during the call (the
 * core reuses its buffers): copy or send them before returning. Called on the thread that called
 * into the core, while it holds the device; an implementation must not call back into the same
 * device synchronously (queue instead), or the core's own bookkeeping for the message being sent
 * would run after the reply to it.
 */
public interface Output {
    /**
     * Sends one UDP datagram.
     *
     * @param peer        the peer it is for, or null for a cookie reply (which goes to the source of
     *                    the message it answers, not to a peer)
     * @param destination where to send it; may carry a cached local source to send from. For a peer
     *                    it is the peer's (frozen) endpoint; for a cookie reply it is the source the
     *                    core was given, possibly a mutable instance valid only during the call
     */
    void sendDatagram(Peer peer, Endpoint destination, MemorySegment seg, long off, int length);

    /** Writes one decrypted, validated inner IP packet to the TUN device. */
    void deliverToTun(MemorySegment seg, long off, int length);
}
