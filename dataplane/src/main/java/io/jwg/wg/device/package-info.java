/**
 * The device: wiring of the {@code tx/} and {@code rx/} stages and the control thread around one
 * protocol core ({@link io.jwg.wg.device.DataPlane}), the I/O seams the stages use
 * ({@link io.jwg.wg.device.Tun}/{@link io.jwg.wg.device.TunBatchIo}, {@link io.jwg.wg.device.Bind}
 * over bindings' {@code UdpBatchIo}), and their in-memory doubles for tests and benchmarks
 * ({@link io.jwg.wg.device.ChannelTun}, {@link io.jwg.wg.device.ChannelBind} on a
 * {@link io.jwg.wg.device.ChannelNetwork}).
 *
 * <p>Threads of one device: TUN reader (1), UDP receivers (1 per socket family), crypto workers
 * (N, default one per core; each also does ordered release for the peers whose head unit it
 * completes), control thread (1: handshake worker and timer conductor). No thread per peer.
 */
package io.jwg.wg.device;
