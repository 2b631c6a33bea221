package io.jwg.wg.config;

/**
 * A WireGuard device as its configuration surface (UAPI) sees it: implemented by the real device
 * (protocol core + pipeline) and by in-memory devices for tests and for the config-only daemon.
 *
 * <p>Threading: {@link #apply} is called by one thread at a time (the UAPI service serializes
 * set operations); {@link #config}, {@link #runtime} and {@link #listenPortInUse} may be called
 * from any thread at any time, also concurrently with {@link #apply}.
 */
public interface ConfigurableDevice {

    /** The configuration currently running (a snapshot; never null). */
    DeviceConfig config();

    /**
     * Applies a change computed against the running configuration, all or nothing.
     *
     * <p>The device moves from {@code change.previous()} (which must be the snapshot
     * {@link #config()} returns) to {@code change.next()}: remove peers, update peers in place
     * (keeping their sessions), add peers, rebind if the listen port changed, set the fwmark,
     * change the static identity if the private key changed (§1.9). On failure nothing may have
     * changed: the running state and {@link #config()} are exactly as before.
     *
     * @return 0 on success, or a positive Linux errno: {@code EADDRINUSE} (98) if the listen port
     *     cannot be bound or the fwmark cannot be set (wireguard-go's choice for both), another
     *     errno for other failures
     */
    int apply(ConfigChange change);

    /** Applies {@code next} as a plain diff against {@link #config()}; see {@link #apply(ConfigChange)}. */
    default int apply(final DeviceConfig next) {
        return apply(ConfigChange.between(config(), next));
    }

    /** Runtime state of a configured peer, or {@code null} if no peer has this key. */
    PeerRuntime runtime(Key publicKey);

    /** The UDP port actually bound (differs from the configured one when that is 0); 0 if not bound. */
    int listenPortInUse();
}
