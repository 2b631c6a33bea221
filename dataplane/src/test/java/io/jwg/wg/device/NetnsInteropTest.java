package io.jwg.wg.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real device on real interfaces: two network namespaces joined by a veth pair
 * (203.0.113.1/24 - 203.0.113.2/24), a WireGuard interface in each (198.51.100.1 - .2), configured
 * with {@code wg(8)}, pinging through the tunnel. jwg against jwg, and jwg against wireguard-go in
 * both roles (jwg initiates; wireguard-go initiates and jwg learns its endpoint by roaming).
 *
 * <pre>
 *   ns jpl-N-a                                  ns jpl-N-b
 *   jplaN 198.51.100.1  (jwg)                   jplbN 198.51.100.2  (jwg | wireguard-go)
 *   jplvaN 203.0.113.1  ------- veth -------    jplvbN 203.0.113.2
 * </pre>
 *
 * Needs root, {@code ip}, {@code wg}, {@code ping} (and {@code wireguard-go} for the interop cases);
 * skipped otherwise. Bounded: a handful of pings per case. Only processes this test started are
 * stopped, by PID; namespaces are removed also on failure.
 */
@Timeout(300)
class NetnsInteropTest {
    private static final Path RUN = Path.of("/var/run/wireguard");

    @TempDir
    Path tmp;

    private Path repo;
    private String nsA;
    private String nsB;
    private String ifA;
    private String ifB;
    private final List<Long> daemons = new ArrayList<>();
    private final List<Process> foreground = new ArrayList<>();

    private record Result(int code, String out) {
    }

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        final String dir = System.getProperty("jwg.repo.dir");
        assumeTrue(dir != null, "jwg.repo.dir not set (run through Maven)");
        repo = Path.of(dir);
        for (final String tool : List.of("/usr/sbin/ip", "/usr/bin/wg", "/usr/bin/ping")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " missing");
        }
        final long n = ProcessHandle.current().pid() % 10_000;
        nsA = "jpl-" + n + "-a";
        nsB = "jpl-" + n + "-b";
        ifA = "jpla" + n;
        ifB = "jplb" + n;
        final String va = "jplva" + n;
        final String vb = "jplvb" + n;
        ok("ip", "netns", "add", nsA);
        ok("ip", "netns", "add", nsB);
        ok("ip", "link", "add", va, "type", "veth", "peer", "name", vb);
        ok("ip", "link", "set", va, "netns", nsA);
        ok("ip", "link", "set", vb, "netns", nsB);
        ok("ip", "-n", nsA, "addr", "add", "203.0.113.1/24", "dev", va);
        ok("ip", "-n", nsB, "addr", "add", "203.0.113.2/24", "dev", vb);
        for (final String[] x : new String[][] {{nsA, va}, {nsB, vb}, {nsA, "lo"}, {nsB, "lo"}}) {
            ok("ip", "-n", x[0], "link", "set", x[1], "up");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (final Process p : foreground) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        for (final long pid : daemons) {
            final var h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains("io.jwg.wg.daemon.Main")).orElse(false));
            if (h.isPresent()) {
                h.get().destroy();
                try {
                    h.get().onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    h.get().destroyForcibly();
                    h.get().onExit().get(10, TimeUnit.SECONDS);
                }
            }
        }
        if (nsA != null) {
            run(List.of("ip", "netns", "del", nsA), Map.of());
            run(List.of("ip", "netns", "del", nsB), Map.of());
            for (final String name : List.of(ifA, ifB)) {
                final Path sock = RUN.resolve(name + ".sock");
                if (Files.exists(sock) && !isListening(sock)) {
                    Files.deleteIfExists(sock);
                }
            }
        }
    }

    private static boolean isListening(final Path sock) {
        try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock))) {
            return ch.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private Result run(final List<String> cmd, final Map<String, String> env) throws Exception {
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("WG_PROCESS_FOREGROUND");
        pb.environment().remove("LOG_LEVEL");
        pb.environment().putAll(env);
        final Path out = Files.createTempFile(tmp, "out", ".txt");
        pb.redirectOutput(out.toFile());
        final Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("command hung: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    private String ok(final String... cmd) throws Exception {
        final Result r = run(List.of(cmd), Map.of());
        assertEquals(0, r.code(), String.join(" ", cmd) + ": " + r.out());
        return r.out();
    }

    private String inNs(final String ns, final String... cmd) throws Exception {
        final List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return ok(c.toArray(String[]::new));
    }

    /** Starts jwg for {@code ifname} in {@code ns} through the launcher (returns once it is ready). */
    private void startJwg(final String ns, final String ifname) throws Exception {
        final String cp = String.join(":", repo.resolve("dataplane/target/classes").toString(),
            repo.resolve("bindings/target/classes").toString(), repo.resolve("crypto-simd/target/classes").toString());
        final Path pidFile = tmp.resolve(ifname + ".pid");
        final Result r = run(List.of("ip", "netns", "exec", ns, repo.resolve("jwg").toString(), ifname),
            Map.of("JWG_CLASSPATH", cp, "JWG_PID_FILE", pidFile.toString()));
        assertEquals(0, r.code(), "jwg " + ifname + ": " + r.out());
        daemons.add(Long.parseLong(Files.readString(pidFile).strip()));
    }

    /** Starts wireguard-go in the foreground (so this test holds its process and PID). */
    private void startWireguardGo(final String ns, final String ifname) throws Exception {
        final ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns, "wireguard-go", "-f", ifname)
            .redirectErrorStream(true).redirectOutput(tmp.resolve("wg-go.log").toFile());
        pb.environment().put("LOG_LEVEL", "error");
        foreground.add(pb.start());
        final long deadlineNs = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(RUN.resolve(ifname + ".sock"))) {
            assertTrue(System.nanoTime() - deadlineNs < 0, "wireguard-go did not come up");
            Thread.sleep(50);
        }
    }

    private String key(final String privateKeyFile) throws Exception {
        final Result r = run(List.of("sh", "-c", "wg pubkey < " + privateKeyFile), Map.of());
        return r.out().strip();
    }

    private Path genkey(final String name) throws Exception {
        final Path f = tmp.resolve(name);
        Files.writeString(f, ok("wg", "genkey").strip() + "\n", StandardCharsets.US_ASCII);
        return f;
    }

    /**
     * Configures {@code ifname} in {@code ns}: own key and port, one peer (endpoint optional),
     * address and link up.
     */
    private void configure(final String ns, final String ifname, final Path priv, final int port, final String peerPub,
                           final String peerEndpoint, final String peerInner, final String ownInner) throws Exception {
        final List<String> set = new ArrayList<>(List.of("wg", "set", ifname, "private-key", priv.toString(),
            "listen-port", Integer.toString(port), "peer", peerPub, "allowed-ips", peerInner + "/32"));
        if (peerEndpoint != null) {
            set.addAll(List.of("endpoint", peerEndpoint));
        }
        inNs(ns, set.toArray(String[]::new));
        ok("ip", "-n", ns, "addr", "add", ownInner + "/24", "dev", ifname);
        ok("ip", "-n", ns, "link", "set", ifname, "mtu", "1420", "up");
    }

    private void ping(final String ns, final String dst) throws Exception {
        final String out = inNs(ns, "ping", "-c", "5", "-i", "0.2", "-W", "5", dst);
        assertTrue(out.contains(" 0% packet loss") || out.contains(" 20% packet loss"), out);
    }

    private String dump(final String ns, final String ifname) throws Exception {
        return inNs(ns, "wg", "show", ifname, "dump");
    }

    @Test
    void shouldPingThroughTheTunnelBetweenTwoJwgDaemons() throws Exception {
        final Path ka = genkey("a.key");
        final Path kb = genkey("b.key");
        startJwg(nsA, ifA);
        startJwg(nsB, ifB);
        configure(nsA, ifA, ka, 51820, key(kb.toString()), "203.0.113.2:51821", "198.51.100.2", "198.51.100.1");
        configure(nsB, ifB, kb, 51821, key(ka.toString()), "203.0.113.1:51820", "198.51.100.1", "198.51.100.2");
        ping(nsA, "198.51.100.2");
        ping(nsB, "198.51.100.1");
        final String[] peer = dump(nsA, ifA).lines().toList().get(1).split("\t");
        assertTrue(Long.parseLong(peer[4]) > 0, "latest handshake recorded: " + String.join(" ", peer));
        assertTrue(Long.parseLong(peer[5]) > 0 && Long.parseLong(peer[6]) > 0, "rx/tx bytes: " + String.join(" ", peer));
    }

    @Test
    void shouldInteroperateWithWireguardGoWhenJwgInitiates() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wireguard-go")), "wireguard-go missing");
        final Path ka = genkey("a.key");
        final Path kb = genkey("b.key");
        startJwg(nsA, ifA);
        startWireguardGo(nsB, ifB);
        configure(nsA, ifA, ka, 51820, key(kb.toString()), "203.0.113.2:51821", "198.51.100.2", "198.51.100.1");
        configure(nsB, ifB, kb, 51821, key(ka.toString()), null, "198.51.100.1", "198.51.100.2");
        ping(nsA, "198.51.100.2");
        ping(nsB, "198.51.100.1");
        assertTrue(dump(nsB, ifB).contains("203.0.113.1:51820"), "wireguard-go learned jwg's endpoint");
    }

    @Test
    void shouldInteroperateWithWireguardGoWhenWireguardGoInitiates() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wireguard-go")), "wireguard-go missing");
        final Path ka = genkey("a.key");
        final Path kb = genkey("b.key");
        startJwg(nsA, ifA);
        startWireguardGo(nsB, ifB);
        configure(nsA, ifA, ka, 51820, key(kb.toString()), null, "198.51.100.2", "198.51.100.1");
        configure(nsB, ifB, kb, 51821, key(ka.toString()), "203.0.113.1:51820", "198.51.100.1", "198.51.100.2");
        ping(nsB, "198.51.100.1");
        ping(nsA, "198.51.100.2");
        assertTrue(dump(nsA, ifA).contains("203.0.113.2:51821"), "jwg learned wireguard-go's endpoint by roaming");
    }

    @Test
    void shouldPingOverIpv6OuterAndInnerBetweenTwoJwgDaemons() throws Exception {
        final String va = "jplva" + (ProcessHandle.current().pid() % 10_000);
        final String vb = "jplvb" + (ProcessHandle.current().pid() % 10_000);
        ok("ip", "-n", nsA, "-6", "addr", "add", "2001:db8:1::1/64", "dev", va, "nodad");
        ok("ip", "-n", nsB, "-6", "addr", "add", "2001:db8:1::2/64", "dev", vb, "nodad");
        final Path ka = genkey("a.key");
        final Path kb = genkey("b.key");
        startJwg(nsA, ifA);
        startJwg(nsB, ifB);
        inNs(nsA, "wg", "set", ifA, "private-key", ka.toString(), "listen-port", "51820", "peer", key(kb.toString()),
            "endpoint", "[2001:db8:1::2]:51821", "allowed-ips", "2001:db8:2::2/128");
        inNs(nsB, "wg", "set", ifB, "private-key", kb.toString(), "listen-port", "51821", "peer", key(ka.toString()),
            "endpoint", "[2001:db8:1::1]:51820", "allowed-ips", "2001:db8:2::1/128");
        ok("ip", "-n", nsA, "-6", "addr", "add", "2001:db8:2::1/64", "dev", ifA, "nodad");
        ok("ip", "-n", nsB, "-6", "addr", "add", "2001:db8:2::2/64", "dev", ifB, "nodad");
        ok("ip", "-n", nsA, "link", "set", ifA, "mtu", "1420", "up");
        ok("ip", "-n", nsB, "link", "set", ifB, "mtu", "1420", "up");
        ping(nsA, "2001:db8:2::2");
        ping(nsB, "2001:db8:2::1");
        assertTrue(dump(nsA, ifA).contains("[2001:db8:1::2]:51821"), dump(nsA, ifA));
    }
}
