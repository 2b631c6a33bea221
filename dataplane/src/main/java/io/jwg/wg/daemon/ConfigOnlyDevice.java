package io.jwg.wg.daemon;

import io.jwg.wg.config.ConfigChange;
import io.jwg.wg.config.DeviceConfig;
import io.jwg.wg.config.Key;
import io.jwg.wg.config.PeerConfig;
import io.jwg.wg.config.PeerRuntime;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;

/**
 * A device that holds its configuration and binds its UDP port but moves no packets: enough for
 * {@code wg(8)} to configure and inspect it (listen port 0 gets a real random port, a port in use
 * gives EADDRINUSE) and, when opened with a TUN ({@link #openWithTun}), for {@code wg-quick} to
 * address, route and bring up the interface. Used until the dataplane is wired in, and in tests.
 * The fwmark is recorded only. Thread-safe: {@link #apply} and {@link #close} are synchronized,
 * readers see volatile snapshots.
 */
public final class ConfigOnlyDevice implements DeviceBackend {

    /** Linux EADDRINUSE; wireguard-go reports every bind failure with it. */
    static final int EADDRINUSE = 98;

    private static final System.Logger LOG = System.getLogger("io.jwg.wg.daemon");

    private final TunInterface tun;
    private volatile DeviceConfig config = DeviceConfig.EMPTY;
    private DatagramChannel udp;
    private volatile int boundPort;
    private boolean closed;

    private ConfigOnlyDevice(final TunInterface tun) {
        this.tun = tun;
    }

    /** Opens a device without an interface, bound to a random UDP port (as a fresh device with listen_port=0 is). */
    public static ConfigOnlyDevice open() throws IOException {
        return open(null);
    }

    /** Creates TUN interface {@code name} first (as wireguard-go does), then opens the device. */
    public static ConfigOnlyDevice openWithTun(final String name) throws IOException {
        final TunInterface t = TunInterface.create(name);
        try {
            return open(t);
        } catch (final IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private static ConfigOnlyDevice open(final TunInterface tun) throws IOException {
        final ConfigOnlyDevice d = new ConfigOnlyDevice(tun);
        d.udp = bind(0);
        d.boundPort = localPort(d.udp);
        return d;
    }

    @Override
    public String kind() {
        return tun == null ? "config-only" : "config-only with TUN";
    }

    @Override
    public boolean createsInterface() {
        return tun != null;
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
        if (next.listenPort() != config.listenPort() && next.listenPort() != boundPort) {
            final DatagramChannel fresh;
            final int port;
            try {
                fresh = bind(next.listenPort());
                port = localPort(fresh);
            } catch (final IOException e) {
                LOG.log(Level.ERROR, "failed to bind UDP port {0}: {1}", next.listenPort(), e.getMessage());
                return EADDRINUSE;
            }
            closeQuietly(udp);
            udp = fresh;
            boundPort = port;
        }
        config = next;
        return 0;
    }

    @Override
    public PeerRuntime runtime(final Key publicKey) {
        final PeerConfig p = config.peer(publicKey);
        return p == null ? null : PeerRuntime.idle(p.endpoint());
    }

    @Override
    public int listenPortInUse() {
        return boundPort;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly(udp);
            boundPort = 0;
            if (tun != null) {
                tun.close();
            }
        }
    }

    /** Binds the wildcard address on {@code port}, dual-stack when IPv6 is available. */
    private static DatagramChannel bind(final int port) throws IOException {
        DatagramChannel ch;
        try {
            ch = DatagramChannel.open(StandardProtocolFamily.INET6);
        } catch (final UnsupportedOperationException | IOException noV6) {
            ch = DatagramChannel.open(StandardProtocolFamily.INET);
        }
        try {
            ch.bind(new InetSocketAddress(port));
            return ch;
        } catch (final IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static int localPort(final DatagramChannel ch) throws IOException {
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    private static void closeQuietly(final DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (final IOException e) {
                LOG.log(Level.DEBUG, "closing UDP socket failed", e);
            }
        }
    }
}
