package io.jwg.wg.uapi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.jwg.wg.config.TestKeys.FAKE_PUBLIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UapiServerTest {

    @TempDir
    Path tmp;

    private TestDevice device;
    private UapiService service;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp() {
        device = new TestDevice();
        service = new UapiService(device, FAKE_PUBLIC);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (final AutoCloseable c : toClose) {
            c.close();
        }
    }

    private UapiServer start(final Path dir, final String name) throws IOException {
        final UapiServer s = UapiServer.start(dir, name, service);
        toClose.add(s);
        return s;
    }

    /** Sends {@code request}, half-closes, returns everything the server wrote before closing. */
    private static String exchange(final Path socket, final String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            final OutputStream out = Channels.newOutputStream(c);
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            c.shutdownOutput();
            final InputStream in = Channels.newInputStream(c);
            final ByteArrayOutputStream got = new ByteArrayOutputStream();
            in.transferTo(got);
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void shouldCreateAnOwnerOnlySocketAndADirectoryWithMode755() throws IOException {
        final Path dir = tmp.resolve("run/wireguard");
        final UapiServer s = start(dir, "jwgu9");
        assertEquals(dir.resolve("jwgu9.sock"), s.socketPath());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.socketPath(),
            LinkOption.NOFOLLOW_LINKS)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertTrue(Files.readAttributes(s.socketPath(), java.nio.file.attribute.BasicFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS).isOther(), "a socket is neither file, directory nor link");
        try (var list = Files.list(dir)) {
            assertEquals(List.of(s.socketPath()), list.toList(), "no temporary leftovers");
        }
    }

    @Test
    void shouldBindTheSocketAtItsFinalPathSoToolsSeeThatName() throws IOException {
        final UapiServer s = start(tmp, "jwgu9");
        // ss -xlp (and anything reading /proc/net/unix) reports the path given to bind(2); operators
        // and test harnesses look the daemon up by "<dir>/<ifname>.sock".
        final String path = s.socketPath().toString();
        final boolean listed = Files.readAllLines(Path.of("/proc/net/unix")).stream()
            .anyMatch(line -> line.endsWith(" " + path));
        assertTrue(listed, "no socket bound at " + path + " in /proc/net/unix");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.socketPath())));
    }

    @Test
    void shouldServeSeveralRequestsPerConnection() throws IOException {
        final UapiServer s = start(tmp, "jwgu9");
        final String out = exchange(s.socketPath(), "set=1\nlisten_port=4444\nfwmark=9\n\nget=1\n\nset=1\nnope=1\n\n");
        assertEquals("errno=0\n\nlisten_port=4444\nfwmark=9\nerrno=0\n\nerrno=-22\n\n", out);
    }

    @Test
    void shouldServeConcurrentClients() throws Exception {
        final UapiServer s = start(tmp, "jwgu9");
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            final List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                final int port = 5000 + i;
                final Callable<String> call = () -> exchange(s.socketPath(), "set=1\nlisten_port=" + port + "\n\n");
                results.add(pool.submit(call));
            }
            for (final Future<String> f : results) {
                assertEquals("errno=0\n\n", f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(32, device.applied.size());
    }

    @Test
    void shouldReplaceAStaleSocketFile() throws IOException {
        final Path path = tmp.resolve("jwgu9.sock");
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "the JDK leaves the file behind on close");
        final UapiServer s = start(tmp, "jwgu9");
        assertEquals("errno=0\n\n", exchange(s.socketPath(), "get=1\n\n"));
    }

    @Test
    void shouldRefuseToReplaceASocketALiveDaemonAnswersOn() throws IOException {
        final UapiServer first = start(tmp, "jwgu9");
        assertThrows(UapiServer.SocketInUseException.class, () -> UapiServer.start(tmp, "jwgu9", service));
        assertTrue(first.socketFilePresent());
        assertEquals("errno=0\n\n", exchange(first.socketPath(), "get=1\n\n"));
    }

    @Test
    void shouldRemoveTheSocketOnClose() throws IOException {
        final UapiServer s = start(tmp, "jwgu9");
        s.close();
        assertFalse(Files.exists(s.socketPath(), LinkOption.NOFOLLOW_LINKS));
        assertFalse(UapiServer.answers(s.socketPath()));
        s.close();
    }

    @Test
    void shouldNoticeWhenItsSocketFileIsDeletedOrReplaced() throws IOException {
        final UapiServer s = start(tmp, "jwgu9");
        assertTrue(s.socketFilePresent());
        Files.delete(s.socketPath());
        assertFalse(s.socketFilePresent());
        final UapiServer other = start(tmp, "jwgu9");
        assertFalse(s.socketFilePresent(), "a new daemon's socket is not ours");
        s.close();
        assertTrue(Files.exists(other.socketPath(), LinkOption.NOFOLLOW_LINKS), "closing must not remove another's socket");
    }

    @Test
    void shouldCloseOpenConnectionsOnClose() throws Exception {
        final UapiServer s = start(tmp, "jwgu9");
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(s.socketPath()))) {
            Channels.newOutputStream(c).write("set=1\nlisten_port=1\n".getBytes(StandardCharsets.ISO_8859_1));
            s.close();
            int r;
            try {
                r = Channels.newInputStream(c).read();
            } catch (final IOException reset) {
                r = -1;                     // closed with unread input: a reset is a close too
            }
            assertEquals(-1, r);
        }
        assertTrue(device.applied.isEmpty());
    }
}
