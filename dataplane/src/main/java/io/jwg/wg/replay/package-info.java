/**
 * {@link io.jwg.wg.replay.ReplayWindow}: the 8192-bit anti-replay window (RFC 6479) with the kernel's
 * {@code counter_validate} semantics; single consumer (the per-peer ordered receive stage).
 */
package io.jwg.wg.replay;
