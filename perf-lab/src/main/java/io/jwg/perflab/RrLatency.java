package io.jwg.perflab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Request/response latency over one TCP connection, recorded with HdrHistogram: perf-lab's latency
 * test (the {@code latency} rows of compare.sh, through {@code perf-lab/latency/hook}).
 *
 * <p>The server echoes fixed-size requests. The client sends one request every {@code 1/rate}
 * seconds on a fixed schedule, waits for its echo and records the round trip from the moment it was
 * sent. A round trip longer than the send interval delays the requests behind it; those are
 * accounted for with {@link Histogram#recordValueWithExpectedInterval} (coordinated-omission
 * correction), so a stall shows in the percentiles as the stall a steady sender would have seen.
 * Every echo is checked (request sequence number in its first 8 bytes).
 *
 * <pre>
 *   RrLatency server --bind ADDR --port P [--size 64] [--seconds 300]
 *   RrLatency client --host ADDR --port P [--size 64] [--rate 1000] [--seconds 10] [--warmup 2]
 *                    [--name rr] [--hgrm FILE]
 * </pre>
 * The client prints {@code NAME_p50_us}, {@code NAME_p99_us}, {@code NAME_p999_us},
 * {@code NAME_max_us} and {@code NAME_count} lines ("metric value") and, with {@code --hgrm}, the
 * full percentile distribution in microseconds. Exit status 2 for bad arguments, 1 for a failed
 * exchange (connect refused, timeout, wrong echo).
 */
public final class RrLatency {
    /** Longest accepted run, so every use is bounded in time. */
    static final int MAX_SECONDS = 600;
    /** How long one exchange may take before the client gives up. */
    static final int IO_TIMEOUT_MS = 5_000;
    /** Highest trackable round trip in the histogram (larger values are clamped to it). */
    static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(IO_TIMEOUT_MS / 1000 + 1);

    private RrLatency() {
    }

    /** Client settings; {@link #parse} validates ranges. */
    record ClientOptions(InetAddress host, int port, int size, int rate, double seconds, double warmup,
                         String name, Path hgrm) {
    }

    /** Entry point; see the class comment. */
    public static void main(final String[] args) {
        final Map<String, String> o;
        try {
            if (args.length < 1 || !(args[0].equals("server") || args[0].equals("client"))) {
                throw new IllegalArgumentException("first argument must be 'server' or 'client'");
            }
            o = options(args);
        } catch (IllegalArgumentException e) {
            System.err.println("RrLatency: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            if (args[0].equals("server")) {
                final InetAddress bind = address(o, "bind");
                final int port = intIn(o, "port", -1, 1, 65535);
                final int size = intIn(o, "size", 64, 8, 65536);
                final int seconds = intIn(o, "seconds", 300, 1, MAX_SECONDS);
                try (Server s = Server.start(bind, port, size)) {
                    System.err.println("RrLatency server on " + bind.getHostAddress() + " port " + s.port());
                    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                }
            } else {
                final ClientOptions c = parse(o);
                final Histogram h = runClient(c);
                report(c.name(), h, System.out);
                if (c.hgrm() != null) {
                    try (PrintStream ps = new PrintStream(Files.newOutputStream(c.hgrm()), true, "UTF-8")) {
                        h.outputPercentileDistribution(ps, 1000.0);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("RrLatency: " + e.getMessage());
            System.exit(2);
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            System.err.println("RrLatency: " + e);
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Parses and validates client options. */
    static ClientOptions parse(final Map<String, String> o) {
        final String name = o.getOrDefault("name", "rr");
        if (!name.matches("[A-Za-z0-9_]{1,40}")) {
            throw new IllegalArgumentException("--name must be 1-40 of [A-Za-z0-9_]: " + name);
        }
        return new ClientOptions(address(o, "host"), intIn(o, "port", -1, 1, 65535), intIn(o, "size", 64, 8, 65536),
                intIn(o, "rate", 1000, 1, 100_000), doubleIn(o, "seconds", 10, 0.1, MAX_SECONDS),
                doubleIn(o, "warmup", 2, 0, MAX_SECONDS), name, o.containsKey("hgrm") ? Path.of(o.get("hgrm")) : null);
    }

    /**
     * Runs the paced client and returns the round trips (ns) of requests sent after the warm-up.
     *
     * @throws IOException if the connection fails, an echo times out or does not match its request
     */
    static Histogram runClient(final ClientOptions c) throws IOException {
        final Histogram h = new Histogram(HIGHEST_NS, 3);
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) / c.rate();
        final byte[] req = new byte[c.size()];
        final byte[] resp = new byte[c.size()];
        final ByteBuffer reqView = ByteBuffer.wrap(req);
        final ByteBuffer respView = ByteBuffer.wrap(resp);
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(c.host(), c.port()), IO_TIMEOUT_MS);
            s.setSoTimeout(IO_TIMEOUT_MS);
            final InputStream in = s.getInputStream();
            final OutputStream out = s.getOutputStream();
            final long startNs = System.nanoTime();
            final long measureFromNs = startNs + (long) (c.warmup() * 1e9);
            final long endNs = measureFromNs + (long) (c.seconds() * 1e9);
            for (long seq = 0; ; seq++) {
                final long dueNs = startNs + seq * intervalNs;
                if (dueNs >= endNs) {
                    break;
                }
                long now;
                while ((now = System.nanoTime()) < dueNs) {
                    LockSupport.parkNanos(dueNs - now);
                }
                reqView.putLong(0, seq);
                out.write(req);
                if (in.readNBytes(resp, 0, resp.length) != resp.length) {
                    throw new IOException("server closed the connection after " + seq + " requests");
                }
                final long rttNs = System.nanoTime() - now;
                if (respView.getLong(0) != seq) {
                    throw new IOException("echo of request " + seq + " carried sequence " + respView.getLong(0));
                }
                if (now >= measureFromNs) {
                    h.recordValueWithExpectedInterval(Math.min(rttNs, HIGHEST_NS), intervalNs);
                }
            }
        }
        if (h.getTotalCount() == 0) {
            throw new IllegalStateException("no request was measured (warm-up longer than the run?)");
        }
        return h;
    }

    /** Prints the summary lines ("metric value", microseconds) compare.sh turns into table rows. */
    static void report(final String name, final Histogram h, final PrintStream out) {
        final Map<String, String> m = new LinkedHashMap<>();
        m.put("p50_us", us(h.getValueAtPercentile(50)));
        m.put("p99_us", us(h.getValueAtPercentile(99)));
        m.put("p999_us", us(h.getValueAtPercentile(99.9)));
        m.put("max_us", us(h.getMaxValue()));
        m.put("count", Long.toString(h.getTotalCount()));
        m.forEach((k, v) -> out.println(name + "_" + k + " " + v));
    }

    private static String us(final long ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1000.0);
    }

    /** Echo server: one virtual thread per connection, each echoing {@code size}-byte requests. */
    static final class Server implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread acceptor;

        private Server(final ServerSocket socket, final int size) {
            this.socket = socket;
            this.acceptor = Thread.ofPlatform().daemon().name("rr-accept").start(() -> acceptLoop(size));
        }

        /** Binds {@code bind:port} (port 0 for any) and starts accepting. */
        static Server start(final InetAddress bind, final int port, final int size) throws IOException {
            final ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(bind, port), 16);
            return new Server(ss, size);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void acceptLoop(final int size) {
            while (!socket.isClosed()) {
                try {
                    final Socket c = socket.accept();
                    Thread.ofVirtual().name("rr-echo").start(() -> echo(c, size));
                } catch (SocketException closed) {
                    return;
                } catch (IOException e) {
                    System.err.println("RrLatency server: accept: " + e);
                }
            }
        }

        private static void echo(final Socket c, final int size) {
            final byte[] buf = new byte[size];
            try (c) {
                c.setTcpNoDelay(true);
                final InputStream in = c.getInputStream();
                final OutputStream out = c.getOutputStream();
                while (in.readNBytes(buf, 0, size) == size) {
                    out.write(buf);
                }
            } catch (IOException e) {
                // the client went away; nothing to answer
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            acceptor.interrupt();
        }
    }

    /** {@code --key value} pairs after the mode word; a key may appear once. */
    static Map<String, String> options(final String[] args) {
        final Map<String, String> o = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --key value, got '" + args[i] + "'");
            }
            if (o.put(args[i].substring(2), args[i + 1]) != null) {
                throw new IllegalArgumentException("option " + args[i] + " given twice");
            }
        }
        return o;
    }

    private static InetAddress address(final Map<String, String> o, final String key) {
        final String v = o.get(key);
        if (v == null || !v.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("--" + key + " needs a numeric IP address, got " + v);
        }
        try {
            return InetAddress.getByName(v);
        } catch (IOException e) {
            throw new IllegalArgumentException("--" + key + " is not an IP address: " + v);
        }
    }

    private static int intIn(final Map<String, String> o, final String key, final int dflt, final int min, final int max) {
        final String v = o.get(key);
        if (v == null && dflt >= 0) {
            return dflt;
        }
        try {
            final int x = Integer.parseInt(String.valueOf(v));
            if (x >= min && x <= max) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + key + " must be an integer in " + min + ".." + max + ", got " + v);
    }

    private static double doubleIn(final Map<String, String> o, final String key, final double dflt, final double min,
                                   final double max) {
        final String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            final double x = Double.parseDouble(v);
            if (x >= min && x <= max) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + key + " must be a number in " + min + ".." + max + ", got " + v);
    }
}
