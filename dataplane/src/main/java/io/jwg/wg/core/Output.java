package io.jwg.wg.core;

import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;

import java.lang.foreign.MemorySegment;

/**
 * Where {@link DeviceCore} puts its results. The bytes passed are valid only during the call (the
 * core reuses its buffers): copy or send them before returning. Called on the thread that called
 * into the core.
 */
public interface Output {
    /**
     * Sends one UDP datagram.
     *
     * @param peer        the peer it is for, or null for a cookie reply (which goes to the source of
     *                    the message it answers, not to a peer)
     * @param destination where to send it (frozen); may carry a cached local source to send from
     */
    void sendDatagram(Peer peer, Endpoint destination, MemorySegment seg, long off, int length);

    /** Writes one decrypted, validated inner IP packet to the TUN device. */
    void deliverToTun(MemorySegment seg, long off, int length);
}
