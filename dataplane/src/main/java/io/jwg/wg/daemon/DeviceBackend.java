package io.jwg.wg.daemon;

import io.jwg.wg.config.ConfigurableDevice;

/**
 * What the daemon runs: a {@link ConfigurableDevice} with a life cycle. Pluggable so the daemon
 * can start before the full dataplane exists: {@link ConfigOnlyDevice} holds configuration and
 * binds the UDP port only; a TUN-backed device creates interface IFNAME.
 */
public interface DeviceBackend extends ConfigurableDevice, AutoCloseable {

    /** A short name for logs, e.g. {@code "config-only"}. */
    String kind();

    /** True if this backend created the network interface the daemon's life is tied to. */
    boolean createsInterface();

    /** Releases everything (sockets, TUN); idempotent, never throws. */
    @Override
    void close();

    /** Opens a backend for an interface name. */
    @FunctionalInterface
    interface Factory {
        /**
         * Creates the device for {@code interfaceName}.
         *
         * @throws Exception with a message fit for the user if the device cannot be created
         */
        DeviceBackend open(String interfaceName) throws Exception;
    }
}
