package io.jwg.bindings.io;

import io.jwg.bindings.libc.Errno;
import io.jwg.bindings.libc.errno_h;
import io.jwg.bindings.libc.iovec;
import io.jwg.bindings.libc.libc_h;
import io.jwg.bindings.libc.mmsghdr;
import io.jwg.bindings.libc.msghdr;
import io.jwg.bindings.libc.pollfd;
import io.jwg.bindings.libc.sockaddr_in6;
import io.jwg.bindings.libc.socket_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One receiving thread and one sending thread (see {@link UdpBatchIo}): batched UDP I/O with {@code recvmmsg(2)} and
 * {@code sendmmsg(2)}, one system call per batch. The {@code mmsghdr}/{@code iovec}/control arrays are
 * allocated once; each message's name points straight into the batch's address metadata, so the kernel
 * writes the source address (and reads the destination) in place.
 * <p>Receive posts up to {@code maxBatch} pool slots; slots the kernel did not fill stay posted for the
 * next call. The socket is non-blocking; a receive that must wait uses {@code poll(2)}.
 */
public final class MmsgUdpIo implements UdpBatchIo {

    private static final int MAX_EINTR_RETRIES = 8;

    private final UdpSocket socket;
    private final PacketPool pool;
    private final int maxBatch;
    private final Arena arena;
    private final MemorySegment rxErrno;
    private final MemorySegment txErrno;
    private final MemorySegment rxHdrs;
    private final MemorySegment rxIovs;
    private final MemorySegment rxCtl;
    private final MemorySegment txHdrs;
    private final MemorySegment txIovs;
    private final MemorySegment txCtl;
    private final MemorySegment pollFd;
    private final int[] posted;
    private int postedCount;
    private long received;
    private long truncated;
    private long sent;
    private boolean closed;

    /** Batched I/O on {@code socket} with receive buffers from {@code pool}, at most {@code maxBatch} per call. */
    public MmsgUdpIo(final UdpSocket socket, final PacketPool pool, final int maxBatch) {
        if (maxBatch < 1 || maxBatch > 1024) {
            throw new IllegalArgumentException("maxBatch must be in 1..1024 (UIO_MAXIOV): " + maxBatch);
        }
        this.socket = socket;
        this.pool = pool;
        this.maxBatch = maxBatch;
        this.arena = Arena.ofShared();
        this.rxErrno = Errno.allocateState(arena);
        this.txErrno = Errno.allocateState(arena);
        this.rxHdrs = mmsghdr.allocateArray(maxBatch, arena);
        this.rxIovs = iovec.allocateArray(maxBatch, arena);
        this.rxCtl = arena.allocate((long) ControlMessages.RX_BYTES * maxBatch, 8);
        this.txHdrs = mmsghdr.allocateArray(maxBatch, arena);
        this.txIovs = iovec.allocateArray(maxBatch, arena);
        this.txCtl = arena.allocate((long) ControlMessages.TX_BYTES * maxBatch, 8);
        this.pollFd = pollfd.allocate(arena);
        this.posted = new int[maxBatch];
    }

    @Override
    public int receive(final DatagramBatch batch, final long timeoutNs) {
        if (batch.pool() != pool) {
            throw new IllegalArgumentException("batch uses another pool");
        }
        int fd = socket.fd();
        if (fd < 0 || closed) {
            return -errno_h.EBADF;
        }
        int base = batch.count();
        int room = Math.min(batch.capacity() - base, maxBatch);
        if (room == 0) {
            return 0;
        }
        while (postedCount < room) {
            int s = pool.acquire();
            if (s < 0) {
                break;
            }
            posted[postedCount++] = s;
        }
        int n = Math.min(room, postedCount);
        if (n == 0) {
            return -errno_h.ENOBUFS;
        }
        int bufLen = pool.slotSize();
        long ctlAddr = rxCtl.address();
        for (int k = 0; k < n; k++) {
            long iov = k * iovec.sizeof();
            rxIovs.set(ValueLayout.JAVA_LONG, iov + iovec.iov_base$OFFSET, pool.slotAddress(posted[k]));
            rxIovs.set(ValueLayout.JAVA_LONG, iov + iovec.iov_len$OFFSET, bufLen);
            long h = k * mmsghdr.sizeof() + mmsghdr.msg_hdr$OFFSET;
            rxHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_name$OFFSET, batch.metaAddress(base + k));
            rxHdrs.set(ValueLayout.JAVA_INT, h + msghdr.msg_namelen$OFFSET, (int) sockaddr_in6.sizeof());
            rxHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_iov$OFFSET, rxIovs.address() + iov);
            rxHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_iovlen$OFFSET, 1L);
            rxHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_control$OFFSET, ctlAddr + (long) k * ControlMessages.RX_BYTES);
            rxHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_controllen$OFFSET, ControlMessages.RX_BYTES);
            rxHdrs.set(ValueLayout.JAVA_INT, h + msghdr.msg_flags$OFFSET, 0);
        }
        int r = socket_h.recvmmsg(rxErrno, fd, rxHdrs, n, socket_h.MSG_DONTWAIT, MemorySegment.NULL);
        if (r < 0) {
            int e = Errno.get(rxErrno);
            if ((e == errno_h.EAGAIN || e == errno_h.EINTR) && timeoutNs > 0 && waitReadable(fd, timeoutNs)) {
                r = socket_h.recvmmsg(rxErrno, fd, rxHdrs, n, socket_h.MSG_DONTWAIT, MemorySegment.NULL);
                e = r < 0 ? Errno.get(rxErrno) : 0;
            }
            if (r < 0) {
                return -(e == errno_h.EINTR ? errno_h.EAGAIN : e);
            }
        }
        for (int k = 0; k < r; k++) {
            long h = k * mmsghdr.sizeof();
            long mh = h + mmsghdr.msg_hdr$OFFSET;
            int len = rxHdrs.get(ValueLayout.JAVA_INT, h + mmsghdr.msg_len$OFFSET);
            int msgFlags = rxHdrs.get(ValueLayout.JAVA_INT, mh + msghdr.msg_flags$OFFSET);
            int flags = ((msgFlags & socket_h.MSG_TRUNC) != 0 ? DatagramBatch.FLAG_TRUNCATED : 0)
                    | ((msgFlags & socket_h.MSG_CTRUNC) != 0 ? DatagramBatch.FLAG_CONTROL_TRUNCATED : 0);
            int slot = posted[k];
            int i = base + k;
            batch.set(i, slot, pool.slotOffset(slot), Math.min(len, bufLen), flags, 0);
            long ctlLen = rxHdrs.get(ValueLayout.JAVA_LONG, mh + msghdr.msg_controllen$OFFSET);
            if (ctlLen > 0) {
                ControlMessages.parse(rxCtl, (long) k * ControlMessages.RX_BYTES, ctlLen, batch, i);
            }
            if ((flags & DatagramBatch.FLAG_TRUNCATED) != 0) {
                truncated++;
            }
        }
        System.arraycopy(posted, r, posted, 0, postedCount - r);
        postedCount -= r;
        batch.setCount(base + r);
        received += r;
        return r;
    }

    private boolean waitReadable(final int fd, final long timeoutNs) {
        pollFd.set(ValueLayout.JAVA_INT, pollfd.fd$OFFSET, fd);
        pollFd.set(ValueLayout.JAVA_SHORT, pollfd.events$OFFSET, (short) libc_h.POLLIN);
        pollFd.set(ValueLayout.JAVA_SHORT, pollfd.revents$OFFSET, (short) 0);
        int ms = (int) Math.min(Integer.MAX_VALUE, (timeoutNs + 999_999) / 1_000_000);
        return libc_h.poll(rxErrno, pollFd, 1, ms) > 0;
    }

    @Override
    public int send(final DatagramBatch batch) {
        int n = batch.count();
        if (n == 0) {
            return 0;
        }
        int fd = socket.fd();
        if (fd < 0 || closed) {
            for (int i = 0; i < n; i++) {
                batch.setResult(i, -errno_h.EBADF);
            }
            return -errno_h.EBADF;
        }
        int ok = 0;
        int firstError = 0;
        for (int start = 0; start < n; start += maxBatch) {
            int m = Math.min(maxBatch, n - start);
            int r = sendChunk(fd, batch, start, m);
            ok += r >= 0 ? r : 0;
            if (firstError == 0) {
                for (int i = start; i < start + m; i++) {
                    if (batch.result(i) < 0) {
                        firstError = batch.result(i);
                        break;
                    }
                }
            }
            if (r < m && batch.result(start + m - 1) == -errno_h.EAGAIN) {
                for (int i = start + m; i < n; i++) {
                    batch.setResult(i, -errno_h.EAGAIN);
                }
                break;
            }
        }
        sent += ok;
        return ok > 0 ? ok : firstError;
    }

    /** Sends entries [start, start+m); {@return how many succeeded}. */
    private int sendChunk(final int fd, final DatagramBatch batch, final int start, final int m) {
        long ctlAddr = txCtl.address();
        for (int k = 0; k < m; k++) {
            int i = start + k;
            long iov = k * iovec.sizeof();
            txIovs.set(ValueLayout.JAVA_LONG, iov + iovec.iov_base$OFFSET, pool.address() + batch.offset(i));
            txIovs.set(ValueLayout.JAVA_LONG, iov + iovec.iov_len$OFFSET, batch.length(i));
            long h = k * mmsghdr.sizeof() + mmsghdr.msg_hdr$OFFSET;
            txHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_name$OFFSET, batch.metaAddress(i));
            txHdrs.set(ValueLayout.JAVA_INT, h + msghdr.msg_namelen$OFFSET, batch.remoteSockaddrLength(i));
            txHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_iov$OFFSET, txIovs.address() + iov);
            txHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_iovlen$OFFSET, 1L);
            long ctlOff = (long) k * ControlMessages.TX_BYTES;
            int ctlLen = ControlMessages.build(txCtl, ctlOff, batch, i);
            txHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_control$OFFSET, ctlLen == 0 ? 0L : ctlAddr + ctlOff);
            txHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_controllen$OFFSET, ctlLen);
            txHdrs.set(ValueLayout.JAVA_INT, h + msghdr.msg_flags$OFFSET, 0);
        }
        int done = 0;
        int ok = 0;
        int eintr = 0;
        while (done < m) {
            MemorySegment from = done == 0 ? txHdrs : txHdrs.asSlice(done * mmsghdr.sizeof()); // slice: retries only
            int r = socket_h.sendmmsg(txErrno, fd, from, m - done, socket_h.MSG_DONTWAIT);
            if (r > 0) {
                for (int k = done; k < done + r; k++) {
                    batch.setResult(start + k, txHdrs.get(ValueLayout.JAVA_INT, k * mmsghdr.sizeof() + mmsghdr.msg_len$OFFSET));
                }
                done += r;
                ok += r;
                continue;
            }
            int e = r == 0 ? errno_h.EAGAIN : Errno.get(txErrno);
            if (e == errno_h.EINTR && ++eintr <= MAX_EINTR_RETRIES) {
                continue;
            }
            if (e == errno_h.EAGAIN || e == errno_h.ENOBUFS || e == errno_h.EBADF || e == errno_h.EINTR) {
                for (int k = done; k < m; k++) {
                    batch.setResult(start + k, -(e == errno_h.EINTR ? errno_h.EAGAIN : e));
                }
                break;
            }
            batch.setResult(start + done, -e); // this datagram is bad (EMSGSIZE, EINVAL, unreachable...): skip it
            done++;
        }
        return ok;
    }

    @Override
    public UdpSocket socket() {
        return socket;
    }

    @Override
    public long receivedDatagrams() {
        return received;
    }

    @Override
    public long truncatedDatagrams() {
        return truncated;
    }

    @Override
    public long sentDatagrams() {
        return sent;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int k = 0; k < postedCount; k++) {
            pool.release(posted[k]);
        }
        postedCount = 0;
        arena.close();
    }

    @Override
    public String toString() {
        return "MmsgUdpIo{" + socket + ", posted=" + postedCount + ", received=" + received + ", truncated=" + truncated
                + ", sent=" + sent + "}";
    }
}
