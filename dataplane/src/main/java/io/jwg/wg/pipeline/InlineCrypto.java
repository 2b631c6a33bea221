package io.jwg.wg.pipeline;

/**
 * When an ingress stage (TUN reader, UDP receiver) crypts a unit itself instead of handing it to the
 * crypto workers; read by ingress threads only, immutable.
 *
 * <p>A hand-off costs a worker wake-up (unpark, then a CPU for the woken thread), and a packet
 * crosses two stages per direction, so on a busy host light traffic paid several scheduler
 * latencies per round trip (ping through jwg measured 2-20 ms under a load average of 10 on the
 * 2-core development machine, against 0.5 ms through wireguard-go). A small unit that finds the
 * crypto queue empty (no worker has a backlog to share) is therefore crypted and released on the
 * ingress thread: no hand-off, and ordering still holds because the unit is on its peer queue and
 * goes through the same publish-then-drain path as in a worker. Bulk traffic builds bigger units or
 * finds the queue non-empty and keeps the parallel workers.
 *
 * <p>System property {@code jwg.pipeline.inlineMaxPackets} (default 8; 0 turns inline crypto off).
 */
public final class InlineCrypto {
    /** Units of at most this many packets may be crypted inline. */
    public static final int MAX_PACKETS = Integer.getInteger("jwg.pipeline.inlineMaxPackets", 8);

    private InlineCrypto() {
    }

    /** True if a unit of {@code packets} should be crypted on the calling ingress thread now. */
    public static boolean shouldInline(final int packets, final ManyToManyArrayQueue<?> cryptoQueue) {
        return packets <= MAX_PACKETS && cryptoQueue.isEmpty();
    }
}
