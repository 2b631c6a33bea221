package io.jwg.bindings.io;

import io.jwg.bindings.libc.Errno;
import io.jwg.bindings.libc.errno_h;
import io.jwg.bindings.libc.iovec;
import io.jwg.bindings.libc.libc_h;
import io.jwg.bindings.libc.pollfd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One reading thread and one writing thread (see {@link TunIo}): TUN I/O with {@code readv(2)} and
 * {@code writev(2)} over a preallocated one-entry {@code iovec} (no allocation per packet), one packet per
 * system call (that is all a TUN file descriptor offers without io_uring), looping until the device has
 * nothing more or the batch is full. Waits use {@code poll(2)}.
 */
public final class SyscallTunIo implements TunIo {

    private final TunDevice device;
    private final PacketPool pool;
    private final int headroom;
    private final Arena arena;
    private final MemorySegment rxErrno;
    private final MemorySegment txErrno;
    private final MemorySegment pollFd;
    private final MemorySegment rxIov;
    private final MemorySegment txIov;
    private long read;
    private long truncated;
    private long written;
    private boolean closed;

    /** Packet I/O on {@code device} with read buffers from {@code pool}, {@code headroom} bytes free per slot. */
    public SyscallTunIo(final TunDevice device, final PacketPool pool, final int headroom) {
        if (headroom < 0 || headroom + device.vnetHeaderSize() >= pool.slotSize()) {
            throw new IllegalArgumentException("headroom " + headroom + " leaves no room in " + pool.slotSize() + "-byte slots");
        }
        this.device = device;
        this.pool = pool;
        this.headroom = headroom;
        this.arena = Arena.ofShared();
        this.rxErrno = Errno.allocateState(arena);
        this.txErrno = Errno.allocateState(arena);
        this.pollFd = pollfd.allocate(arena);
        this.rxIov = iovec.allocate(arena);
        this.txIov = iovec.allocate(arena);
    }

    @Override
    public int read(final PacketBatch batch, final long timeoutNs) {
        if (batch.pool() != pool) {
            throw new IllegalArgumentException("batch uses another pool");
        }
        int fd = device.fd();
        if (fd < 0 || closed) {
            return -errno_h.EBADF;
        }
        int base = batch.count();
        int room = batch.capacity() - base;
        int vnet = device.vnetHeaderSize();
        int cap = pool.slotSize() - headroom;
        boolean waited = false;
        int n = 0;
        while (n < room) {
            int s = pool.acquire();
            if (s < 0) {
                return n > 0 ? commit(batch, base, n) : -errno_h.ENOBUFS;
            }
            long at = pool.slotOffset(s) + headroom;
            rxIov.set(ValueLayout.JAVA_LONG, iovec.iov_base$OFFSET, pool.address() + at);
            rxIov.set(ValueLayout.JAVA_LONG, iovec.iov_len$OFFSET, cap);
            long r = libc_h.readv(rxErrno, fd, rxIov, 1);
            if (r < 0) {
                pool.release(s);
                int e = Errno.get(rxErrno);
                if (e == errno_h.EAGAIN && n == 0 && timeoutNs > 0 && !waited) {
                    waited = true;
                    waitReadable(fd, timeoutNs);
                    continue;
                }
                if (n > 0) {
                    break;
                }
                return -(e == errno_h.EINTR ? errno_h.EAGAIN : e);
            }
            int len = Math.min((int) r, cap);
            int pkt = Math.max(0, len - vnet);
            int flags = IpLength.isTruncated(pool.memory(), at + vnet, pkt, cap - vnet) ? PacketBatch.FLAG_TRUNCATED : 0;
            if (flags != 0) {
                truncated++;
            }
            batch.set(base + n, s, at + vnet, pkt, flags);
            n++;
        }
        return commit(batch, base, n);
    }

    private int commit(final PacketBatch batch, final int base, final int n) {
        batch.setCount(base + n);
        read += n;
        return n;
    }

    private void waitReadable(final int fd, final long timeoutNs) {
        pollFd.set(ValueLayout.JAVA_INT, pollfd.fd$OFFSET, fd);
        pollFd.set(ValueLayout.JAVA_SHORT, pollfd.events$OFFSET, (short) libc_h.POLLIN);
        int ms = (int) Math.min(Integer.MAX_VALUE, (timeoutNs + 999_999) / 1_000_000);
        libc_h.poll(rxErrno, pollFd, 1, ms);
    }

    @Override
    public int write(final PacketBatch batch) {
        int n = batch.count();
        int fd = device.fd();
        int vnet = device.vnetHeaderSize();
        int ok = 0;
        int firstError = 0;
        for (int i = 0; i < n; i++) {
            int r;
            long from = batch.offset(i) - vnet;
            if (fd < 0 || closed) {
                r = -errno_h.EBADF;
            } else if (batch.slot(i) >= 0 && from < pool.slotOffset(batch.slot(i))) {
                r = -errno_h.EINVAL; // no room for the vnet header inside the slot
            } else {
                txIov.set(ValueLayout.JAVA_LONG, iovec.iov_base$OFFSET, pool.address() + from);
                txIov.set(ValueLayout.JAVA_LONG, iovec.iov_len$OFFSET, batch.length(i) + vnet);
                long w = libc_h.writev(txErrno, fd, txIov, 1);
                r = w < 0 ? -Errno.get(txErrno) : (int) w - vnet;
            }
            batch.setResult(i, r);
            if (r >= 0) {
                ok++;
            } else if (firstError == 0) {
                firstError = r;
            }
        }
        written += ok;
        return ok > 0 || n == 0 ? ok : firstError;
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

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
