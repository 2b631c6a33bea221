package io.jwg.wg.ratelimit;

import io.jwg.wg.protocol.ImplementationLimits;

/**
 * Decides whether the device is "under load" (kernel {@code wg_receive_handshake_packet}): when the
 * handshake backlog reaches a threshold, and for {@link ImplementationLimits#UNDER_LOAD_AFTER_TIME_NS}
 * after the last time it did. Under load, handshakes need a valid mac2 (a cookie) and pass the
 * per-source rate limiter. {@code synchronized}; called by handshake workers.
 *
 * <p>A pipeline reports its real handshake queue depth. A caller with no queue (the single-threaded
 * {@link io.jwg.wg.core.DeviceCore}) reports the number of handshake messages received in the
 * current one-second window instead ({@link #onHandshakeMessage}), so a flood of handshakes trips the
 * same threshold.
 */
public final class LoadDetector {
    private final int threshold;
    private long lastUnderLoadNs;
    private boolean everUnderLoad;
    private long windowStartNs;
    private int windowCount;
    private boolean windowStarted;
    private boolean forced;

    /** A detector with the kernel's threshold (MAX_QUEUED_INCOMING_HANDSHAKES / 8). */
    public LoadDetector() {
        this(ImplementationLimits.UNDER_LOAD_HANDSHAKE_THRESHOLD);
    }

    /** A detector that trips at {@code threshold} queued (or per-second) handshakes. */
    public LoadDetector(final int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold " + threshold);
        }
        this.threshold = threshold;
    }

    /** Reports the current handshake queue depth and returns whether the device is under load. */
    public synchronized boolean underLoad(final int queueDepth, final long nowNs) {
        if (forced || queueDepth >= threshold) {
            lastUnderLoadNs = nowNs;
            everUnderLoad = true;
            return true;
        }
        return everUnderLoad && nowNs - lastUnderLoadNs < ImplementationLimits.UNDER_LOAD_AFTER_TIME_NS;
    }

    /**
     * Counts one received handshake message in the current one-second window and returns whether the
     * device is under load, treating the window's count as the queue depth.
     */
    public synchronized boolean onHandshakeMessage(final long nowNs) {
        if (!windowStarted || nowNs - windowStartNs >= 1_000_000_000L) {
            windowStarted = true;
            windowStartNs = nowNs;
            windowCount = 0;
        }
        windowCount++;
        return underLoad(windowCount, nowNs);
    }

    /** Forces the under-load state on or off (operations and tests); off returns to measuring. */
    public synchronized void force(final boolean on) {
        forced = on;
    }
}
