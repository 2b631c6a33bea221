/**
 * Per-peer state: {@link io.jwg.wg.peer.Peer} (handshake, keypairs, timers, cookie, staged packets,
 * endpoint, statistics), {@link io.jwg.wg.peer.PeerTable} (public key to peer),
 * {@link io.jwg.wg.peer.Endpoint} (mutable for I/O threads, frozen when stored; roaming allocates only
 * when the source changes) and {@link io.jwg.wg.peer.StagedPackets} (128 packets, oldest dropped).
 */
package io.jwg.wg.peer;
