package io.jwg.wg.device;

import io.jwg.bindings.io.PacketBatch;
import io.jwg.bindings.io.PacketPool;
import io.jwg.bindings.libc.errno_h;
import io.jwg.wg.pipeline.Doorbell;
import io.jwg.wg.pipeline.ManyToManyArrayQueue;
import io.jwg.wg.pipeline.WorkSource;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * In-memory {@link Tun} for tests and benchmarks (wireguard-go's {@code tuntest.ChannelTUN}). The
 * "host" side injects packets ({@link #inject}; any thread) that the device's TUN reader reads, and
 * receives what the device's workers write, either through a {@link Sink} given at construction or,
 * by default, through a bounded outbox read with {@link #takeOutbound}. Frames are preallocated;
 * nothing allocates per packet.
 */
public final class ChannelTun implements Tun {
    private static final int FRAME_BYTES = 2048;

    /** Receives packets the device writes; called concurrently by the device's writer threads. */
    @FunctionalInterface
    public interface Sink {
        /** One packet of {@code length} bytes at {@code off} of {@code seg}, valid during the call. */
        void packet(MemorySegment seg, long off, int length);
    }

    /** Produces packets for the device to read, instead of the inbox (benchmark generators). */
    @FunctionalInterface
    public interface Source {
        /**
         * Writes the next packet at {@code off} of {@code dst} (at most {@code max} bytes); called by the
         * reader thread only.
         *
         * @return its length, or -1 if there is none right now
         */
        int next(MemorySegment dst, long off, int max);
    }

    private final String name;
    private final int mtu;
    private final Arena arena = Arena.ofShared();
    private final Frames in;
    private final Frames out;
    private final Source source;
    private final Sink sink;
    private final Doorbell inDoorbell = new Doorbell();
    private final Doorbell outDoorbell = new Doorbell();
    private final WorkSource hasInbound;
    private final AtomicLong lost = new AtomicLong();
    private volatile boolean closed;

    /** Bounded frame store: a free list and a FIFO of filled frames. */
    private static final class Frames {
        final MemorySegment memory;
        final ManyToManyArrayQueue<long[]> free;
        final ManyToManyArrayQueue<long[]> filled;

        Frames(final Arena arena, final int frames) {
            memory = arena.allocate((long) FRAME_BYTES * frames, 64);
            free = new ManyToManyArrayQueue<>(frames);
            filled = new ManyToManyArrayQueue<>(frames);
            for (int i = 0; i < frames; i++) {
                // [0] offset in memory, [1] length
                free.offer(new long[] {(long) i * FRAME_BYTES, 0});
            }
        }
    }

    /** A TUN with an inbox and an outbox of {@code frames} packets each. */
    public ChannelTun(final String name, final int mtu, final int frames) {
        this(name, mtu, frames, null, null);
    }

    /**
     * A TUN fed by {@code source} (or the inbox if null) and draining into {@code sink} (or the outbox
     * if null).
     */
    public ChannelTun(final String name, final int mtu, final int frames, final Source source, final Sink sink) {
        this.name = name;
        this.mtu = mtu;
        this.in = new Frames(arena, frames);
        this.out = new Frames(arena, frames);
        this.source = source;
        this.sink = sink;
        this.hasInbound = () -> !in.filled.isEmpty() || closed;
    }

    /**
     * Injects one packet as if the kernel had routed it into the interface; any thread.
     *
     * @return false if the inbox is full (the packet is lost)
     */
    public boolean inject(final MemorySegment src, final long off, final int length) {
        if (length > FRAME_BYTES) {
            throw new IllegalArgumentException("packet too long: " + length);
        }
        final long[] f = in.free.poll();
        if (f == null) {
            lost.incrementAndGet();
            return false;
        }
        MemorySegment.copy(src, off, in.memory, f[0], length);
        f[1] = length;
        in.filled.offer(f);
        inDoorbell.ring(1);
        return true;
    }

    /** Injects one packet held in a byte array. */
    public boolean inject(final byte[] packet) {
        return inject(MemorySegment.ofArray(packet), 0, packet.length);
    }

    /**
     * Takes the next packet the device wrote (default outbox only), waiting up to {@code timeoutNs}.
     *
     * @return the packet bytes (allocates: test side), or null on timeout
     */
    public byte[] takeOutbound(final long timeoutNs) {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        for (;;) {
            final long[] f = out.filled.poll();
            if (f != null) {
                final byte[] b = new byte[(int) f[1]];
                MemorySegment.copy(out.memory, java.lang.foreign.ValueLayout.JAVA_BYTE, f[0], b, 0, b.length);
                out.free.offer(f);
                return b;
            }
            if (deadlineNs - System.nanoTime() <= 0) {
                return null;
            }
            LockSupport.parkNanos(50_000);
        }
    }

    /** Injected packets the device has not read yet (racy). */
    public int pendingInbound() {
        return in.filled.size();
    }

    /** Packets lost because the inbox or outbox was full. */
    public long lost() {
        return lost.get();
    }

    @Override
    public TunBatchIo open(final PacketPool pool, final int maxBatch) {
        return new Handle(pool);
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        closed = true;
        inDoorbell.ringAll();
        outDoorbell.ringAll();
    }

    private void emit(final MemorySegment seg, final long off, final int length) {
        if (sink != null) {
            sink.packet(seg, off, length);
            return;
        }
        final long[] f = out.free.poll();
        if (f == null || length > FRAME_BYTES) {
            lost.incrementAndGet();
            if (f != null) {
                out.free.offer(f);
            }
            return;
        }
        MemorySegment.copy(seg, off, out.memory, f[0], length);
        f[1] = length;
        out.filled.offer(f);
    }

    /** One thread's handle. */
    private final class Handle implements TunBatchIo {
        private final PacketPool pool;
        private int sleeperSlot = -1;

        Handle(final PacketPool pool) {
            this.pool = pool;
        }

        @Override
        public int read(final PacketBatch batch, final long timeoutNs) {
            if (closed) {
                return -errno_h.EBADF;
            }
            final long deadlineNs = System.nanoTime() + timeoutNs;
            final int max = pool.slotSize() - HEADROOM - TAILROOM;
            int appended = 0;
            while (!batch.isFull()) {
                final int s = pool.acquire();
                if (s < 0) {
                    return appended > 0 ? appended : -errno_h.ENOBUFS;
                }
                final long dst = pool.slotOffset(s) + HEADROOM;
                final int len = source != null ? source.next(pool.memory(), dst, max) : fromInbox(dst, max);
                if (len < 0) {
                    pool.release(s);
                    if (appended > 0 || closed) {
                        break;
                    }
                    final long leftNs = deadlineNs - System.nanoTime();
                    if (leftNs <= 0) {
                        return -errno_h.EAGAIN;
                    }
                    if (source != null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    if (sleeperSlot < 0) {
                        sleeperSlot = inDoorbell.register();
                    }
                    inDoorbell.sleep(sleeperSlot, hasInbound, leftNs);
                    continue;
                }
                batch.add(s, dst, len);
                appended++;
            }
            return appended;
        }

        private int fromInbox(final long dst, final int max) {
            final long[] f = in.filled.poll();
            if (f == null) {
                return -1;
            }
            final int len = (int) Math.min(f[1], max);
            MemorySegment.copy(in.memory, f[0], pool.memory(), dst, len);
            in.free.offer(f);
            return len;
        }

        @Override
        public int write(final PacketBatch batch) {
            if (closed) {
                return -errno_h.EBADF;
            }
            final MemorySegment mem = batch.memory();
            final int n = batch.count();
            for (int i = 0; i < n; i++) {
                emit(mem, batch.offset(i), batch.length(i));
            }
            return n;
        }

        @Override
        public void close() {
        }
    }
}
