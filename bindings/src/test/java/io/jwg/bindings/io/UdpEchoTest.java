package io.jwg.bindings.io;

import static io.jwg.bindings.io.UdpTestSupport.LOOPBACK_V4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.bindings.libc.errno_h;
import io.jwg.bindings.libc.socket_h;
import io.jwg.bindings.uring.Uring;
import java.util.BitSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * UDP echo on the loopback of a namespace this test creates: a client sends 64 datagrams in one call,
 * the server receives them (with pktinfo), sends the same batch back to the sources in one call, and the
 * client checks every byte. Runs for each {@link UdpBatchIo} implementation and for IPv4 and IPv6.
 */
class UdpEchoTest {

    private static final int N = 64;
    private static NetNs ns;

    @BeforeAll
    static void createNamespace() throws Exception {
        if (NetNs.available()) {
            ns = NetNs.create("echo");
        }
    }

    @AfterAll
    static void removeNamespace() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    static Stream<Arguments> implementations() {
        return Stream.of(
                Arguments.of("mmsg", false), Arguments.of("mmsg", true),
                Arguments.of("uring", false), Arguments.of("uring", true));
    }

    /** Skips the test when {@code impl} cannot run on this machine. */
    static void assumeImplementation(final String impl) {
        if (impl.equals("uring")) {
            assumeTrue(Uring.isAvailable(), () -> "io_uring unavailable: " + Uring.unavailabilityCause());
        }
    }

    static UdpTestSupport.IoFactory factory(final String impl) {
        return switch (impl) {
            case "mmsg" -> MmsgUdpIo::new;
            case "uring" -> UringUdpIo::new;
            default -> throw new IllegalArgumentException(impl);
        };
    }

    @ParameterizedTest(name = "{0} ipv6={1}")
    @MethodSource("implementations")
    void shouldEchoSixtyFourDatagramsPerCallWhenOnLoopbackOfANamespace(final String impl, final boolean v6) throws Exception {
        assumeTrue(ns != null, "needs root and ip(8) to create a network namespace");
        assumeImplementation(impl);
        UdpSocket[] socks = ns.call(() -> new UdpSocket[] {
            UdpSocket.open(UdpTestSupport.loopback(v6).packetInfo(true)),
            UdpSocket.open(UdpTestSupport.loopback(v6))});
        try (UdpSocket server = socks[0]; UdpSocket client = socks[1]; PacketPool pool = new PacketPool(512, 2048)) {
            int free = pool.available();
            try (UdpBatchIo serverIo = factory(impl).open(server, pool, 128);
                 UdpBatchIo clientIo = factory(impl).open(client, pool, 128)) {
                DatagramBatch out = UdpTestSupport.outgoing(pool, N, 0, server);
                assertEquals(N, clientIo.send(out), "one send call moves all datagrams");
                for (int i = 0; i < N; i++) {
                    assertEquals(UdpTestSupport.lengthOf(i), out.result(i));
                }
                out.clear();

                DatagramBatch in = new DatagramBatch(pool, 128);
                int calls = receiveAll(serverIo, in, N);
                assertEquals(1, calls, impl + ": all " + N + " queued datagrams arrive in one receive call");
                BitSet seen = new BitSet();
                for (int i = 0; i < in.count(); i++) {
                    seen.set(UdpTestSupport.verify(in.memory(), in.offset(i), in.length(i)));
                    assertEquals(client.localPort(), in.remotePort(i));
                    assertEquals(v6 ? socket_h.AF_INET6 : socket_h.AF_INET, in.remoteFamily(i));
                    assertEquals(v6 ? socket_h.AF_INET6 : socket_h.AF_INET, in.localFamily(i), "pktinfo");
                    if (v6) {
                        assertEquals(1L, in.localIpv6Low(i));
                        assertEquals(0L, in.remoteIpv6High(i));
                    } else {
                        assertEquals(LOOPBACK_V4, in.localIpv4(i));
                        assertEquals(LOOPBACK_V4, in.remoteIpv4(i));
                    }
                    assertTrue(in.localIfindex(i) > 0);
                    assertEquals(0, in.flags(i));
                }
                assertEquals(N, seen.cardinality());

                assertEquals(N, serverIo.send(in), "echo back in one call, from the pktinfo address");
                in.clear();

                DatagramBatch back = new DatagramBatch(pool, 128);
                receiveAll(clientIo, back, N);
                seen.clear();
                for (int i = 0; i < back.count(); i++) {
                    seen.set(UdpTestSupport.verify(back.memory(), back.offset(i), back.length(i)));
                    assertEquals(server.localPort(), back.remotePort(i));
                }
                assertEquals(N, seen.cardinality());
                back.clear();
                assertEquals(N, serverIo.receivedDatagrams());
                assertEquals(N, clientIo.sentDatagrams());
                assertEquals(0, serverIo.truncatedDatagrams());
            }
            assertEquals(free, pool.available(), "every slot returned after close");
        }
    }

    /** Receives until {@code n} datagrams are in {@code b} (bounded); {@return the calls that returned data} */
    static int receiveAll(final UdpBatchIo rx, final DatagramBatch b, final int n) {
        int calls = 0;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (b.count() < n && System.nanoTime() - deadline < 0) {
            int r = rx.receive(b, 1_000_000_000L);
            assertTrue(r > 0 || r == -errno_h.EAGAIN, "receive returned " + r);
            if (r > 0) {
                calls++;
            }
        }
        assertEquals(n, b.count(), "datagrams received");
        return calls;
    }
}
