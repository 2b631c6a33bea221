package io.jwg.wg.daemon;

import io.jwg.wg.uapi.UapiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static io.jwg.wg.config.TestKeys.FAKE_PUBLIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonTest {

    @TempDir
    Path dir;

    private Daemon start(final String name) throws Daemon.StartException {
        return Daemon.start(name, n -> ConfigOnlyDevice.open(), FAKE_PUBLIC, dir);
    }

    @Test
    @Timeout(30)
    void shouldExitWhenItsSocketFileIsDeleted() throws Exception {
        try (Daemon d = start("jwgu5")) {
            final Path sock = d.server().socketPath();
            assertTrue(Files.exists(sock, LinkOption.NOFOLLOW_LINKS));
            Files.delete(sock);
            assertTrue(d.awaitExit().contains("was removed"));
        }
    }

    @Test
    @Timeout(30)
    void shouldExitOnRequestAndRemoveItsSocketAndPort() throws Exception {
        final Daemon d = start("jwgu5");
        final Path sock = d.server().socketPath();
        assertTrue(d.backend().listenPortInUse() > 0);
        d.requestStop("test");
        d.requestStop("second reason is ignored");
        assertEquals("test", d.awaitExit());
        d.close();
        d.close();
        assertFalse(Files.exists(sock, LinkOption.NOFOLLOW_LINKS));
        assertEquals(0, d.backend().listenPortInUse());
    }

    @Test
    void shouldReportAFailingBackendAndCreateNoSocket() {
        final Daemon.StartException e = assertThrows(Daemon.StartException.class,
            () -> Daemon.start("jwgu5", n -> {
                throw new IOException("no TUN for you");
            }, FAKE_PUBLIC, dir));
        assertEquals("Failed to create TUN device: no TUN for you", e.getMessage());
        assertFalse(Files.exists(dir.resolve("jwgu5.sock"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void shouldRefuseASecondDaemonForTheSameInterfaceAndCloseItsDevice() throws Exception {
        try (Daemon first = start("jwgu5")) {
            final ConfigOnlyDevice[] second = new ConfigOnlyDevice[1];
            final Daemon.StartException e = assertThrows(Daemon.StartException.class,
                () -> Daemon.start("jwgu5", n -> second[0] = ConfigOnlyDevice.open(), FAKE_PUBLIC, dir));
            assertTrue(e.getMessage().startsWith("UAPI listen error: unix socket in use"), e.getMessage());
            assertEquals(0, second[0].listenPortInUse(), "the second device was closed");
            assertTrue(UapiServerAnswers.answers(first.server().socketPath()));
        }
    }

    /** Probe helper: does something accept connections at this path. */
    static final class UapiServerAnswers {
        static boolean answers(final Path p) {
            try (var c = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(p))) {
                return c.isConnected();
            } catch (final IOException e) {
                return false;
            }
        }
    }

    @Test
    void shouldUseTheWireguardSocketDirectoryByDefault() {
        assertEquals(Path.of("/var/run/wireguard"), UapiServer.SOCKET_DIRECTORY);
    }
}
