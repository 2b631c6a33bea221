package io.jwg.bindings.io;

import io.jwg.bindings.libc.Errno;
import io.jwg.bindings.libc.libc_h;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a network namespace named {@code jb-<tag>-<random>} made with {@code ip netns add}, with
 * {@code lo} up, and one dedicated platform thread that entered it with {@code setns(2)} (which moves only
 * the calling thread). Sockets and TUN devices created by {@link #call} belong to the namespace; the
 * descriptors can then be used from any thread. {@link #close()} stops the thread and deletes the namespace.
 */
final class NetNs implements AutoCloseable {

    private final String name;
    private final ExecutorService thread;

    private NetNs(final String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** {@return whether this process may create namespaces (runs as root and has ip(8))} */
    static boolean available() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        try {
            return new ProcessBuilder("ip", "netns", "list").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Creates {@code jb-<tag>-<random>} and a thread inside it. */
    static NetNs create(final String tag) throws Exception {
        String n = "jb-" + tag + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
        run("ip", "netns", "add", n);
        NetNs ns = new NetNs(n);
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

    /** Runs {@code task} on the thread inside the namespace and waits for it (bounded). */
    <T> T call(final Callable<T> task) throws Exception {
        Future<T> f = thread.submit(task);
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
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

    /** Starts {@code cmd} inside the namespace ({@code ip netns exec}). The caller waits for and reaps it. */
    Process start(final String... cmd) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(List.of(cmd));
        return new ProcessBuilder(c).redirectErrorStream(true).start();
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
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        run("ip", "netns", "del", name);
    }
}
