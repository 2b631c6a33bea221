package io.jwg.wg.uapi;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import io.jwg.bindings.libc.stat_h;

/**
 * The UAPI listener: a UNIX stream socket at {@code <directory>/<ifname>.sock}
 * ({@code /var/run/wireguard}, where {@code wg(8)} looks; protocol.md §4), one virtual thread per
 * connection, at most {@link UapiLimits#maxConnections()} served at once. One accept thread owns
 * the listening channel; connection threads only call the thread-safe {@link UapiService}.
 *
 * <p>Socket file life cycle, matching wireguard-go ({@code ipc/uapi_unix.go}):
 * <ul>
 *   <li>the directory is created with mode 0755 if missing;</li>
 *   <li>if the path exists and a connect to it succeeds, another daemon serves this interface:
 *       {@link #start} fails with {@link SocketInUseException}; otherwise the stale file is
 *       replaced;</li>
 *   <li>the socket is mode 0700 ({@code srwx------}) from the moment it appears at its path: it
 *       is bound there with the umask set to 077 through FFM, as wireguard-go does;</li>
 *   <li>{@link #close} removes the file, but only if it is still ours (same inode).</li>
 * </ul>
 */
public final class UapiServer implements AutoCloseable {

    /** Where {@code wg(8)} looks for userspace implementations (RUNSTATEDIR/wireguard). */
    public static final Path SOCKET_DIRECTORY = Path.of("/var/run/wireguard");

    private static final System.Logger LOG = System.getLogger("io.jwg.wg.uapi");

    private final Path socketPath;
    private final ServerSocketChannel server;
    private final Object fileKey;
    private final UapiService service;
    private final Semaphore permits;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptThread;
    private volatile boolean closed;

    /** Thrown by {@link #start} when a live daemon already answers on the socket path. */
    public static final class SocketInUseException extends IOException {
        private static final long serialVersionUID = 1L;

        SocketInUseException(final Path path) {
            super("unix socket in use: " + path);
        }
    }

    private UapiServer(final Path socketPath, final ServerSocketChannel server, final Object fileKey,
                       final UapiService service, final String interfaceName) {
        this.socketPath = socketPath;
        this.server = server;
        this.fileKey = fileKey;
        this.service = service;
        this.permits = new Semaphore(Math.max(1, UapiLimits.maxConnections()));
        this.acceptThread = Thread.ofPlatform().daemon().name("jwg-uapi-" + interfaceName).unstarted(this::acceptLoop);
    }

    /** Starts serving {@code service} at {@code /var/run/wireguard/<interfaceName>.sock}. */
    public static UapiServer start(final String interfaceName, final UapiService service) throws IOException {
        return start(SOCKET_DIRECTORY, interfaceName, service);
    }

    /** Starts serving {@code service} at {@code <directory>/<interfaceName>.sock}. */
    public static UapiServer start(final Path directory, final String interfaceName, final UapiService service)
        throws IOException {
        Objects.requireNonNull(service, "service");
        if (interfaceName.isEmpty() || interfaceName.contains("/")) {
            throw new IllegalArgumentException("bad interface name: " + interfaceName);
        }
        ensureDirectory(directory);
        final Path path = directory.resolve(interfaceName + ".sock");
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (answers(path)) {
                throw new SocketInUseException(path);
            }
            Files.deleteIfExists(path);
        }
        ServerSocketChannel ch = null;
        boolean bound = false;
        try {
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            bindPrivate(ch, path);
            bound = true;
            final Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            final UapiServer s = new UapiServer(path, ch, key, service, interfaceName);
            s.acceptThread.start();
            LOG.log(Level.DEBUG, "UAPI listener started on {0}", path);
            return s;
        } catch (final IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            if (bound) {
                Files.deleteIfExists(path);
            }
            throw e;
        }
    }

    /**
     * Binds {@code ch} at {@code path} with the process umask set to 077, so the socket is
     * {@code srwx------} from the moment it exists, then restores the umask (as wireguard-go does).
     * Binding at the final path (not bind-then-rename) keeps the name the kernel reports for the
     * socket ({@code ss -xlp}) equal to the path {@code wg(8)} connects to. The chmod afterwards is
     * belt and braces for file systems that ignore the umask.
     */
    private static void bindPrivate(final ServerSocketChannel ch, final Path path) throws IOException {
        final int previous = stat_h.umask(0077);
        try {
            ch.bind(UnixDomainSocketAddress.of(path), 64);
        } finally {
            stat_h.umask(previous);
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    }

    /** The socket file's path. */
    public Path socketPath() {
        return socketPath;
    }

    /** The service answering requests. */
    public UapiService service() {
        return service;
    }

    /**
     * True while the socket file at {@link #socketPath()} is still the one this server created.
     * False once it was deleted or replaced: the daemon should then exit (wireguard-go watches the
     * file with inotify for the same reason).
     */
    public boolean socketFilePresent() {
        try {
            final BasicFileAttributes a = Files.readAttributes(socketPath, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
            return fileKey == null || fileKey.equals(a.fileKey());
        } catch (final IOException e) {
            return false;
        }
    }

    /** Stops accepting, closes open connections, removes the socket file if it is still ours. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (final IOException e) {
            LOG.log(Level.DEBUG, "UAPI: closing the listener failed", e);
        }
        for (final SocketChannel c : connections) {
            closeQuietly(c);
        }
        if (socketFilePresent()) {
            try {
                Files.deleteIfExists(socketPath);
            } catch (final IOException e) {
                LOG.log(Level.ERROR, "UAPI: could not remove " + socketPath, e);
            }
        }
        if (Thread.currentThread() != acceptThread) {
            try {
                acceptThread.join(2000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                permits.acquire();
            } catch (final InterruptedException e) {
                return;
            }
            final SocketChannel c;
            try {
                c = server.accept();
            } catch (final ClosedChannelException e) {
                permits.release();
                return;
            } catch (final IOException e) {
                permits.release();
                if (closed) {
                    return;
                }
                LOG.log(Level.ERROR, "UAPI: accept failed", e);
                continue;
            }
            connections.add(c);
            if (closed) {
                closeQuietly(c);
            }
            Thread.ofVirtual().name("jwg-uapi-conn").start(() -> serve(c));
        }
    }

    private void serve(final SocketChannel c) {
        try {
            UapiConnection.serve(Channels.newInputStream(c), Channels.newOutputStream(c), service);
        } catch (final ClosedChannelException e) {
            LOG.log(Level.TRACE, "UAPI: connection closed");
        } catch (final IOException e) {
            LOG.log(Level.DEBUG, "UAPI: connection I/O failed", e);
        } catch (final RuntimeException e) {
            LOG.log(Level.ERROR, "UAPI: connection handler failed", e);
        } finally {
            closeQuietly(c);
            connections.remove(c);
            permits.release();
        }
    }

    private static void ensureDirectory(final Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (final FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }

    /** True if something accepts connections at {@code path}. */
    static boolean answers(final Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return c.isConnected();
        } catch (final IOException | RuntimeException e) {
            return false;
        }
    }

    private static void closeQuietly(final SocketChannel c) {
        try {
            c.close();
        } catch (final IOException e) {
            LOG.log(Level.TRACE, "UAPI: close failed", e);
        }
    }
}
