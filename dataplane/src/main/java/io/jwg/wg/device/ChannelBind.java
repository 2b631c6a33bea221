package io.jwg.wg.device;

import io.jwg.bindings.io.DatagramBatch;
import io.jwg.bindings.io.PacketPool;
import io.jwg.bindings.io.UdpBatchIo;
import io.jwg.bindings.io.UdpSocket;
import io.jwg.bindings.libc.errno_h;
import io.jwg.bindings.libc.socket_h;
import io.jwg.wg.pipeline.Doorbell;
import io.jwg.wg.pipeline.ManyToManyArrayQueue;
import io.jwg.wg.pipeline.WorkSource;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-memory {@link Bind} for tests and benchmarks (wireguard-go's {@code bindtest.ChannelBind}): an
 * IPv4 "socket" at (address, port) on a {@link ChannelNetwork}. Any number of threads send (each
 * through its own handle); datagrams land in the destination's bounded inbox of preallocated
 * frames, from which its receiver handles copy them into pool slots. Allocation-free after
 * construction; a full inbox loses the datagram, as UDP would.
 */
public final class ChannelBind implements Bind {
    private static final int FRAME_BYTES = 2048;

    private final ChannelNetwork network;
    private final int address;
    private final int port;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment frameMemory;
    private final ManyToManyArrayQueue<Frame> free;
    private final ManyToManyArrayQueue<Frame> inbox;
    private final Doorbell doorbell = new Doorbell();
    private final AtomicLong lost = new AtomicLong();
    private final WorkSource hasMail;
    private volatile boolean closed;

    /** One received datagram waiting in an inbox. */
    private static final class Frame {
        final long offset;
        int length;
        int sourceAddress;
        int sourcePort;

        Frame(final long offset) {
            this.offset = offset;
        }
    }

    /**
     * Creates and registers a bind.
     *
     * @param address IPv4 address as an int (192.0.2.1 = 0xC0000201)
     * @param inboxFrames datagrams the inbox holds
     */
    public ChannelBind(final ChannelNetwork network, final int address, final int port, final int inboxFrames) {
        this.network = network;
        this.address = address;
        this.port = port;
        this.frameMemory = arena.allocate((long) FRAME_BYTES * inboxFrames, 64);
        this.free = new ManyToManyArrayQueue<>(inboxFrames);
        this.inbox = new ManyToManyArrayQueue<>(inboxFrames);
        this.hasMail = () -> !inbox.isEmpty() || isClosed();
        for (int i = 0; i < inboxFrames; i++) {
            free.offer(new Frame((long) i * FRAME_BYTES));
        }
        network.register(address, port, this);
    }

    @Override
    public boolean hasFamily(final boolean v6) {
        return !v6;
    }

    @Override
    public UdpBatchIo open(final boolean v6, final PacketPool pool, final int maxBatch) {
        if (v6) {
            throw new IllegalArgumentException("ChannelBind is IPv4 only");
        }
        return new Handle(pool);
    }

    @Override
    public boolean setMark(final int fwmark) {
        return true;
    }

    @Override
    public int port() {
        return port;
    }

    /** The bind's IPv4 address. */
    public int address() {
        return address;
    }

    /** Datagrams lost because this bind's inbox was full or the network dropped them. */
    public long lost() {
        return lost.get();
    }

    private boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        network.unregister(address, port, this);
        doorbell.ringAll();
    }

    /** Delivers one datagram into this bind's inbox; any sender thread. */
    private boolean deliver(final MemorySegment src, final long off, final int len, final int fromAddress,
                            final int fromPort) {
        if (closed || len > FRAME_BYTES || network.lose()) {
            lost.incrementAndGet();
            return false;
        }
        final Frame f = free.poll();
        if (f == null) {
            lost.incrementAndGet();
            return false;
        }
        MemorySegment.copy(src, off, frameMemory, f.offset, len);
        f.length = len;
        f.sourceAddress = fromAddress;
        f.sourcePort = fromPort;
        inbox.offer(f);
        doorbell.ring(1);
        return true;
    }

    /** One thread's handle: receive into {@code pool} slots, send from any batch. */
    private final class Handle implements UdpBatchIo {
        private final PacketPool pool;
        private int slot = -1;
        private long received;
        private long sent;

        Handle(final PacketPool pool) {
            this.pool = pool;
        }

        @Override
        public int receive(final DatagramBatch batch, final long timeoutNs) {
            if (batch.pool() != pool) {
                throw new IllegalArgumentException("batch uses another pool");
            }
            if (closed) {
                return -errno_h.EBADF;
            }
            final long deadlineNs = System.nanoTime() + timeoutNs;
            int appended = 0;
            while (!batch.isFull()) {
                final Frame f = inbox.poll();
                if (f == null) {
                    if (appended > 0 || closed) {
                        break;
                    }
                    final long leftNs = deadlineNs - System.nanoTime();
                    if (leftNs <= 0) {
                        return -errno_h.EAGAIN;
                    }
                    if (slot < 0) {
                        slot = doorbell.register();
                    }
                    doorbell.sleep(slot, hasMail, leftNs);
                    continue;
                }
                final int s = pool.acquire();
                if (s < 0) {
                    free.offer(f);
                    lost.incrementAndGet();
                    return appended > 0 ? appended : -errno_h.ENOBUFS;
                }
                final long dst = pool.slotOffset(s);
                final int len = Math.min(f.length, pool.slotSize());
                MemorySegment.copy(frameMemory, f.offset, pool.memory(), dst, len);
                final int i = batch.add(s, dst, len);
                batch.setRemoteIpv4(i, f.sourceAddress, f.sourcePort);
                batch.setLocalIpv4(i, address, 1);
                free.offer(f);
                appended++;
            }
            received += appended;
            return appended;
        }

        @Override
        public int send(final DatagramBatch batch) {
            if (closed) {
                return -errno_h.EBADF;
            }
            final MemorySegment mem = batch.memory();
            int n = 0;
            for (int i = 0; i < batch.count(); i++) {
                if (batch.remoteFamily(i) != socket_h.AF_INET) {
                    continue;
                }
                final ChannelBind dst = network.lookup(batch.remoteIpv4(i), batch.remotePort(i));
                if (dst != null) {
                    dst.deliver(mem, batch.offset(i), batch.length(i), address, port);
                }
                n++;
            }
            sent += n;
            return n;
        }

        @Override
        public UdpSocket socket() {
            return null;
        }

        @Override
        public long receivedDatagrams() {
            return received;
        }

        @Override
        public long truncatedDatagrams() {
            return 0;
        }

        @Override
        public long sentDatagrams() {
            return sent;
        }

        @Override
        public void close() {
        }
    }
}
