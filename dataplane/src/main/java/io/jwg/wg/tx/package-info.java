/**
 * Outbound flow, TUN to UDP (kernel {@code send.c}, wireguard-go {@code send.go}); classes appear in
 * this order:
 *
 * <ol>
 *   <li><b>Read</b> - sequential, one thread: {@link io.jwg.wg.tx.TunReader} reads a batch of IP
 *       packets into TX pool slots (with 16 bytes of headroom for the transport header).</li>
 *   <li><b>Route</b> - sequential, same thread: {@link io.jwg.wg.tx.TunReader} looks the destination
 *       up in AllowedIPs and appends the packet's slot, without copying, to that peer's open
 *       {@link io.jwg.wg.tx.TxUnit}; a peer's packets stay in arrival order.</li>
 *   <li><b>Nonce assignment</b> - sequential per producer: {@link io.jwg.wg.tx.TxStager} takes the
 *       peer's current keypair and one run of consecutive counters for the whole unit, then enqueues
 *       the unit on the peer's ordered TX queue first and on the shared crypto queue second. No
 *       usable keypair (or older packets still staged): the packets are copied into the peer's
 *       staging queue (128, drop oldest) and the control thread is asked for a handshake or a flush.
 *       The control thread is the second producer: datagrams the protocol core seals on its thread
 *       (staged packets, keepalives) enter the same queue as presealed units.</li>
 *   <li><b>Encryption</b> - parallel, N crypto workers: {@link io.jwg.wg.pipeline.CryptoWorker} runs
 *       {@link io.jwg.wg.tx.TxUnit#crypt()} (pad, header, {@code ChaCha20Poly1305.sealBatch} in
 *       place) and publishes CRYPTED with a release store.</li>
 *   <li><b>Transmission</b> - sequential per peer, on whichever worker completes the peer's head
 *       unit: the peer's drain claim releases every consecutive finished unit to that worker's
 *       {@link io.jwg.wg.tx.UdpSender}, which sends them with one batched send per family before the
 *       claim is given up, then runs the send timers and counts bytes once per claim.</li>
 * </ol>
 *
 * <p>Order: a peer's datagrams leave in nonce-assignment order without a reorder buffer; the
 * argument is on {@link io.jwg.wg.pipeline.PeerOrderedQueue#enqueue}. Every queue and pool is
 * bounded; when full, packets are dropped and counted ({@link io.jwg.wg.pipeline.PipelineDrop}).
 */
package io.jwg.wg.tx;
