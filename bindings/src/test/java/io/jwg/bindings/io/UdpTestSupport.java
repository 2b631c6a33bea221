package io.jwg.bindings.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Helpers shared by the UDP tests: loopback sockets, payload patterns, and the implementations under test. */
final class UdpTestSupport {

    static final int LOOPBACK_V4 = 0x7f000001;

    /** Builds the {@link UdpBatchIo} under test. */
    @FunctionalInterface
    interface IoFactory {
        UdpBatchIo open(UdpSocket socket, PacketPool pool, int maxBatch) throws Exception;
    }

    private UdpTestSupport() {
    }

    static UdpSocket.Config loopback(final boolean v6) {
        UdpSocket.Config c = v6 ? UdpSocket.Config.ipv6().bindIpv6(0, 1) : UdpSocket.Config.ipv4().bindIpv4(LOOPBACK_V4);
        return c.receiveBufferBytes(4 << 20).sendBufferBytes(4 << 20);
    }

    static void addressTo(final DatagramBatch b, final int i, final UdpSocket to) {
        if (to.family() == io.jwg.bindings.libc.socket_h.AF_INET6) {
            b.setRemoteIpv6(i, 0, 1, to.localPort(), 0);
        } else {
            b.setRemoteIpv4(i, LOOPBACK_V4, to.localPort());
        }
    }

    /** {@return payload length of datagram {@code id}: 4..1400 bytes} */
    static int lengthOf(final int id) {
        return 4 + (id * 37) % 1397;
    }

    /** Writes datagram {@code id}'s pattern ({@code id} as int, then bytes derived from it). */
    static void fill(final MemorySegment mem, final long off, final int id, final int len) {
        mem.set(ValueLayout.JAVA_INT_UNALIGNED, off, id);
        for (int k = 4; k < len; k++) {
            mem.set(ValueLayout.JAVA_BYTE, off + k, (byte) (id * 31 + k));
        }
    }

    /** Checks the pattern of a received datagram; {@return its id} */
    static int verify(final MemorySegment mem, final long off, final int len) {
        int id = mem.get(ValueLayout.JAVA_INT_UNALIGNED, off);
        assertEquals(lengthOf(id), len, "length of datagram " + id);
        for (int k = 4; k < len; k++) {
            if (mem.get(ValueLayout.JAVA_BYTE, off + k) != (byte) (id * 31 + k)) {
                throw new AssertionError("datagram " + id + " differs at byte " + k);
            }
        }
        return id;
    }

    /** Acquires {@code n} slots, fills datagrams {@code firstId..} into them and addresses them to {@code to}. */
    static DatagramBatch outgoing(final PacketPool pool, final int n, final int firstId, final UdpSocket to) {
        DatagramBatch b = new DatagramBatch(pool, n);
        for (int k = 0; k < n; k++) {
            int slot = pool.acquire();
            int id = firstId + k;
            int len = lengthOf(id);
            fill(pool.memory(), pool.slotOffset(slot), id, len);
            int i = b.add(slot, pool.slotOffset(slot), len);
            addressTo(b, i, to);
        }
        return b;
    }
}
