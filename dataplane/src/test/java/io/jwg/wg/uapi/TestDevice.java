package io.jwg.wg.uapi;

import io.jwg.wg.config.ConfigChange;
import io.jwg.wg.config.ConfigurableDevice;
import io.jwg.wg.config.DeviceConfig;
import io.jwg.wg.config.Key;
import io.jwg.wg.config.PeerConfig;
import io.jwg.wg.config.PeerRuntime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** In-memory device for UAPI tests: records applied changes, can be told to fail, serves canned runtime. */
final class TestDevice implements ConfigurableDevice {

    private volatile DeviceConfig config = DeviceConfig.EMPTY;
    final List<ConfigChange> applied = new ArrayList<>();
    final Map<Key, PeerRuntime> runtimes = new HashMap<>();
    volatile int failWith;
    volatile int boundPort;

    @Override
    public DeviceConfig config() {
        return config;
    }

    @Override
    public synchronized int apply(final ConfigChange change) {
        if (change.previous() != config) {
            throw new IllegalStateException("change computed against a stale configuration");
        }
        if (failWith != 0) {
            return failWith;
        }
        applied.add(change);
        config = change.next();
        return 0;
    }

    @Override
    public synchronized PeerRuntime runtime(final Key publicKey) {
        final PeerConfig p = config.peer(publicKey);
        if (p == null) {
            return null;
        }
        return runtimes.getOrDefault(publicKey, PeerRuntime.idle(p.endpoint()));
    }

    @Override
    public int listenPortInUse() {
        return boundPort;
    }
}
