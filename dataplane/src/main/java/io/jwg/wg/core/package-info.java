/**
 * The sans-I/O device. {@link io.jwg.wg.core.DeviceCore} takes bytes and the current time
 * ({@code onTunPacket}, {@code onDatagram}, {@code tick}) and emits datagrams and inner packets
 * through {@link io.jwg.wg.core.Output}; it also carries the configuration operations UAPI needs.
 * {@link io.jwg.wg.core.TransportCodec} (encapsulate / decapsulate in place) and
 * {@link io.jwg.wg.core.InnerPacket} are the stateless pieces a parallel pipeline calls from its
 * workers. Time comes in as {@code nowNs} (a {@link io.jwg.wg.core.NanoClock} reading) plus an
 * injected {@link io.jwg.wg.core.WallClock} for TAI64N and last-handshake times.
 *
 * <p>Outbound order (per packet): route by destination; no usable session: stage and initiate;
 * else take the next counter, pad, seal, send; timers; rekey if the counter or age says so.
 * Inbound order: length/type; index lookup; key age; open; replay window; key confirmation (next
 * to current, send staged); roaming; timers; keepalive stops here; inner checks; AllowedIPs source
 * check; deliver.
 */
package io.jwg.wg.core;
