package io.jwg.bindings.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.bindings.libc.errno_h;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input gives a result code, never an exception or a leaked slot: closed descriptor, nothing to read
 * (EAGAIN), no buffer (ENOBUFS), datagrams longer than a slot (MSG_TRUNC), an undeliverable entry in the
 * middle of a batch. Uses the loopback of the test's own namespace (no root needed), for every implementation.
 */
class UdpBadInputTest {

    static UdpBatchIo open(final String impl, final UdpSocket s, final PacketPool pool, final int max) throws Exception {
        return UdpEchoTest.factory(impl).open(s, pool, max);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmsg", "uring"})
    void shouldReturnEagainWhenNothingArrives(final String impl) throws Exception {
        UdpEchoTest.assumeImplementation(impl);
        try (UdpSocket s = UdpSocket.open(UdpTestSupport.loopback(false)); PacketPool pool = new PacketPool(64, 2048)) {
            try (UdpBatchIo io = open(impl, s, pool, 32)) {
                DatagramBatch b = new DatagramBatch(pool, 32);
                assertEquals(-errno_h.EAGAIN, io.receive(b, 0));
                assertEquals(-errno_h.EAGAIN, io.receive(b, 20_000_000L));
                assertEquals(0, b.count());
            }
            assertEquals(64, pool.available());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmsg", "uring"})
    void shouldReturnEbadfWhenTheSocketIsClosed(final String impl) throws Exception {
        UdpEchoTest.assumeImplementation(impl);
        try (PacketPool pool = new PacketPool(64, 2048); UdpSocket peer = UdpSocket.open(UdpTestSupport.loopback(false))) {
            UdpSocket s = UdpSocket.open(UdpTestSupport.loopback(false));
            try (UdpBatchIo io = open(impl, s, pool, 16)) {
                DatagramBatch b = new DatagramBatch(pool, 16);
                assertEquals(-errno_h.EAGAIN, io.receive(b, 0), "works before close");
                s.close();
                assertEquals(-errno_h.EBADF, io.receive(b, 0));
                DatagramBatch out = UdpTestSupport.outgoing(pool, 3, 0, peer);
                assertEquals(-errno_h.EBADF, io.send(out));
                for (int i = 0; i < 3; i++) {
                    assertEquals(-errno_h.EBADF, out.result(i));
                }
                out.clear();
            }
            assertEquals(64, pool.available());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmsg", "uring"})
    void shouldReturnEnobufsWhenThePoolIsExhausted(final String impl) throws Exception {
        UdpEchoTest.assumeImplementation(impl);
        try (UdpSocket rx = UdpSocket.open(UdpTestSupport.loopback(false));
             UdpSocket tx = UdpSocket.open(UdpTestSupport.loopback(false));
             PacketPool pool = new PacketPool(32, 2048);
             PacketPool txPool = new PacketPool(8, 2048)) {
            try (UdpBatchIo rxIo = open(impl, rx, pool, 16); UdpBatchIo txIo = open(impl, tx, txPool, 8)) {
                List<Integer> hoard = new ArrayList<>();
                for (int s = pool.acquire(); s >= 0; s = pool.acquire()) {
                    hoard.add(s);
                }
                DatagramBatch out = UdpTestSupport.outgoing(txPool, 4, 0, rx);
                assertEquals(4, txIo.send(out));
                DatagramBatch in = new DatagramBatch(pool, 16);
                int r = rxIo.receive(in, 50_000_000L);
                assertTrue(r == -errno_h.ENOBUFS || r == -errno_h.EAGAIN, "got " + r);
                assertEquals(-errno_h.ENOBUFS, rxIo.receive(in, 0));
                assertEquals(0, in.count());
                hoard.forEach(pool::release);
                UdpEchoTest.receiveAll(rxIo, in, 4);
                for (int i = 0; i < 4; i++) {
                    UdpTestSupport.verify(in.memory(), in.offset(i), in.length(i));
                }
                in.clear();
                out.clear();
            }
            assertEquals(32, pool.available());
            assertEquals(8, txPool.available());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmsg", "uring"})
    void shouldFlagAndCountTruncatedDatagramsWhenLongerThanASlot(final String impl) throws Exception {
        UdpEchoTest.assumeImplementation(impl);
        try (UdpSocket rx = UdpSocket.open(UdpTestSupport.loopback(false));
             UdpSocket tx = UdpSocket.open(UdpTestSupport.loopback(false));
             PacketPool small = new PacketPool(64, 512);
             PacketPool big = new PacketPool(8, 2048)) {
            try (UdpBatchIo rxIo = open(impl, rx, small, 16); UdpBatchIo txIo = open(impl, tx, big, 8)) {
                DatagramBatch out = new DatagramBatch(big, 2);
                int[] lens = {1400, 100};
                for (int k = 0; k < 2; k++) {
                    int slot = big.acquire();
                    for (int j = 0; j < lens[k]; j++) {
                        big.memory().set(ValueLayout.JAVA_BYTE, big.slotOffset(slot) + j, (byte) (j + k));
                    }
                    UdpTestSupport.addressTo(out, out.add(slot, big.slotOffset(slot), lens[k]), rx);
                }
                assertEquals(2, txIo.send(out));
                DatagramBatch in = new DatagramBatch(small, 16);
                UdpEchoTest.receiveAll(rxIo, in, 2);
                int truncatedIndex = in.length(0) == 100 ? 1 : 0;
                assertTrue(in.isTruncated(truncatedIndex));
                assertEquals(DatagramBatch.FLAG_TRUNCATED, in.flags(truncatedIndex));
                assertTrue(in.length(truncatedIndex) <= 512);
                for (int j = 0; j < in.length(truncatedIndex); j++) {
                    assertEquals((byte) j, in.memory().get(ValueLayout.JAVA_BYTE, in.offset(truncatedIndex) + j));
                }
                assertEquals(100, in.length(1 - truncatedIndex));
                assertTrue(!in.isTruncated(1 - truncatedIndex));
                assertEquals(1, in.truncatedCount());
                assertEquals(1, rxIo.truncatedDatagrams());
                in.clear();
                out.clear();
            }
            assertEquals(64, small.available());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmsg", "uring"})
    void shouldSkipAnUndeliverableEntryAndSendTheRest(final String impl) throws Exception {
        UdpEchoTest.assumeImplementation(impl);
        try (UdpSocket rx = UdpSocket.open(UdpTestSupport.loopback(false));
             UdpSocket tx = UdpSocket.open(UdpTestSupport.loopback(false));
             PacketPool pool = new PacketPool(64, 2048)) {
            try (UdpBatchIo rxIo = open(impl, rx, pool, 16); UdpBatchIo txIo = open(impl, tx, pool, 8)) {
                DatagramBatch out = UdpTestSupport.outgoing(pool, 3, 0, rx);
                out.setRemoteIpv6(1, 0, 1, rx.localPort(), 0); // IPv6 destination on an IPv4 socket
                assertEquals(2, txIo.send(out));
                assertEquals(UdpTestSupport.lengthOf(0), out.result(0));
                assertTrue(out.result(1) < 0, "result " + out.result(1));
                assertEquals(UdpTestSupport.lengthOf(2), out.result(2));
                DatagramBatch in = new DatagramBatch(pool, 16);
                UdpEchoTest.receiveAll(rxIo, in, 2);
                in.clear();
                out.clear();
            }
            assertEquals(64, pool.available());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmsg", "uring"})
    void shouldLoseNothingWhenThePoolRunsDryMidStream(final String impl) throws Exception {
        UdpEchoTest.assumeImplementation(impl);
        try (UdpSocket rx = UdpSocket.open(UdpTestSupport.loopback(false));
             UdpSocket tx = UdpSocket.open(UdpTestSupport.loopback(false));
             PacketPool pool = new PacketPool(12, 2048);
             PacketPool txPool = new PacketPool(20, 2048)) {
            try (UdpBatchIo rxIo = open(impl, rx, pool, 4); UdpBatchIo txIo = open(impl, tx, txPool, 20)) {
                DatagramBatch out = UdpTestSupport.outgoing(txPool, 20, 0, rx);
                assertEquals(20, txIo.send(out));
                DatagramBatch in = new DatagramBatch(pool, 32);
                java.util.BitSet seen = new java.util.BitSet();
                int enobufs = 0;
                for (int round = 0; round < 200 && seen.cardinality() + in.count() < 20; round++) {
                    int r = rxIo.receive(in, 10_000_000L);
                    if (r == -errno_h.ENOBUFS) {
                        enobufs++;
                        for (int i = 0; i < in.count(); i++) {
                            seen.set(UdpTestSupport.verify(in.memory(), in.offset(i), in.length(i)));
                        }
                        in.clear();
                    } else {
                        assertTrue(r > 0 || r == -errno_h.EAGAIN, "got " + r);
                    }
                }
                for (int i = 0; i < in.count(); i++) {
                    seen.set(UdpTestSupport.verify(in.memory(), in.offset(i), in.length(i)));
                }
                in.clear();
                assertEquals(20, seen.cardinality(), "every datagram arrives once buffers return");
                assertTrue(enobufs > 0, "the pool (12 slots) ran dry for 20 datagrams");
                out.clear();
            }
            assertEquals(12, pool.available());
        }
    }
}
