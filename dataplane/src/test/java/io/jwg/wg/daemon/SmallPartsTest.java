package io.jwg.wg.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interface names, log levels, /proc/net/dev parsing, the readiness line. */
class SmallPartsTest {

    @TempDir
    Path tmp;

    @Test
    void shouldAcceptInterfaceNamesTheKernelAccepts() {
        assertNull(InterfaceName.problem("wg0"));
        assertNull(InterfaceName.problem("a"));
        assertNull(InterfaceName.problem("x".repeat(15)));
        assertNull(InterfaceName.problem("wg-quick_=+.0"));
        for (final String bad : new String[] {"", "x".repeat(16), ".", "..", "a/b", "a:b", "a b", "a\tb", "é"}) {
            assertNotNull(InterfaceName.problem(bad), bad);
        }
    }

    @Test
    void shouldMapLogLevelsLikeWireguardGo() {
        assertEquals(Level.FINE, DaemonLog.levelFor("verbose"));
        assertEquals(Level.FINE, DaemonLog.levelFor("debug"));
        assertEquals(Level.SEVERE, DaemonLog.levelFor("error"));
        assertEquals(Level.OFF, DaemonLog.levelFor("silent"));
        assertEquals(Level.SEVERE, DaemonLog.levelFor(null));
        assertEquals(Level.SEVERE, DaemonLog.levelFor("bogus"));
    }

    @Test
    void shouldFindInterfacesInProcNetDev() {
        final String text = "Inter-|   Receive                                                |  Transmit\n"
            + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets\n"
            + "    lo:  123 4 0 0 0 0 0 0 123 4 0 0 0 0 0 0\n"
            + "jwgu0: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
            + "  eth0:1 2 3\n";
        assertTrue(LinkMonitor.listed(text, "lo"));
        assertTrue(LinkMonitor.listed(text, "jwgu0"));
        assertTrue(LinkMonitor.listed(text, "eth0"));
        assertFalse(LinkMonitor.listed(text, "jwgu"));
        assertFalse(LinkMonitor.listed(text, "face |bytes"));
        assertTrue(LinkMonitor.exists("lo"));
        assertFalse(LinkMonitor.exists("jwgu-none"));
    }

    @Test
    void shouldWriteOneReadinessLine() throws Exception {
        final Path f = tmp.resolve("ready");
        final ReadySignal s = ReadySignal.toPath(f.toString());
        s.failed("bad\nthing");
        s.ready();
        assertEquals("ERROR bad thing\n", Files.readString(f, StandardCharsets.UTF_8));
        ReadySignal.toPath(null).ready();
    }
}
