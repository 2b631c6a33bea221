package io.jwg.wg.daemon;

import io.jwg.wg.config.PublicKeyFunction;
import io.jwg.wg.uapi.UapiServer;
import io.jwg.wg.uapi.UapiService;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One running device: the backend plus its UAPI socket, and the conditions that end it. Created
 * by {@link #start}; the main thread then blocks in {@link #awaitExit()} while signal handlers
 * or the shutdown hook may call {@link #requestStop} and {@link #close} from other threads.
 *
 * <p>The daemon stops (protocol.md §1.15, §4) on SIGINT/SIGTERM, when its socket file is deleted
 * or replaced, and when its network interface disappears ({@code ip link delete}, which is how
 * {@code wg-quick down} ends it). The interface is watched once it has been seen: a backend that
 * creates the TUN sees it at once; the config-only backend has none unless one with that name
 * exists.
 */
public final class Daemon implements AutoCloseable {

    /** How often the socket file and the interface are checked. */
    public static final long POLL_INTERVAL_MS = 250;

    private static final System.Logger LOG = System.getLogger("io.jwg.wg.daemon");

    private final String interfaceName;
    private final DeviceBackend backend;
    private final UapiServer server;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile String stopReason;
    private boolean closed;

    /** Why a daemon could not start; the message is meant for the user. */
    public static final class StartException extends Exception {
        private static final long serialVersionUID = 1L;

        StartException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    private Daemon(final String interfaceName, final DeviceBackend backend, final UapiServer server) {
        this.interfaceName = interfaceName;
        this.backend = backend;
        this.server = server;
    }

    /**
     * Creates the device, then the UAPI socket; on failure releases what was made.
     *
     * @param socketDirectory normally {@link UapiServer#SOCKET_DIRECTORY}
     */
    public static Daemon start(final String interfaceName, final DeviceBackend.Factory factory,
                               final PublicKeyFunction keys, final Path socketDirectory) throws StartException {
        final DeviceBackend backend;
        try {
            backend = factory.open(interfaceName);
        } catch (final Exception e) {
            throw new StartException("Failed to create TUN device: " + e.getMessage(), e);
        }
        try {
            final UapiServer server = UapiServer.start(socketDirectory, interfaceName, new UapiService(backend, keys));
            LOG.log(Level.DEBUG, "Device started ({0}), UAPI listener on {1}", backend.kind(), server.socketPath());
            return new Daemon(interfaceName, backend, server);
        } catch (final Exception e) {
            backend.close();
            throw new StartException("UAPI listen error: " + e.getMessage(), e);
        }
    }

    /** The UAPI server (its socket path, its service). */
    public UapiServer server() {
        return server;
    }

    /** The device backend. */
    public DeviceBackend backend() {
        return backend;
    }

    /** Asks {@link #awaitExit()} to return; callable from any thread (signal handlers). */
    public void requestStop(final String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        stop.countDown();
    }

    /**
     * Blocks until a stop is requested, the socket file is gone, or the interface is gone.
     *
     * @return the reason, for the log
     */
    public String awaitExit() {
        boolean interfaceSeen = LinkMonitor.exists(interfaceName);
        while (true) {
            try {
                if (stop.await(POLL_INTERVAL_MS, TimeUnit.MILLISECONDS)) {
                    return stopReason;
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
            if (!server.socketFilePresent()) {
                return "UAPI socket " + server.socketPath() + " was removed";
            }
            final boolean present = LinkMonitor.exists(interfaceName);
            if (interfaceSeen && !present) {
                return "interface " + interfaceName + " was removed";
            }
            interfaceSeen |= present;
        }
    }

    /** Closes the socket (removing its file) and the device; idempotent, any thread. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
        backend.close();
    }
}
