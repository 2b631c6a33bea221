/**
 * {@link io.jwg.wg.timers.PeerTimers}: the five per-peer timers of whitepaper section 6 as event hooks
 * ({@code onDataSent}, {@code onAnyAuthenticatedPacketReceived}, ...) plus one decider
 * ({@code expire(nowNs)}) that returns the actions due. Polled; no timer threads.
 */
package io.jwg.wg.timers;
