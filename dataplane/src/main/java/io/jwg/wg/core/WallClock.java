package io.jwg.wg.core;

import java.time.Instant;

/**
 * Wall-clock time in nanoseconds since the Unix epoch, for TAI64N timestamps and the "last handshake"
 * time reported over UAPI; injectable so a handshake can be reproduced byte for byte.
 */
@FunctionalInterface
public interface WallClock {
    /** Nanoseconds since 1970-01-01T00:00:00Z. */
    long epochNanos();

    /** The system clock. */
    WallClock SYSTEM = () -> {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
}
