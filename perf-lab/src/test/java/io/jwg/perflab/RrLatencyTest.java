package io.jwg.perflab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class RrLatencyTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static RrLatency.ClientOptions client(final int port, final int rate, final double seconds) {
        return new RrLatency.ClientOptions(LOOPBACK, port, 64, rate, seconds, 0.2, "t", null);
    }

    @Test
    void measuresEveryScheduledRequestAgainstTheEchoServer() throws IOException {
        try (RrLatency.Server s = RrLatency.Server.start(LOOPBACK, 0, 64)) {
            final Histogram h = RrLatency.runClient(client(s.port(), 200, 1.0));
            // 200 requests are scheduled after the warm-up; coordinated-omission correction may add more.
            assertTrue(h.getTotalCount() >= 200, "count " + h.getTotalCount());
            assertTrue(h.getValueAtPercentile(50) > 0);
            assertTrue(h.getValueAtPercentile(50) <= h.getValueAtPercentile(99));
            assertTrue(h.getValueAtPercentile(99) <= h.getMaxValue());
        }
    }

    @Test
    void reportPrintsOneMetricPerLineInMicroseconds() {
        final Histogram h = new Histogram(RrLatency.HIGHEST_NS, 3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 1000L); // 1..1000 us
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RrLatency.report("idle", h, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final Map<String, Double> m = new HashMap<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            final String[] kv = line.split(" ");
            assertEquals(2, kv.length, line);
            m.put(kv[0], Double.parseDouble(kv[1]));
        }
        assertEquals(1000.0, m.get("idle_count"));
        assertEquals(500.0, m.get("idle_p50_us"), 1.0);
        assertEquals(990.0, m.get("idle_p99_us"), 1.0);
        assertEquals(999.0, m.get("idle_p999_us"), 1.0);
        assertEquals(1000.0, m.get("idle_max_us"), 1.0);
    }

    @Test
    void rejectsAWrongEcho() throws IOException {
        // A server that answers with zeros: request 1 carries sequence 1, its echo says 0.
        try (ServerSocket bad = new ServerSocket(0, 1, LOOPBACK)) {
            final Thread t = Thread.ofVirtual().start(() -> {
                try (Socket c = bad.accept()) {
                    final byte[] buf = new byte[64];
                    while (c.getInputStream().readNBytes(buf, 0, 64) == 64) {
                        Arrays.fill(buf, (byte) 0);
                        c.getOutputStream().write(buf);
                    }
                } catch (IOException ignored) {
                    // the client closes first
                }
            });
            final IOException e = assertThrows(IOException.class, () -> RrLatency.runClient(client(bad.getLocalPort(), 100, 1.0)));
            assertTrue(e.getMessage().contains("sequence"), e.getMessage());
            t.interrupt();
        }
    }

    @Test
    void refusesBadOptionsWithAClearMessage() {
        assertThrows(IllegalArgumentException.class, () -> RrLatency.options(new String[] {"client", "--port"}));
        assertThrows(IllegalArgumentException.class, () -> RrLatency.options(new String[] {"client", "--port", "1", "--port", "2"}));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RrLatency.parse(RrLatency.options(new String[] {"client", "--host", "192.0.2.2", "--port", "70000"})));
        assertTrue(e.getMessage().contains("--port"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RrLatency.parse(RrLatency.options(new String[] {"client", "--host", "example.org", "--port", "1"})));
        assertThrows(IllegalArgumentException.class,
                () -> RrLatency.parse(RrLatency.options(new String[] {"client", "--host", "192.0.2.2", "--port", "1", "--seconds", "9999"})));
        assertEquals(1000, RrLatency.parse(RrLatency.options(new String[] {"client", "--host", "192.0.2.2", "--port", "1"})).rate());
    }
}
