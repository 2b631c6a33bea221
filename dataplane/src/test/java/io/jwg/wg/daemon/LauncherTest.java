package io.jwg.wg.daemon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code ./jwg} launcher as {@code wg-quick} uses it: returns only once the TUN and the socket
 * exist, leaves a detached daemon that does not carry the foreground variable, and the daemon ends
 * on socket deletion, SIGTERM and deletion of its interface. Every daemon runs in a network
 * namespace the test creates (its TUN lands there; the socket directory is shared). Runs the
 * classes this build compiled ({@code JWG_CLASSPATH}). Needs root; skipped otherwise. Only PIDs
 * this test started are ever signalled.
 */
@Timeout(240)
class LauncherTest {

    private static final Path RUN = Path.of("/var/run/wireguard");

    @TempDir
    Path tmp;

    private Path repo;
    private final List<Long> started = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();

    private record Result(int code, String out, String err) {
    }

    @BeforeEach
    void setUp() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for /var/run/wireguard");
        final String dir = System.getProperty("jwg.repo.dir");
        assumeTrue(dir != null, "jwg.repo.dir not set (run through Maven)");
        repo = Path.of(dir);
        assumeTrue(Files.isExecutable(repo.resolve("jwg")), "launcher missing");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (final long pid : started) {
            stopOurDaemon(pid);
        }
        for (final String ns : namespaces) {
            run(List.of("ip", "netns", "del", ns), Map.of());
        }
        for (final String name : List.of("jwgu2", "jwgu3", "jwgu4")) {
            removeIfStale(RUN.resolve(name + ".sock"));
        }
    }

    /** Stops a daemon this test started (by PID, only if it still is a jwg daemon): SIGTERM, then SIGKILL. */
    static void stopOurDaemon(final long pid) throws InterruptedException {
        final var h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
            .filter(p -> p.info().commandLine().map(c -> c.contains("io.jwg.wg.daemon.Main")).orElse(false));
        if (h.isEmpty()) {
            return;
        }
        h.get().destroy();
        if (!waitDead(pid)) {
            h.get().destroyForcibly();
        }
    }

    /** Deletes a socket file nobody answers on (left by a killed daemon). */
    static void removeIfStale(final Path sock) throws IOException {
        if (Files.exists(sock, LinkOption.NOFOLLOW_LINKS) && !answers(sock)) {
            Files.deleteIfExists(sock);
        }
    }

    private Map<String, String> env() {
        final String cp = String.join(":", repo.resolve("dataplane/target/classes").toString(),
            repo.resolve("bindings/target/classes").toString(), repo.resolve("crypto-simd/target/classes").toString());
        return Map.of("JWG_CLASSPATH", cp, "JWG_PID_FILE", tmp.resolve("pid").toString());
    }

    private ProcessBuilder builder(final List<String> cmd, final Map<String, String> extraEnv) throws IOException {
        final ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("WG_PROCESS_FOREGROUND");
        pb.environment().remove("LOG_LEVEL");
        pb.environment().remove("JWG_READY_FD");
        pb.environment().putAll(extraEnv);
        // Files, not pipes: a detached daemon may inherit stdout/stderr and would hold a pipe open.
        final Path out = Files.createTempFile(tmp, "out", ".txt");
        final Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        return pb;
    }

    private Result run(final List<String> cmd, final Map<String, String> extraEnv) throws Exception {
        final ProcessBuilder pb = builder(cmd, extraEnv);
        final Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "command hung: " + cmd);
        return new Result(p.exitValue(), Files.readString(pb.redirectOutput().file().toPath()),
            Files.readString(pb.redirectError().file().toPath()));
    }

    /** A fresh network namespace for this test (removed afterwards): the daemon's TUN goes there. */
    private String netns() throws Exception {
        final String ns = "ju-" + ProcessHandle.current().pid() + "-" + namespaces.size();
        assertEquals(0, run(List.of("ip", "netns", "add", ns), Map.of()).code());
        namespaces.add(ns);
        return ns;
    }

    private List<String> inNetns(final String ns, final String... args) {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, repo.resolve("jwg").toString()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Runs {@code ./jwg args} inside network namespace {@code ns}. */
    private Result jwg(final String ns, final String... args) throws Exception {
        return run(inNetns(ns, args), env());
    }

    private boolean linkExists(final String ns, final String name) throws Exception {
        return run(List.of("ip", "-n", ns, "link", "show", "dev", name), Map.of()).code() == 0;
    }

    private long daemonPid() throws IOException {
        final long pid = Long.parseLong(Files.readString(tmp.resolve("pid")).strip());
        started.add(pid);
        return pid;
    }

    private static String get(final Path sock) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            Channels.newOutputStream(c).write("get=1\n\n".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            final ByteArrayOutputStream b = new ByteArrayOutputStream();
            Channels.newInputStream(c).transferTo(b);
            return b.toString(StandardCharsets.US_ASCII);
        }
    }

    private static boolean answers(final Path sock) {
        try {
            return get(sock).endsWith("errno=0\n\n");
        } catch (final IOException e) {
            return false;
        }
    }

    private static boolean waitDead(final long pid) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static String[] stat(final long pid) throws IOException {
        final String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }

    private static List<String> environ(final long pid) throws IOException {
        return Arrays.asList(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")),
            StandardCharsets.UTF_8).split("\0"));
    }

    @Test
    void shouldReturnOnceTunAndSocketExistThenRunDetachedUntilTheSocketIsDeleted() throws Exception {
        final String ns = netns();
        final Path sock = RUN.resolve("jwgu2.sock");
        final Result r = jwg(ns, "jwgu2");
        assertEquals(0, r.code(), r.err());
        final long pid = daemonPid();
        assertTrue(get(sock).endsWith("errno=0\n\n"), "the socket answers as soon as the launcher returns");
        assertTrue(linkExists(ns, "jwgu2"), "the TUN exists as soon as the launcher returns");
        final String[] st = stat(pid);
        assertEquals(Long.toString(pid), st[3], "the daemon leads its own session (setsid)");
        assertTrue(environ(pid).stream().noneMatch(e -> e.startsWith("WG_PROCESS_FOREGROUND=")));

        // same namespace: the TUN is taken (wireguard-go also creates the TUN first)
        final Result sameNs = jwg(ns, "jwgu2");
        assertEquals(1, sameNs.code());
        assertTrue(sameNs.err().startsWith("jwg: Failed to create TUN device: TUNSETIFF jwgu2: EBUSY"), sameNs.err());
        // another namespace: the socket directory is shared, so the socket is taken
        final String other = netns();
        final Result otherNs = jwg(other, "jwgu2");
        assertEquals(1, otherNs.code());
        assertTrue(otherNs.err().contains("unix socket in use"), otherNs.err());
        assertFalse(linkExists(other, "jwgu2"), "the failed daemon's TUN went away with it");
        assertTrue(answers(sock), "the first daemon is unharmed");

        Files.delete(sock);
        assertTrue(waitDead(pid), "daemon still running after its socket was deleted");
        assertFalse(linkExists(ns, "jwgu2"), "its TUN went away with it");
    }

    @Test
    void shouldStopCleanlyOnSigterm() throws Exception {
        final String ns = netns();
        final Path sock = RUN.resolve("jwgu2.sock");
        assertEquals(0, jwg(ns, "jwgu2").code());
        final long pid = daemonPid();
        assertTrue(answers(sock));
        ProcessHandle.of(pid).orElseThrow().destroy();   // SIGTERM
        assertTrue(waitDead(pid));
        assertFalse(Files.exists(sock, LinkOption.NOFOLLOW_LINKS), "socket removed on exit");
        assertFalse(linkExists(ns, "jwgu2"));
    }

    @Test
    void shouldStayInTheForegroundWithTheVariableSetAndNotPassItOn() throws Exception {
        final String ns = netns();
        final Path sock = RUN.resolve("jwgu3.sock");
        final java.util.HashMap<String, String> e = new java.util.HashMap<>(env());
        e.put("WG_PROCESS_FOREGROUND", "1");
        final ProcessBuilder pb = builder(inNetns(ns, "jwgu3"), e);
        final Process p = pb.start();
        started.add(p.pid());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answers(sock) && System.nanoTime() - deadline < 0) {
            assertTrue(p.isAlive(), () -> "exited early: " + readQuietly(pb.redirectError().file().toPath()));
            Thread.sleep(50);
        }
        assertTrue(answers(sock));
        assertTrue(p.isAlive(), "foreground mode must not return");
        assertEquals(Long.toString(p.pid()), Files.readString(tmp.resolve("pid")).strip(), "the launcher became the JVM");
        assertTrue(environ(p.pid()).stream().noneMatch(v -> v.startsWith("WG_PROCESS_FOREGROUND=")));
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "SIGTERM is a clean exit");
        assertFalse(Files.exists(sock, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void shouldReportTheDaemonsErrorsAndUsage() throws Exception {
        final String ns = netns();
        final Result bad = jwg(ns, "a/b");
        assertEquals(1, bad.code());
        assertEquals("jwg: Failed to create TUN device: interface name contains an invalid character\n", bad.err());
        final Result usage = jwg(ns);
        assertEquals(1, usage.code());
        assertTrue(usage.err().startsWith("Usage: jwg [-f/--foreground] INTERFACE-NAME"), usage.err());
        assertEquals(1, jwg(ns, "-x", "jwgu2").code());
    }

    @Test
    void shouldExitWhenItsInterfaceIsDeleted() throws Exception {
        final String ns = netns();
        final Result r = jwg(ns, "jwgu4");
        assertEquals(0, r.code(), r.err());
        final long pid = daemonPid();
        assertTrue(answers(RUN.resolve("jwgu4.sock")));
        assertEquals(0, run(List.of("ip", "-n", ns, "link", "del", "jwgu4"), Map.of()).code());
        assertTrue(waitDead(pid), "daemon still running after its interface was deleted");
        assertFalse(Files.exists(RUN.resolve("jwgu4.sock"), LinkOption.NOFOLLOW_LINKS));
    }

    private static String readQuietly(final Path p) {
        try {
            return Files.readString(p);
        } catch (final IOException e) {
            return "";
        }
    }
}
