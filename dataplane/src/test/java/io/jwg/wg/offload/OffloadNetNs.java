package io.jwg.wg.offload;

import io.jwg.bindings.libc.Errno;
import io.jwg.bindings.libc.libc_h;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture (the bindings tests' approach): a network namespace {@code jo-<tag>-<random>} made with
 * {@code ip netns add}, {@code lo} up, and one platform thread that entered it with {@code setns(2)} (which
 * moves only that thread). Sockets and TUN devices created through {@link #call} belong to the namespace and
 * can then be used from any thread. {@link #close()} stops the thread and deletes the namespace.
 */
final class OffloadNetNs implements AutoCloseable {

    private final String name;
    private final ExecutorService thread;

    private OffloadNetNs(final String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** {@return whether this process can create namespaces (root with ip(8)) and has /dev/net/tun} */
    static boolean available() {
        if (!"root".equals(System.getProperty("user.name")) || !new java.io.File("/dev/net/tun").exists()) {
            return false;
        }
        try {
            return new ProcessBuilder("ip", "netns", "list").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static OffloadNetNs create(final String tag) throws Exception {
        String n = "jo-" + tag + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
        run("ip", "netns", "add", n);
        OffloadNetNs ns = new OffloadNetNs(n);
        try {
            ns.ip("link", "set", "lo", "up");
            ns.call(() -> {
                enter(n);
                return null;
            });
            return ns;
        } catch (Exception | Error e) {
            ns.close();
            throw e;
        }
    }

    private static void enter(final String n) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Errno.allocateState(a);
            int fd = libc_h.open(err, a.allocateFrom("/var/run/netns/" + n), libc_h.O_RDONLY | libc_h.O_CLOEXEC, 0);
            if (fd < 0) {
                throw new IllegalStateException("open netns: " + Errno.describe(Errno.get(err)));
            }
            try {
                if (libc_h.setns(err, fd, libc_h.CLONE_NEWNET) < 0) {
                    throw new IllegalStateException("setns: " + Errno.describe(Errno.get(err)));
                }
            } finally {
                libc_h.close(err, fd);
            }
        }
    }

    String name() {
        return name;
    }

    /** Runs {@code task} on the thread inside the namespace and waits for it (at most 30 s). */
    <T> T call(final Callable<T> task) throws Exception {
        Future<T> f = thread.submit(task);
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** Runs {@code ip <args>} inside the namespace; throws on failure. */
    void ip(final String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        run(cmd.toArray(String[]::new));
    }

    static String run(final String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        thread.shutdownNow();
        thread.awaitTermination(10, TimeUnit.SECONDS);
        run("ip", "netns", "del", name);
    }
}
