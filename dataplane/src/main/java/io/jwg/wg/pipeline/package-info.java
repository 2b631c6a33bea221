/**
 * Generic concurrency pieces of the data path, independent of WireGuard: the shared bounded crypto
 * queue ({@link io.jwg.wg.pipeline.ManyToManyArrayQueue}), the unit of work
 * ({@link io.jwg.wg.pipeline.Unit}) and its pool, the per-peer ordered queue with head-completer
 * release ({@link io.jwg.wg.pipeline.PeerOrderedQueue}, {@link io.jwg.wg.pipeline.UnitSink}), the
 * crypto worker, and the Agrona-shaped agent runtime ({@link io.jwg.wg.pipeline.Agent},
 * {@link io.jwg.wg.pipeline.IdleStrategy}, {@link io.jwg.wg.pipeline.AgentRunner},
 * {@link io.jwg.wg.pipeline.Doorbell}).
 *
 * <p>How order is kept (kernel {@code queueing.h}, wireguard-go {@code send.go}): a stage assigns
 * order (nonces on send, arrival on receive), enqueues the unit on the peer's
 * {@link io.jwg.wg.pipeline.PeerOrderedQueue} first and on the crypto queue second; any worker
 * crypts it and publishes CRYPTED or DEAD; the worker that finds the peer's head finished claims the
 * peer's drain and releases consecutive finished units to its own sink, flushing before it gives the
 * claim up. The full argument is on {@link io.jwg.wg.pipeline.PeerOrderedQueue#enqueue}.
 */
package io.jwg.wg.pipeline;
