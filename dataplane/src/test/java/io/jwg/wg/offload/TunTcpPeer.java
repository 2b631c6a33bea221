package io.jwg.wg.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.bindings.io.PacketBatch;
import io.jwg.bindings.io.PacketPool;
import io.jwg.bindings.io.SyscallTunIo;
import io.jwg.bindings.io.TunDevice;
import io.jwg.bindings.libc.errno_h;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Test fixture, one thread: the far end of a TUN with a vnet header. {@link #send} pushes handcrafted IP
 * packets into the kernel through {@link GroCoalescer} (super-packets and zero-header pass-through, the
 * RX path of the dataplane); {@link #receive} hands every packet the kernel routes to the TUN to a handler
 * with its vnet header.
 */
final class TunTcpPeer implements AutoCloseable {

    /** Receives one packet read from the TUN; returns true to stop receiving. */
    interface Handler {
        boolean onPacket(MemorySegment mem, long vnetOffset, long packetOffset, int length) throws Exception;
    }

    static final int HEADROOM = 16;
    static final int SLOTS = 160;

    final TunDevice device;
    final PacketPool pool = new PacketPool(SLOTS, HEADROOM + 10 + 65535 + 64);
    final SyscallTunIo io;
    final GroCoalescer gro = new GroCoalescer(128, 16, true);
    private final PacketBatch reads = new PacketBatch(pool, 32);
    private final PacketBatch writes = new PacketBatch(pool, 128);
    private final long[] inOffsets = new long[128];
    private final int[] inLengths = new int[128];
    private final long[] superOffsets = new long[16];
    private final int[] held = new int[SLOTS];
    int writeResults;

    TunTcpPeer(final TunDevice device) {
        this.device = device;
        this.io = new SyscallTunIo(device, pool, HEADROOM);
    }

    /** Coalesces and writes {@code packets} (arrival order); asserts every write succeeded. {@return TUN writes} */
    int send(final List<byte[]> packets) {
        int nHeld = 0;
        MemorySegment mem = pool.memory();
        for (int i = 0; i < packets.size(); i++) {
            int s = pool.acquire();
            held[nHeld++] = s;
            inOffsets[i] = pool.slotOffset(s) + HEADROOM;
            inLengths[i] = packets.get(i).length;
            MemorySegment.copy(MemorySegment.ofArray(packets.get(i)), 0, mem, inOffsets[i], inLengths[i]);
        }
        for (int j = 0; j < superOffsets.length; j++) {
            int s = pool.acquire();
            held[nHeld++] = s;
            superOffsets[j] = pool.slotOffset(s) + HEADROOM - VirtioNetHeader.LENGTH;
        }
        int n = gro.coalesce(mem, inOffsets, inLengths, packets.size(), mem, superOffsets, superOffsets.length,
                pool.slotSize() - HEADROOM + VirtioNetHeader.LENGTH);
        for (int k = 0; k < n; k++) {
            // slot -1: this fixture releases the slots itself
            writes.add(-1, gro.outputOffset(k) + VirtioNetHeader.LENGTH, gro.outputLength(k) - VirtioNetHeader.LENGTH);
        }
        int w = io.write(writes);
        for (int k = 0; k < n; k++) {
            assertEquals(writes.length(k), writes.result(k), "TUN write of output " + k + " (-22 = EINVAL)");
        }
        writeResults += w;
        writes.clear();
        for (int i = 0; i < nHeld; i++) {
            pool.release(held[i]);
        }
        return w;
    }

    /** Writes one packet as is after a vnet header with only {@code flags} set. {@return the write result} */
    int sendRaw(final int flags, final byte[] packet) {
        int s = pool.acquire();
        long at = pool.slotOffset(s) + HEADROOM;
        MemorySegment mem = pool.memory();
        MemorySegment.copy(MemorySegment.ofArray(packet), 0, mem, at, packet.length);
        VirtioNetHeader.putPlain(mem, at - VirtioNetHeader.LENGTH);
        mem.set(ValueLayout.JAVA_BYTE, at - VirtioNetHeader.LENGTH + VirtioNetHeader.FLAGS_OFFSET, (byte) flags);
        writes.add(s, at, packet.length);
        io.write(writes);
        int r = writes.result(0);
        writes.clear();
        return r;
    }

    /** Reads until {@code handler} returns true or {@code timeoutMs} pass. {@return whether the handler finished} */
    boolean receive(final long timeoutMs, final Handler handler) throws Exception {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() - deadline < 0) {
            int r = io.read(reads, 20_000_000L);
            if (r < 0) {
                assertEquals(-errno_h.EAGAIN, r, "TUN read");
                continue;
            }
            try {
                for (int i = 0; i < reads.count(); i++) {
                    assertTrue(!reads.isTruncated(i), "TUN read truncated");
                    long p = reads.offset(i);
                    if (handler.onPacket(reads.memory(), p - VirtioNetHeader.LENGTH, p, reads.length(i))) {
                        return true;
                    }
                }
            } finally {
                reads.clear();
            }
        }
        return false;
    }

    @Override
    public void close() {
        reads.clear();
        writes.clear();
        io.close();
        device.close();
        pool.close();
    }
}
