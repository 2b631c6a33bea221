package io.jwg.wg.device;

import io.jwg.wg.config.ConfigChange;
import io.jwg.wg.config.DeviceConfig;
import io.jwg.wg.config.IpPrefix;
import io.jwg.wg.config.Key;
import io.jwg.wg.config.PeerConfig;
import io.jwg.wg.config.PeerRuntime;
import io.jwg.wg.core.DeviceCore;
import io.jwg.wg.core.NanoClock;
import io.jwg.wg.core.WallClock;
import io.jwg.wg.daemon.DeviceBackend;
import io.jwg.wg.peer.Peer;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The real multi-core WireGuard device the daemon runs: a protocol core ({@link DeviceCore}), a TUN
 * and UDP sockets, and the {@link DataPlane} threads between them, configured through
 * {@link io.jwg.wg.config.ConfigurableDevice} (UAPI). {@link #apply} is called by one thread at a
 * time (the UAPI service serializes sets) and is synchronized; readers ({@link #config},
 * {@link #runtime}, {@link #listenPortInUse}) see volatile snapshots.
 *
 * <p>All or nothing: a new listen port or fwmark is bound first, on fresh sockets, so a failure
 * (EADDRINUSE) returns before anything changed; only then is the data plane restarted on the new
 * sockets (the core and its sessions stay), the old sockets closed, and the peer and key changes -
 * which cannot fail - applied to the core.
 */
public final class PipelineDevice implements DeviceBackend {
    /** Linux EADDRINUSE; wireguard-go reports every bind failure with it. */
    static final int EADDRINUSE = 98;

    private static final System.Logger LOG = System.getLogger("io.jwg.wg.device");

    private final DeviceCore core;
    private final Tun tun;
    private final PipelineSettings settings;
    private final NanoClock clock;
    private final WallClock wallClock;
    private final RandomGenerator random;
    private final BindFactory bindFactory;
    private volatile DeviceConfig config = DeviceConfig.EMPTY;
    private volatile Bind bind;
    private DataPlane plane;
    private boolean closed;
    private Thread statsLogger;

    /** Opens UDP sockets for a port and fwmark; {@link KernelBind#open} in production. */
    @FunctionalInterface
    public interface BindFactory {
        /** Binds, or throws if the port cannot be bound. */
        Bind open(int port, int fwmark) throws Exception;
    }

    /**
     * Creates a device over {@code tun}, bound to a random port (as a fresh device with listen_port=0
     * is), and starts its threads.
     */
    public PipelineDevice(final Tun tun, final BindFactory bindFactory, final PipelineSettings settings,
                          final NanoClock clock, final WallClock wallClock, final RandomGenerator random)
        throws Exception {
        this.tun = tun;
        this.bindFactory = bindFactory;
        this.settings = settings;
        this.clock = clock;
        this.wallClock = wallClock;
        this.random = random;
        this.core = new DeviceCore(random, wallClock);
        this.bind = bindFactory.open(0, 0);
        this.plane = new DataPlane(core, tun, bind, settings, clock, wallClock);
        plane.start();
        final long statsMs = Long.getLong("jwg.stats.intervalMs", 0);
        if (statsMs > 0) {
            statsLogger = Thread.ofPlatform().daemon().name("jwg-stats").start(() -> logStats(statsMs));
        }
    }

    /** Logs the data-path and protocol counters every {@code periodMs} (diagnostics; opt-in). */
    private void logStats(final long periodMs) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(periodMs);
                final DataPlane p = dataPlane();
                LOG.log(System.Logger.Level.INFO, "stats {0} core={1} {2}", p.counters(), core.counters(),
                    p.occupancy());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates TUN interface {@code name} and the device on real sockets; the daemon's default backend. */
    public static PipelineDevice open(final String name) throws Exception {
        final KernelTun t = KernelTun.create(name);
        try {
            return new PipelineDevice(t, KernelBind::open, PipelineSettings.defaults(), NanoClock.SYSTEM,
                WallClock.SYSTEM, new SecureRandom());
        } catch (Exception | Error e) {
            t.close();
            throw e;
        }
    }

    @Override
    public String kind() {
        return "pipeline (" + plane.settings().workers() + " workers)";
    }

    @Override
    public boolean createsInterface() {
        return tun instanceof KernelTun;
    }

    @Override
    public DeviceConfig config() {
        return config;
    }

    @Override
    public synchronized int apply(final ConfigChange change) {
        if (closed) {
            throw new IllegalStateException("device closed");
        }
        if (change.previous() != config) {
            throw new IllegalStateException("change computed against a configuration that is not running");
        }
        final DeviceConfig next = change.next();
        // 1. The only steps that can fail come first: fresh sockets for a new port, or the new fwmark
        //    on the sockets we hold (undone below if anything after it failed - nothing can).
        Bind fresh = null;
        if (needsRebind(change)) {
            try {
                fresh = bindFactory.open(next.listenPort(), next.fwmark());
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "failed to bind UDP port {0}: {1}", next.listenPort(),
                    e.getMessage());
                return EADDRINUSE;
            }
        } else if (change.fwmarkChanged() && !bind.setMark(next.fwmark())) {
            LOG.log(System.Logger.Level.ERROR, "failed to set fwmark {0}", Integer.toUnsignedString(next.fwmark()));
            return EADDRINUSE;
        }
        // 2. Swap the data plane onto the new sockets; the core (peers, sessions) stays.
        if (fresh != null) {
            plane.close();
            final Bind old = bind;
            bind = fresh;
            plane = new DataPlane(core, tun, fresh, settings, clock, wallClock);
            plane.start();
            old.close();
        }
        // 3. Identity and peers: these cannot fail.
        final long nowNs = clock.nanoTime();
        if (change.privateKeyChanged()) {
            core.setPrivateKey(next.privateKey() == null ? null : next.privateKey().toByteArray());
        }
        for (final Key k : change.removedPeers()) {
            core.removePeer(ConfigMapping.peerKey(k));
        }
        for (final ConfigChange.PeerUpdate u : change.updatedPeers()) {
            final Peer p = core.peer(ConfigMapping.peerKey(u.publicKey()));
            if (p == null) {
                continue;
            }
            if (u.presharedKeyChanged()) {
                core.setPresharedKey(p, psk(u.after()));
            }
            if (u.endpointChanged()) {
                core.setEndpoint(p, ConfigMapping.endpoint(u.after().endpoint()));
            }
            for (final IpPrefix ip : u.removedAllowedIps()) {
                core.removeAllowedIp(p, ConfigMapping.prefix(ip));
            }
            for (final IpPrefix ip : u.addedAllowedIps()) {
                core.addAllowedIp(p, ConfigMapping.prefix(ip));
            }
            if (u.persistentKeepaliveChanged()) {
                keepalive(p, u.after().persistentKeepaliveSec(), nowNs);
            }
        }
        for (final PeerConfig pc : change.addedPeers()) {
            final Peer p = core.addPeer(ConfigMapping.peerKey(pc.publicKey()));
            if (p == null) {
                continue;
            }
            plane.attach(p);
            if (pc.hasPresharedKey()) {
                core.setPresharedKey(p, psk(pc));
            }
            if (pc.endpoint() != null) {
                core.setEndpoint(p, ConfigMapping.endpoint(pc.endpoint()));
            }
            for (final IpPrefix ip : pc.allowedIps()) {
                core.addAllowedIp(p, ConfigMapping.prefix(ip));
            }
            keepalive(p, pc.persistentKeepaliveSec(), nowNs);
        }
        config = next;
        return 0;
    }

    private boolean needsRebind(final ConfigChange change) {
        final DeviceConfig next = change.next();
        // Port 0 means "any": keep the port already bound. A port equal to the bound one needs nothing.
        return change.listenPortChanged() && next.listenPort() != 0 && next.listenPort() != bind.port();
    }

    private static byte[] psk(final PeerConfig pc) {
        return pc.hasPresharedKey() ? pc.presharedKey().toByteArray() : null;
    }

    /** Sets persistent keepalive; turning it on sends one keepalive at once (go {@code pkaOn}). */
    private void keepalive(final Peer p, final int seconds, final long nowNs) {
        if (p.timers().setPersistentKeepalive(seconds, nowNs)) {
            plane.requestKeepalive(p);
        }
    }

    @Override
    public PeerRuntime runtime(final Key publicKey) {
        final Peer p = core.peer(ConfigMapping.peerKey(publicKey));
        if (p == null) {
            return null;
        }
        final long wallNs = p.lastHandshakeWallNs();
        return new PeerRuntime(wallNs / 1_000_000_000L, wallNs % 1_000_000_000L, p.rxBytes(), p.txBytes(),
            ConfigMapping.endpoint(p.endpoint()));
    }

    @Override
    public int listenPortInUse() {
        final Bind b = bind;
        return b == null ? 0 : b.port();
    }

    /** The protocol core (tests, diagnostics). */
    public DeviceCore core() {
        return core;
    }

    /** The running data plane (tests, diagnostics); replaced when the port changes. */
    public synchronized DataPlane dataPlane() {
        return plane;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (statsLogger != null) {
            statsLogger.interrupt();
        }
        try {
            plane.close();
        } finally {
            core.down();
            bind.close();
            tun.close();
        }
    }
}
