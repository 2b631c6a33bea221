package io.jwg.bindings.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.bindings.libc.errno_h;
import io.jwg.bindings.uring.Uring;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input on a TUN device (in a namespace this test creates) gives result codes, never exceptions or leaked
 * slots: nothing to read (EAGAIN), no buffer (ENOBUFS), a packet longer than a slot (truncated, flagged,
 * counted), a malformed packet in a write batch (EINVAL for it, the rest written), a closed device (EBADF).
 */
class TunBadInputTest {

    private static NetNs ns;

    @BeforeAll
    static void createNamespace() throws Exception {
        if (NetNs.available()) {
            ns = NetNs.create("tunbad");
        }
    }

    @AfterAll
    static void removeNamespace() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    private static void assume(final String impl) {
        assumeTrue(ns != null, "needs root and ip(8) to create a network namespace");
        assumeTrue(!impl.equals("uring") || Uring.isAvailable(), () -> "io_uring unavailable: " + Uring.unavailabilityCause());
    }

    @ParameterizedTest
    @ValueSource(strings = {"syscall", "uring"})
    void shouldReturnCodesForEmptyExhaustedMalformedAndClosed(final String impl) throws Exception {
        assume(impl);
        TunDevice dev = ns.call(() -> TunDevice.open("jbt1", false, 0, false));
        try (PacketPool pool = new PacketPool(16, 2048)) {
            TunIo io = TunPingTest.open(impl, dev, pool);
            PacketBatch in = new PacketBatch(pool, 8);
            assertEquals(-errno_h.EAGAIN, io.read(in, 0), "down device, nothing to read");
            assertEquals(-errno_h.EAGAIN, io.read(in, 20_000_000L));

            List<Integer> hoard = new ArrayList<>();
            for (int s = pool.acquire(); s >= 0; s = pool.acquire()) {
                hoard.add(s);
            }
            int r = io.read(in, 0);
            assertTrue(r == -errno_h.ENOBUFS || r == -errno_h.EAGAIN, "got " + r); // uring may still hold posted reads
            hoard.forEach(pool::release);

            ns.ip("addr", "add", "203.0.113.1/24", "dev", "jbt1");
            ns.ip("link", "set", "jbt1", "up");
            PacketBatch out = new PacketBatch(pool, 3);
            for (int k = 0; k < 3; k++) {
                int slot = pool.acquire();
                long off = pool.slotOffset(slot) + 16;
                int len = writeEchoRequest(pool.memory(), off, k);
                out.add(slot, off, len);
            }
            pool.memory().set(ValueLayout.JAVA_BYTE, out.offset(1), (byte) 0x00); // IP version 0: malformed
            assertEquals(2, io.write(out));
            assertEquals(out.length(0), out.result(0));
            assertEquals(-errno_h.EINVAL, out.result(1));
            assertEquals(out.length(2), out.result(2));
            out.clear();
            in.clear();

            dev.close();
            assertEquals(-errno_h.EBADF, io.read(in, 0));
            PacketBatch late = new PacketBatch(pool, 1);
            late.add(pool.acquire(), 0, 20);
            assertEquals(-errno_h.EBADF, io.write(late));
            assertEquals(-errno_h.EBADF, late.result(0));
            late.clear();
            io.close();
            assertEquals(16, pool.available(), "no slot leaked");
        } finally {
            dev.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"syscall", "uring"})
    void shouldFlagAndCountTruncatedPacketsWhenLongerThanASlot(final String impl) throws Exception {
        assume(impl);
        TunDevice dev = ns.call(() -> TunDevice.open("jbt2", false, 0, false));
        try (dev; PacketPool pool = new PacketPool(32, 512)) {
            ns.ip("addr", "add", "203.0.113.65/26", "dev", "jbt2");
            ns.ip("link", "set", "jbt2", "up");
            TunIo io = TunPingTest.open(impl, dev, pool);
            PacketBatch in = new PacketBatch(pool, 8);
            Process ping = ns.start("ping", "-n", "-c", "1", "-s", "1000", "-W", "1", "203.0.113.66");
            boolean found = false;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!found && System.nanoTime() - deadline < 0) {
                io.read(in, 100_000_000L);
                for (int i = 0; i < in.count(); i++) {
                    if (in.isTruncated(i)) {
                        found = true;
                        assertEquals(512 - io.headroom(), in.length(i));
                        assertEquals(0x45, in.memory().get(ValueLayout.JAVA_BYTE, in.offset(i)) & 0xFF);
                    }
                }
                in.clear();
            }
            assertTrue(ping.waitFor(10, TimeUnit.SECONDS));
            assertTrue(found, "the 1028-byte echo request arrived truncated");
            assertTrue(io.truncatedPackets() >= 1);
            io.close();
            assertEquals(32, pool.available());
        }
    }

    /** Writes an IPv4 ICMP echo request 203.0.113.2 -> 203.0.113.1; {@return its length} */
    private static int writeEchoRequest(final MemorySegment m, final long off, final int seq) {
        int len = 28;
        for (int k = 0; k < len; k++) {
            m.set(ValueLayout.JAVA_BYTE, off + k, (byte) 0);
        }
        m.set(ValueLayout.JAVA_BYTE, off, (byte) 0x45);
        m.set(ValueLayout.JAVA_BYTE, off + 3, (byte) len);
        m.set(ValueLayout.JAVA_BYTE, off + 8, (byte) 64);
        m.set(ValueLayout.JAVA_BYTE, off + 9, (byte) 1);
        byte[] src = {(byte) 203, 0, 113, 2};
        byte[] dst = {(byte) 203, 0, 113, 1};
        for (int k = 0; k < 4; k++) {
            m.set(ValueLayout.JAVA_BYTE, off + 12 + k, src[k]);
            m.set(ValueLayout.JAVA_BYTE, off + 16 + k, dst[k]);
        }
        m.set(ValueLayout.JAVA_BYTE, off + 20, (byte) 8);
        m.set(ValueLayout.JAVA_BYTE, off + 27, (byte) seq);
        int c = IcmpEcho.checksum(m, off, 20);
        m.set(ValueLayout.JAVA_BYTE, off + 10, (byte) (c >> 8));
        m.set(ValueLayout.JAVA_BYTE, off + 11, (byte) c);
        c = IcmpEcho.checksum(m, off + 20, 8);
        m.set(ValueLayout.JAVA_BYTE, off + 22, (byte) (c >> 8));
        m.set(ValueLayout.JAVA_BYTE, off + 23, (byte) c);
        return len;
    }
}
