/**
 * Observability as counters: {@link io.jwg.wg.stats.DropReason} (every drop has exactly one, with a
 * stable id and label), {@link io.jwg.wg.stats.CounterEvent}, and {@link io.jwg.wg.stats.Counters}
 * (single writer per instance; sum per-thread instances with {@code addTo}).
 */
package io.jwg.wg.stats;
