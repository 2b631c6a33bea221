/**
 * The Noise_IKpsk2 handshake and session keys (whitepaper 5.4).
 *
 * <ul>
 *   <li>{@link io.jwg.wg.noise.SymmetricState} and {@link io.jwg.wg.noise.IkPsk2}: the Noise core,
 *       independent of WireGuard framing (the cacophony test vector runs through them).</li>
 *   <li>{@link io.jwg.wg.noise.NoiseHandshake}: WireGuard's create/consume initiation and response and
 *       {@code beginSession}; one instance per handshake thread (scratch), per-peer state locked on
 *       {@link io.jwg.wg.noise.Handshake}.</li>
 *   <li>{@link io.jwg.wg.noise.Keypair} (keys, atomic send counter, replay window, reference count) and
 *       {@link io.jwg.wg.noise.Keypairs} (previous / current / next with the responder's
 *       key-confirmation rule).</li>
 *   <li>{@link io.jwg.wg.noise.IndexTable}: receiver index to handshake or keypair, random
 *       collision-free indices, lock-free reads.</li>
 * </ul>
 */
package io.jwg.wg.noise;
