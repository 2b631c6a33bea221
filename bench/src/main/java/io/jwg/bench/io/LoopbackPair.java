package io.jwg.bench.io;

import io.jwg.bindings.io.DatagramBatch;
import io.jwg.bindings.io.PacketPool;
import io.jwg.bindings.io.UdpSocket;
import io.jwg.bindings.libc.NativeIoException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Bench helper, single thread: a sender and a receiver UDP socket on 127.0.0.1 (large forced buffers so a
 * batch never overflows the receive queue), a pool for each side, and a prebuilt batch of datagrams
 * addressed to the receiver.
 */
public final class LoopbackPair implements AutoCloseable {

    /** 127.0.0.1 as a host-order int. */
    public static final int LOOPBACK = 0x7f000001;
    private static final int BUFFER_BYTES = 16 << 20;

    public final UdpSocket tx;
    public final UdpSocket rx;
    public final PacketPool txPool;
    public final PacketPool rxPool;

    /** Opens the sockets; {@code gro} turns on UDP_GRO at the receiver. */
    public LoopbackPair(final boolean gro, final int txSlots, final int txSlotSize, final int rxSlots, final int rxSlotSize)
            throws NativeIoException {
        this.rx = UdpSocket.open(UdpSocket.Config.ipv4().bindIpv4(LOOPBACK).receiveBufferBytes(BUFFER_BYTES).gro(gro));
        this.tx = UdpSocket.open(UdpSocket.Config.ipv4().bindIpv4(LOOPBACK).sendBufferBytes(BUFFER_BYTES));
        this.txPool = new PacketPool(txSlots, txSlotSize);
        this.rxPool = new PacketPool(rxSlots, rxSlotSize);
    }

    /**
     * {@return a batch of {@code count} entries of {@code length} bytes each (patterned) addressed to the
     * receiver; with {@code segmentSize > 0} each entry is sent as several datagrams (UDP GSO)}
     */
    public DatagramBatch outgoing(final int count, final int length, final int segmentSize) {
        DatagramBatch b = new DatagramBatch(txPool, count);
        MemorySegment m = txPool.memory();
        for (int k = 0; k < count; k++) {
            int slot = txPool.acquire();
            long off = txPool.slotOffset(slot);
            for (int j = 0; j < length; j++) {
                m.set(ValueLayout.JAVA_BYTE, off + j, (byte) (j * 7 + k));
            }
            int i = b.add(slot, off, length);
            b.setRemoteIpv4(i, LOOPBACK, rx.localPort());
            b.setSegmentSize(i, segmentSize);
        }
        return b;
    }

    @Override
    public void close() {
        tx.close();
        rx.close();
        txPool.close();
        rxPool.close();
    }
}
