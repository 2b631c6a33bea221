/**
 * Inbound flow, UDP to TUN (kernel {@code receive.c}, wireguard-go {@code receive.go}, protocol.md
 * 1.11); classes appear in this order:
 *
 * <ol>
 *   <li><b>Receive</b> - sequential, one thread per socket: {@link io.jwg.wg.rx.UdpReceiver} receives
 *       a batch of datagrams into its RX pool's slots.</li>
 *   <li><b>Classify</b> - sequential, same thread: the first four bytes as one little-endian word
 *       and the length decide. Types 1-3 are copied into the bounded
 *       {@link io.jwg.wg.rx.HandshakeQueue} ({@link io.jwg.wg.rx.HandshakeJob}) for the control thread,
 *       whose depth drives "under load"; a full queue drops. Type 4 looks up the receiver index to a
 *       keypair and its peer and is appended, without copying, to that peer's open
 *       {@link io.jwg.wg.rx.RxUnit} (one keypair, a contiguous run of the peer's arrivals).
 *       Everything else is dropped and counted.</li>
 *   <li><b>Hand-off</b> - same thread: each unit goes on the peer's ordered RX queue first, then on
 *       the shared crypto queue.</li>
 *   <li><b>Decryption</b> - parallel, N crypto workers: {@link io.jwg.wg.rx.RxUnit#crypt()} runs
 *       {@code ChaCha20Poly1305.openBatch} in place and records which packets authenticated; the
 *       worker publishes CRYPTED.</li>
 *   <li><b>Ordered receive</b> - sequential per peer, on whichever worker completes the peer's head
 *       unit: {@link io.jwg.wg.rx.TunWriter} applies, in order, the replay window, key confirmation
 *       (next becomes current), endpoint update from the outer source, receive timers and the
 *       last-minute rekey check, keepalive handling, inner IP validation with padding trim and the
 *       AllowedIPs source check, then writes the batch to the TUN before the claim is given up.</li>
 *   <li><b>Handshakes</b> - sequential, on the control thread: {@link io.jwg.wg.rx.HandshakeWorker}
 *       consumes the handshake queue through the protocol core (cookie replies under load,
 *       responses, session start); the timer conductor ({@code device.Conductor}) shares the thread.</li>
 * </ol>
 */
package io.jwg.wg.rx;
