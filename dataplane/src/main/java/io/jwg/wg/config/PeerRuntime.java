package io.jwg.wg.config;

/**
 * Runtime state of one peer as UAPI {@code get} reports it: immutable snapshot.
 *
 * @param lastHandshakeEpochSec wall-clock Unix seconds of the last completed handshake, 0 if never
 * @param lastHandshakeNanos    nanoseconds part (0..999_999_999) of that time, 0 if never
 * @param rxBytes               bytes received from the peer (whole transport messages incl. handshakes)
 * @param txBytes               bytes sent to the peer (same accounting)
 * @param endpoint              the endpoint in use (learned by roaming or configured), or {@code null}
 */
public record PeerRuntime(long lastHandshakeEpochSec, long lastHandshakeNanos, long rxBytes, long txBytes,
                          Endpoint endpoint) {

    /** Validates ranges. */
    public PeerRuntime {
        if (lastHandshakeEpochSec < 0 || lastHandshakeNanos < 0 || lastHandshakeNanos > 999_999_999L) {
            throw new IllegalArgumentException("bad handshake time " + lastHandshakeEpochSec + "." + lastHandshakeNanos);
        }
    }

    /** A peer that never completed a handshake and moved no bytes. */
    public static PeerRuntime idle(final Endpoint endpoint) {
        return new PeerRuntime(0, 0, 0, 0, endpoint);
    }
}
