package io.jwg.bindings.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.bindings.libc.errno_h;
import io.jwg.bindings.tun.if_tun_h;
import io.jwg.bindings.uring.Uring;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A TUN device in a namespace this test creates (198.51.100.1/24 on jbt0): {@code ping 198.51.100.2} inside
 * the namespace sends echo requests into the TUN; the test reads them through the {@link TunIo} under test,
 * writes echo replies back, and ping must report every reply.
 */
class TunPingTest {

    private static final int PEER = (198 << 24) | (51 << 16) | (100 << 8) | 2;
    private static NetNs ns;

    @BeforeAll
    static void createNamespace() throws Exception {
        if (NetNs.available()) {
            ns = NetNs.create("tun");
        }
    }

    @AfterAll
    static void removeNamespace() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    static TunIo open(final String impl, final TunDevice dev, final PacketPool pool) throws Exception {
        return impl.equals("uring") ? new UringTunIo(dev, pool, 16, 8, 64) : new SyscallTunIo(dev, pool, 16);
    }

    @ParameterizedTest
    @ValueSource(strings = {"syscall", "uring", "syscall+vnet", "uring+vnet"})
    void shouldMakePingSucceedWhenEchoRepliesAreWrittenBack(final String variant) throws Exception {
        assumeTrue(ns != null, "needs root and ip(8) to create a network namespace");
        String impl = variant.replace("+vnet", "");
        boolean vnet = variant.endsWith("+vnet");
        assumeTrue(!impl.equals("uring") || Uring.isAvailable(), () -> "io_uring unavailable: " + Uring.unavailabilityCause());
        TunDevice dev = ns.call(() -> TunDevice.open("jbt0", vnet, TunDevice.DEFAULT_OFFLOADS, false));
        if (vnet) {
            assertEquals(10, dev.vnetHeaderSize());
            int basic = if_tun_h.TUN_F_CSUM | if_tun_h.TUN_F_TSO4 | if_tun_h.TUN_F_TSO6;
            assertEquals(basic, dev.offloads() & basic, dev.toString());
        }
        try (PacketPool pool = new PacketPool(256, 2048)) {
            try (dev) {
                assertEquals("jbt0", dev.name());
                assertTrue(dev.ifindex() > 0);
                ns.ip("addr", "add", "198.51.100.1/24", "dev", "jbt0");
                ns.ip("link", "set", "jbt0", "up");
                TunIo io = open(impl, dev, pool);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger replies = new AtomicInteger();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread responder = new Thread(() -> respond(io, pool, stop, replies, failure), "tun-responder");
                responder.start();
                Process ping = ns.start("ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", "198.51.100.2");
                boolean exited = ping.waitFor(20, TimeUnit.SECONDS);
                if (!exited) {
                    ping.destroyForcibly();
                }
                String out = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                stop.set(true);
                responder.join(10_000);
                assertTrue(!responder.isAlive(), "responder stopped");
                if (failure.get() != null) {
                    throw new AssertionError("responder failed", failure.get());
                }
                assertTrue(exited, "ping finished");
                assertEquals(0, ping.exitValue(), out);
                assertTrue(out.contains("3 received"), out);
                assertTrue(replies.get() >= 3, "replies written: " + replies.get());
                assertTrue(io.readPackets() >= 3);
                assertTrue(io.writtenPackets() >= 3);
            }
            assertEquals(256, pool.available(), "every slot back after close");
        }
    }

    /** Reads packets, answers echo requests to PEER; closes the TunIo on this (its owning) thread. */
    private static void respond(final TunIo io, final PacketPool pool, final AtomicBoolean stop, final AtomicInteger replies,
                                final AtomicReference<Throwable> failure) {
        PacketBatch in = new PacketBatch(pool, 32);
        PacketBatch out = new PacketBatch(pool, 32);
        long deadline = System.nanoTime() + 30_000_000_000L;
        try (io) {
            while (!stop.get() && System.nanoTime() - deadline < 0) {
                int n = io.read(in, 50_000_000L);
                if (n < 0) {
                    assertEquals(-errno_h.EAGAIN, n, "read result");
                    continue;
                }
                for (int i = 0; i < in.count(); i++) {
                    if (IcmpEcho.isEchoRequestTo(in.memory(), in.offset(i), in.length(i), PEER)) {
                        IcmpEcho.toReply(in.memory(), in.offset(i), in.length(i));
                        int vnet = io.device().vnetHeaderSize();
                        in.memory().asSlice(in.offset(i) - vnet, vnet).fill((byte) 0); // plain packet: no offload
                        out.add(in.detach(i), in.offset(i), in.length(i));
                    }
                }
                in.clear();
                if (out.count() > 0) {
                    int w = io.write(out);
                    assertEquals(out.count(), w, "write result");
                    for (int i = 0; i < out.count(); i++) {
                        assertEquals(out.length(i), out.result(i));
                    }
                    replies.addAndGet(w);
                    out.clear();
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        } finally {
            in.clear();
            out.clear();
        }
    }

    @org.junit.jupiter.api.Test
    void shouldAttachSeveralQueuesWhenMultiQueue() throws Exception {
        assumeTrue(ns != null, "needs root and ip(8) to create a network namespace");
        TunDevice q0 = ns.call(() -> TunDevice.open("jbt3", false, 0, true));
        try (q0; TunDevice q1 = ns.call(() -> TunDevice.open("jbt3", false, 0, true))) {
            assertTrue(q0.multiQueue() && q1.multiQueue());
            assertEquals(q0.ifindex(), q1.ifindex(), "two queues of one device");
            assertTrue(q0.fd() != q1.fd());
        }
    }
}
