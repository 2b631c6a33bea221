package io.jwg.bindings.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * UDP GSO (UDP_SEGMENT on send) and GRO (UDP_GRO on receive) through both implementations on loopback, plus
 * the socket options; contents verified byte by byte.
 */
class UdpOffloadTest {

    private static final int SEGMENT = 1000;
    private static final int SEGMENTS = 10;

    @ParameterizedTest(name = "{0} gro={1}")
    @CsvSource({"mmsg,false", "mmsg,true", "uring,false", "uring,true"})
    void shouldSplitAtTheSegmentSizeAndCoalesceWithGro(final String impl, final boolean gro) throws Exception {
        UdpEchoTest.assumeImplementation(impl);
        try (UdpSocket rx = UdpSocket.open(UdpTestSupport.loopback(false).gro(gro));
             UdpSocket tx = UdpSocket.open(UdpTestSupport.loopback(false));
             PacketPool rxPool = new PacketPool(64, 65536);
             PacketPool txPool = new PacketPool(4, 65536)) {
            assertEquals(gro, rx.gro());
            try (UdpBatchIo rxIo = UdpEchoTest.factory(impl).open(rx, rxPool, 16);
                 UdpBatchIo txIo = UdpEchoTest.factory(impl).open(tx, txPool, 4)) {
                DatagramBatch out = new DatagramBatch(txPool, 1);
                int slot = txPool.acquire();
                MemorySegment m = txPool.memory();
                for (int j = 0; j < SEGMENT * SEGMENTS; j++) {
                    m.set(ValueLayout.JAVA_BYTE, txPool.slotOffset(slot) + j, (byte) (j / SEGMENT * 13 + j));
                }
                int i = out.add(slot, txPool.slotOffset(slot), SEGMENT * SEGMENTS);
                UdpTestSupport.addressTo(out, i, rx);
                out.setSegmentSize(i, SEGMENT);
                assertEquals(1, txIo.send(out));
                assertEquals(SEGMENT * SEGMENTS, out.result(0));

                DatagramBatch in = new DatagramBatch(rxPool, 16);
                int bytes = 0;
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (bytes < SEGMENT * SEGMENTS && System.nanoTime() - deadline < 0) {
                    rxIo.receive(in, 100_000_000L);
                    bytes = 0;
                    for (int k = 0; k < in.count(); k++) {
                        bytes += in.length(k);
                    }
                }
                assertEquals(SEGMENT * SEGMENTS, bytes);
                if (gro) {
                    assertEquals(1, in.count(), "one coalesced buffer");
                    assertEquals(SEGMENT, in.segmentSize(0));
                } else {
                    assertEquals(SEGMENTS, in.count(), "one datagram per segment");
                    for (int k = 0; k < in.count(); k++) {
                        assertEquals(SEGMENT, in.length(k));
                        assertEquals(0, in.segmentSize(k));
                    }
                }
                int seg = 0;
                for (int k = 0; k < in.count(); k++) {
                    for (int j = 0; j < in.length(k); j++) {
                        int pos = seg * SEGMENT + j % SEGMENT;
                        int segIndex = seg + j / SEGMENT;
                        byte want = (byte) (segIndex * 13 + segIndex * SEGMENT + j % SEGMENT);
                        assertEquals(want, in.memory().get(ValueLayout.JAVA_BYTE, in.offset(k) + j), "byte " + pos);
                    }
                    seg += in.length(k) / SEGMENT;
                }
                in.clear();
                out.clear();
            }
            assertEquals(64, rxPool.available());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldApplySocketOptionsAndReportTheBoundPort(final boolean v6) throws Exception {
        UdpSocket.Config c = UdpTestSupport.loopback(v6).reusePort(true).receiveBufferBytes(1 << 20).sendBufferBytes(1 << 20);
        try (UdpSocket a = UdpSocket.open(c)) {
            assertTrue(a.localPort() > 0);
            assertTrue(a.bufferBytes(true) >= 1 << 20, "SO_RCVBUF " + a.bufferBytes(true));
            assertTrue(a.bufferBytes(false) >= 1 << 20, "SO_SNDBUF " + a.bufferBytes(false));
            try (UdpSocket b = UdpSocket.open(UdpTestSupport.loopback(v6).reusePort(true).port(a.localPort()))) {
                assertEquals(a.localPort(), b.localPort(), "SO_REUSEPORT shares the port");
            }
        }
        if ("root".equals(System.getProperty("user.name"))) {
            try (UdpSocket marked = UdpSocket.open(UdpTestSupport.loopback(v6).mark(0x2a).packetInfo(true))) {
                assertTrue(marked.packetInfo());
            }
        }
    }
}
