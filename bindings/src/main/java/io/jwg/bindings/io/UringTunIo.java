package io.jwg.bindings.io;

import io.jwg.bindings.libc.NativeIoException;
import io.jwg.bindings.libc.errno_h;
import io.jwg.bindings.uring.CompletionQueue;
import io.jwg.bindings.uring.Ring;
import io.jwg.bindings.uring.SubmissionQueue;
import io.jwg.bindings.uring.UserData;
import io.jwg.bindings.uring.io_uring_h;

/**
 * One reading thread and one writing thread (see {@link TunIo}): TUN I/O over io_uring, a ring per
 * direction. The pool's slab is registered as fixed buffer 0 of both rings; reads are
 * {@code IORING_OP_READ_FIXED} into pool slots, {@link #depth()} of them kept in flight (the device is
 * non-blocking, so the kernel arms a poll instead of blocking a worker thread); a completed read's slot moves
 * into the batch and a fresh one replaces it. Writes are {@code IORING_OP_WRITE_FIXED}, a whole batch per
 * {@code io_uring_enter} that also waits for their completions.
 */
public final class UringTunIo implements TunIo {

    private static final int OP_READ = 1;
    private static final int OP_WRITE = 2;
    private static final int OP_CANCEL = 3;
    private static final int FIXED_BUFFER = 0;
    private static final long WRITE_WAIT_NS = 1_000_000_000L;
    private static final int WAIT_ROUNDS = 10;

    private final TunDevice device;
    private final PacketPool pool;
    private final int headroom;
    private final int depth;
    private final int txBatch;
    private final Ring rx;
    private final Ring tx;
    private final boolean[] inKernel;
    private int inFlight;
    private int lastReadError;
    private boolean rxEnabled;
    private boolean txEnabled;
    private boolean txBroken;
    private long read;
    private long truncated;
    private long written;
    private boolean closed;

    /**
     * io_uring I/O on {@code device} with buffers from {@code pool}: {@code depth} reads in flight,
     * writes submitted {@code maxWriteBatch} per enter, {@code headroom} bytes free at the start of each read slot.
     */
    public UringTunIo(final TunDevice device, final PacketPool pool, final int headroom, final int depth,
                      final int maxWriteBatch) throws NativeIoException {
        if (headroom < 0 || headroom + device.vnetHeaderSize() >= pool.slotSize()) {
            throw new IllegalArgumentException("headroom " + headroom + " leaves no room in " + pool.slotSize() + "-byte slots");
        }
        if (depth < 1 || depth > 4096 || maxWriteBatch < 1 || maxWriteBatch > 4096) {
            throw new IllegalArgumentException("depth and maxWriteBatch must be in 1..4096");
        }
        this.device = device;
        this.pool = pool;
        this.headroom = headroom;
        this.depth = depth;
        this.txBatch = Integer.highestOneBit(maxWriteBatch * 2 - 1);
        this.inKernel = new boolean[pool.slotCount()];
        int sq = Integer.highestOneBit(depth * 2 - 1);
        Ring r = Ring.open(sq, 2 * sq);
        Ring t = null;
        try {
            t = Ring.open(txBatch, 2 * txBatch);
            int e = r.registerBuffer(pool.memory());
            if (e < 0) {
                throw new NativeIoException("IORING_REGISTER_BUFFERS (rx)", -e);
            }
            e = t.registerBuffer(pool.memory());
            if (e < 0) {
                throw new NativeIoException("IORING_REGISTER_BUFFERS (tx)", -e);
            }
        } catch (NativeIoException | RuntimeException ex) {
            r.close();
            if (t != null) {
                t.close();
            }
            throw ex;
        }
        this.rx = r;
        this.tx = t;
    }

    /** {@return reads kept in flight} */
    public int depth() {
        return depth;
    }

    @Override
    public int read(final PacketBatch batch, final long timeoutNs) {
        if (batch.pool() != pool) {
            throw new IllegalArgumentException("batch uses another pool");
        }
        if (closed) {
            return -errno_h.EBADF;
        }
        int fd = device.fd();
        if (fd < 0) {
            cancelReads();
            return -errno_h.EBADF;
        }
        if (!rxEnabled) {
            int e = rx.enable();
            if (e < 0) {
                return e;
            }
            rxEnabled = true;
        }
        int base = batch.count();
        int room = batch.capacity() - base;
        if (room == 0) {
            return 0;
        }
        post(fd);
        int n = reap(batch, base, room);
        if (n < room) {
            rx.submitAndWait(0, 0); // submit new reads, run completions that are ready
            n += reap(batch, base + n, room - n);
        }
        if (n == 0 && timeoutNs > 0 && inFlight > 0) {
            rx.submitAndWait(1, timeoutNs);
            n = reap(batch, base, room);
        }
        post(fd);
        if (rx.submissionQueue().pending() > 0) {
            rx.submit();
        }
        if (n > 0) {
            batch.setCount(base + n);
            read += n;
            return n;
        }
        if (inFlight == 0) {
            int e = lastReadError;
            lastReadError = 0;
            return e != 0 ? e : -errno_h.ENOBUFS;
        }
        return -errno_h.EAGAIN;
    }

    private void post(final int fd) {
        SubmissionQueue sq = rx.submissionQueue();
        int cap = pool.slotSize() - headroom;
        while (inFlight < depth) {
            int s = pool.acquire();
            if (s < 0) {
                return;
            }
            if (!sq.addReadFixed(fd, pool.slotAddress(s) + headroom, cap, FIXED_BUFFER, UserData.encode(OP_READ, s, 0))) {
                pool.release(s);
                return;
            }
            inKernel[s] = true;
            inFlight++;
        }
    }

    private int reap(final PacketBatch batch, final int base, final int room) {
        CompletionQueue cq = rx.completionQueue();
        int avail = cq.ready();
        int vnet = device.vnetHeaderSize();
        int cap = pool.slotSize() - headroom;
        int k = 0;
        int n = 0;
        while (k < avail && n < room) {
            long ud = cq.userData(k);
            int res = cq.res(k);
            k++;
            if (UserData.op(ud) != OP_READ) {
                continue;
            }
            int s = UserData.id(ud);
            inKernel[s] = false;
            inFlight--;
            if (res < 0 || res < vnet) {
                pool.release(s);
                if (res < 0 && res != -errno_h.EAGAIN && res != -errno_h.ECANCELED) {
                    lastReadError = res;
                }
                continue;
            }
            long at = pool.slotOffset(s) + headroom;
            int pkt = Math.min(res, cap) - vnet;
            int flags = IpLength.isTruncated(pool.memory(), at + vnet, pkt, cap - vnet) ? PacketBatch.FLAG_TRUNCATED : 0;
            if (flags != 0) {
                truncated++;
            }
            batch.set(base + n, s, at + vnet, pkt, flags);
            n++;
        }
        if (k > 0) {
            cq.advance(k);
        }
        return n;
    }

    private void cancelReads() {
        if (inFlight == 0 || !rxEnabled) {
            return;
        }
        rx.submissionQueue().addCancel(0, io_uring_h.IORING_ASYNC_CANCEL_ALL | io_uring_h.IORING_ASYNC_CANCEL_ANY,
                UserData.encode(OP_CANCEL, 0, 0));
        CompletionQueue cq = rx.completionQueue();
        for (int round = 0; inFlight > 0 && round < WAIT_ROUNDS; round++) {
            rx.submitAndWait(1, 100_000_000L);
            int avail = cq.ready();
            for (int k = 0; k < avail; k++) {
                long ud = cq.userData(k);
                if (UserData.op(ud) == OP_READ) {
                    int s = UserData.id(ud);
                    inKernel[s] = false;
                    inFlight--;
                    pool.release(s);
                }
            }
            cq.advance(avail);
        }
    }

    @Override
    public int write(final PacketBatch batch) {
        int n = batch.count();
        if (n == 0) {
            return 0;
        }
        int fd = device.fd();
        if (closed || fd < 0 || txBroken) {
            int e = txBroken && !closed && fd >= 0 ? -errno_h.EIO : -errno_h.EBADF;
            for (int i = 0; i < n; i++) {
                batch.setResult(i, e);
            }
            return e;
        }
        if (!txEnabled) {
            int e = tx.enable();
            if (e < 0) {
                return e;
            }
            txEnabled = true;
        }
        int ok = 0;
        int firstError = 0;
        for (int start = 0; start < n; start += txBatch) {
            int m = Math.min(txBatch, n - start);
            writeChunk(fd, batch, start, m);
            for (int i = start; i < start + m; i++) {
                int r = batch.result(i);
                if (r >= 0) {
                    ok++;
                } else if (firstError == 0) {
                    firstError = r;
                }
            }
        }
        written += ok;
        return ok > 0 ? ok : firstError;
    }

    private void writeChunk(final int fd, final PacketBatch batch, final int start, final int m) {
        SubmissionQueue sq = tx.submissionQueue();
        int vnet = device.vnetHeaderSize();
        int queued = 0;
        for (int i = start; i < start + m; i++) {
            long from = batch.offset(i) - vnet;
            if (batch.slot(i) >= 0 && from < pool.slotOffset(batch.slot(i))) {
                batch.setResult(i, -errno_h.EINVAL); // no room for the vnet header inside the slot
                continue;
            }
            batch.setResult(i, -errno_h.ETIME); // until its CQE says otherwise
            sq.addWriteFixed(fd, pool.address() + from, batch.length(i) + vnet, FIXED_BUFFER, UserData.encode(OP_WRITE, i, 0));
            queued++;
        }
        CompletionQueue cq = tx.completionQueue();
        int done = 0;
        for (int round = 0; done < queued && round < WAIT_ROUNDS; round++) {
            int r = tx.submitAndWait(queued - done, WRITE_WAIT_NS);
            int avail = cq.ready();
            for (int k = 0; k < avail; k++) {
                long ud = cq.userData(k);
                if (UserData.op(ud) == OP_WRITE) {
                    int res = cq.res(k);
                    batch.setResult(UserData.id(ud), res < 0 ? res : res - vnet);
                    done++;
                }
            }
            cq.advance(avail);
            if (r < 0 && r != -errno_h.ETIME && r != -errno_h.EINTR && avail == 0 && sq.pending() > 0) {
                break;
            }
        }
        if (done < queued) {
            txBroken = true; // writes may still be in flight: never reuse their slots' state blindly
        }
    }

    @Override
    public TunDevice device() {
        return device;
    }

    @Override
    public int headroom() {
        return headroom;
    }

    @Override
    public long readPackets() {
        return read;
    }

    @Override
    public long truncatedPackets() {
        return truncated;
    }

    @Override
    public long writtenPackets() {
        return written;
    }

    /**
     * Cancels the reads in flight (on the reading thread), closes both rings (which unregisters the slab) and
     * returns every slot the kernel held to the pool. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        cancelReads();
        closed = true;
        rx.close();
        tx.close();
        for (int s = 0; s < inKernel.length; s++) {
            if (inKernel[s]) {
                inKernel[s] = false;
                pool.release(s);
            }
        }
        inFlight = 0;
    }

    @Override
    public String toString() {
        return "UringTunIo{" + device + ", inFlight=" + inFlight + ", read=" + read + ", written=" + written + "}";
    }
}
