package io.jwg.wg.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code wg-quick up/down} with {@code WG_QUICK_USERSPACE_IMPLEMENTATION=./jwg}, inside a network
 * namespace the test creates (protocol.md §4): the fallback runs the launcher, {@code wg setconf}
 * configures it, addresses, MTU and routes land on the TUN, the full-tunnel variant sets the
 * fwmark over UAPI and installs rules and nft tables, and {@code down} deletes the link, after which
 * the daemon exits on its own and removes its socket. No DNS= (that would need a resolvconf
 * stand-in). Needs root, wg-quick, and no wireguard kernel module (else wg-quick would not fall back).
 */
@Timeout(240)
class WgQuickTest {

    private static final Path RUN = Path.of("/var/run/wireguard");

    @TempDir
    Path tmp;

    private Path repo;
    private String ns;
    private final List<Long> started = new ArrayList<>();

    private record Result(int code, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wg-quick")) && Files.isExecutable(Path.of("/usr/bin/wg")),
            "wg-quick not installed");
        assumeTrue(!Files.exists(Path.of("/sys/module/wireguard")), "kernel module present: wg-quick would not fall back");
        final String dir = System.getProperty("jwg.repo.dir");
        assumeTrue(dir != null, "jwg.repo.dir not set (run through Maven)");
        repo = Path.of(dir);
        ns = "ju-q" + ProcessHandle.current().pid();
        assertEquals(0, run(List.of("ip", "netns", "add", ns)).code());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (final long pid : started) {
            LauncherTest.stopOurDaemon(pid);
        }
        if (ns != null) {
            run(List.of("ip", "netns", "del", ns));
        }
        for (final String name : List.of("jwgu7", "jwgu8", "jwgu9")) {
            LauncherTest.removeIfStale(RUN.resolve(name + ".sock"));
        }
    }

    private Result run(final List<String> cmd) throws Exception {
        final ProcessBuilder pb = new ProcessBuilder(cmd);
        final Map<String, String> env = pb.environment();
        env.remove("WG_PROCESS_FOREGROUND");
        env.remove("LOG_LEVEL");
        env.put("WG_QUICK_USERSPACE_IMPLEMENTATION", repo.resolve("jwg").toString());
        env.put("JWG_CLASSPATH", String.join(":", repo.resolve("dataplane/target/classes").toString(),
            repo.resolve("bindings/target/classes").toString(), repo.resolve("crypto-simd/target/classes").toString()));
        env.put("JWG_PID_FILE", tmp.resolve("pid").toString());
        final Path out = Files.createTempFile(tmp, "out", ".txt");
        final Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        final Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "hung: " + cmd);
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Result inNs(final String... cmd) throws Exception {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return run(full);
    }

    private String key(final String... args) throws Exception {
        final Result r = run(List.of("sh", "-c", String.join(" ", args)));
        assertEquals(0, r.code(), r.err());
        return r.out().strip();
    }

    private Path writeConf(final String name, final String allowedIps) throws Exception {
        final String priv = key("wg", "genkey");
        final String peer = key("wg", "genkey", "|", "wg", "pubkey");
        final String conf = "[Interface]\n"
            + "PrivateKey = " + priv + "\n"
            + "Address = 192.0.2.1/24\n"
            + "ListenPort = 51877\n"
            + "\n[Peer]\n"
            + "PublicKey = " + peer + "\n"
            + "AllowedIPs = " + allowedIps + "\n"
            + "Endpoint = 203.0.113.9:51820\n"
            + "PersistentKeepalive = 25\n";
        final Path f = tmp.resolve(name + ".conf");
        Files.writeString(f, conf, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private boolean waitDead(final long pid) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private long up(final Path conf) throws Exception {
        final Result up = inNs("wg-quick", "up", conf.toString());
        assertEquals(0, up.code(), up.err());
        assertTrue(up.err().contains("[!] Missing WireGuard kernel module. Falling back to slow userspace implementation."),
            up.err());
        final long pid = Long.parseLong(Files.readString(tmp.resolve("pid")).strip());
        started.add(pid);
        return pid;
    }

    private void downAndExpectExit(final Path conf, final String name, final long pid) throws Exception {
        final Result down = inNs("wg-quick", "down", conf.toString());
        assertEquals(0, down.code(), down.err());
        assertTrue(waitDead(pid), "the daemon must exit by itself when wg-quick deletes its link");
        assertFalse(Files.exists(RUN.resolve(name + ".sock"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(run(List.of("ip", "-n", ns, "link", "show", "dev", name)).code() == 0);
    }

    @Test
    void shouldComeUpAndGoDownWithWgQuick() throws Exception {
        final Path conf = writeConf("jwgu7", "198.51.100.0/24");
        final long pid = up(conf);

        final String addr = inNs("ip", "-4", "-o", "address", "show", "dev", "jwgu7").out();
        assertTrue(addr.contains("inet 192.0.2.1/24"), addr);
        final String link = inNs("ip", "-o", "link", "show", "dev", "jwgu7").out();
        assertTrue(link.contains("mtu 1420") && link.contains(",UP"), link);
        final String routes = inNs("ip", "-4", "route", "show", "dev", "jwgu7").out();
        assertTrue(routes.contains("198.51.100.0/24"), routes);
        final Result show = inNs("wg", "show", "jwgu7", "dump");
        assertEquals(0, show.code(), show.err());
        final List<String> dump = show.out().lines().toList();
        assertEquals("51877", dump.get(0).split("\t")[2]);
        // tx bytes: turning persistent keepalive on sends a keepalive at once, which starts a handshake.
        assertTrue(dump.get(1).matches(".*\t203\\.0\\.113\\.9:51820\t198\\.51\\.100\\.0/24\t0\t0\t\\d+\t25"),
            dump.get(1));
        assertTrue(inNs("wg", "show", "interfaces").out().contains("jwgu7"));

        downAndExpectExit(conf, "jwgu7", pid);
    }

    @Test
    void shouldSetTheFwmarkAndPolicyRoutingForAFullTunnel() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")) || Files.isExecutable(Path.of("/usr/sbin/iptables-restore")),
            "neither nft nor iptables-restore: wg-quick cannot install its firewall rules");
        final Path conf = writeConf("jwgu8", "0.0.0.0/0");
        final long pid = up(conf);
        assertEquals("0xca6c", inNs("wg", "show", "jwgu8", "fwmark").out().strip());
        final String rules = inNs("ip", "-4", "rule").out();
        assertTrue(rules.contains("not from all fwmark 0xca6c lookup 51820"), rules);
        assertTrue(rules.contains("lookup main suppress_prefixlength 0"), rules);
        final String table = inNs("ip", "-4", "route", "show", "table", "51820").out();
        assertTrue(table.contains("default dev jwgu8"), table);

        downAndExpectExit(conf, "jwgu8", pid);
        final String after = inNs("ip", "-4", "rule").out();
        assertFalse(after.contains("51820"), after);
    }

    @Test
    void shouldLeaveNothingBehindWhenTheImplementationFails() throws Exception {
        // A live socket for the name makes the daemon refuse to start: wg-quick must fail and clean up.
        final Path conf = writeConf("jwgu9", "198.51.100.0/24");
        final long first = up(conf);
        final String other = ns + "x";
        assertEquals(0, run(List.of("ip", "netns", "add", other)).code());
        try {
            final Result second = run(List.of("ip", "netns", "exec", other, "wg-quick", "up", conf.toString()));
            assertEquals(1, second.code());
            assertTrue(second.err().contains("unix socket in use"), second.err());
            assertFalse(run(List.of("ip", "-n", other, "link", "show", "dev", "jwgu9")).code() == 0);
        } finally {
            run(List.of("ip", "netns", "del", other));
        }
        downAndExpectExit(conf, "jwgu9", first);
    }
}
