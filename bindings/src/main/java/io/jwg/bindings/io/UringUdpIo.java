package io.jwg.bindings.io;

import io.jwg.bindings.libc.NativeIoException;
import io.jwg.bindings.libc.errno_h;
import io.jwg.bindings.libc.iovec;
import io.jwg.bindings.libc.msghdr;
import io.jwg.bindings.libc.sockaddr_in6;
import io.jwg.bindings.libc.socket_h;
import io.jwg.bindings.uring.BufRing;
import io.jwg.bindings.uring.CompletionQueue;
import io.jwg.bindings.uring.Ring;
import io.jwg.bindings.uring.SubmissionQueue;
import io.jwg.bindings.uring.UserData;
import io.jwg.bindings.uring.io_uring_h;
import io.jwg.bindings.uring.io_uring_recvmsg_out;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One receiving thread and one sending thread (see {@link UdpBatchIo}): batched UDP I/O over io_uring, with
 * a ring per direction so each is owned by the thread that uses it.
 * <p>Receive: one multishot {@code IORING_OP_RECVMSG} stays armed on the socket and picks buffers from a
 * provided-buffer ring filled with pool slots (buffer id = slot index), so each datagram costs one CQE and
 * no SQE. A slot holds {@code io_uring_recvmsg_out}, the source address, the control messages, then the
 * payload ({@link #payloadOffset()} bytes in). The completed slot moves into the batch and a fresh one from
 * the pool replaces it in the buffer ring. If the buffer ring runs dry the kernel ends the multishot with
 * ENOBUFS; the next receive refills and re-arms.
 * <p>Send: one {@code IORING_OP_SENDMSG} SQE per entry ({@code MSG_DONTWAIT}, control messages for pktinfo and
 * UDP_SEGMENT), all submitted with one {@code io_uring_enter} that also waits for their completions.
 */
public final class UringUdpIo implements UdpBatchIo {

    private static final int OP_RECV = 1;
    private static final int OP_SEND = 2;
    private static final int OP_CANCEL = 3;
    private static final int BUF_GROUP = 0;
    private static final int NAME_BYTES = (int) ((sockaddr_in6.sizeof() + 7) & -8);
    private static final long OUT_SIZE = io_uring_recvmsg_out.sizeof();
    private static final long SEND_WAIT_NS = 1_000_000_000L;
    private static final int SEND_WAIT_ROUNDS = 10;
    private static final int RX_ENTER_ROUNDS = 4;

    private final UdpSocket socket;
    private final PacketPool pool;
    private final Ring rx;
    private final Ring tx;
    private final BufRing bufRing;
    private final int bufEntries;
    private final int controlBytes;
    private final int payloadOffset;
    private final Arena arena;
    private final MemorySegment rxMsg;
    private final MemorySegment txHdrs;
    private final MemorySegment txIovs;
    private final MemorySegment txCtl;
    private final int txBatch;
    private final boolean[] inKernel;
    private int posted;
    private boolean armed;
    private int generation;
    private int lastRxError;
    private boolean rxEnabled;
    private boolean txEnabled;
    private boolean txBroken;
    private long received;
    private long truncated;
    private long sent;
    private boolean closed;

    /**
     * io_uring I/O on {@code socket} with receive buffers from {@code pool}: up to {@code 2 * maxBatch} (rounded
     * to a power of two) slots stay posted in the buffer ring; sends go out {@code maxBatch} SQEs per enter.
     */
    public UringUdpIo(final UdpSocket socket, final PacketPool pool, final int maxBatch) throws NativeIoException {
        if (maxBatch < 1 || maxBatch > 4096) {
            throw new IllegalArgumentException("maxBatch must be in 1..4096: " + maxBatch);
        }
        this.socket = socket;
        this.pool = pool;
        this.controlBytes = socket.packetInfo() || socket.gro() ? ControlMessages.RX_BYTES : 0;
        this.payloadOffset = (int) OUT_SIZE + NAME_BYTES + controlBytes;
        if (payloadOffset >= pool.slotSize()) {
            throw new IllegalArgumentException("pool slots of " + pool.slotSize() + " bytes leave no room after the "
                    + payloadOffset + "-byte receive header");
        }
        this.bufEntries = Math.min(32768, Integer.highestOneBit(Math.max(2 * maxBatch, 8) * 2 - 1));
        this.txBatch = Integer.highestOneBit(maxBatch * 2 - 1);
        this.arena = Arena.ofShared();
        this.rxMsg = msghdr.allocate(arena);
        msghdr.msg_namelen(rxMsg, NAME_BYTES);
        msghdr.msg_controllen(rxMsg, controlBytes);
        this.txHdrs = msghdr.allocateArray(txBatch, arena);
        this.txIovs = iovec.allocateArray(txBatch, arena);
        this.txCtl = arena.allocate((long) ControlMessages.TX_BYTES * txBatch, 8);
        this.inKernel = new boolean[pool.slotCount()];
        Ring r = null;
        Ring t = null;
        try {
            r = Ring.open(8, 2 * bufEntries);
            t = Ring.open(txBatch, 2 * txBatch);
            this.bufRing = new BufRing(r, bufEntries, BUF_GROUP);
        } catch (NativeIoException | RuntimeException e) {
            if (r != null) {
                r.close();
            }
            if (t != null) {
                t.close();
            }
            arena.close();
            throw e;
        }
        this.rx = r;
        this.tx = t;
    }

    /** {@return bytes from the start of a received slot to the payload (header + name + control)} */
    public int payloadOffset() {
        return payloadOffset;
    }

    @Override
    public int receive(final DatagramBatch batch, final long timeoutNs) {
        if (batch.pool() != pool) {
            throw new IllegalArgumentException("batch uses another pool");
        }
        if (closed) {
            return -errno_h.EBADF;
        }
        if (socket.fd() < 0) {
            cancelReceive();
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
        replenish();
        if (!armed && posted > 0) {
            arm();
        }
        int n = reap(batch, base, room);
        for (int round = 0; n < room && round < RX_ENTER_ROUNDS && (rx.submissionQueue().pending() > 0
                || rx.completionsNeedEnter() || n == 0 && round == 0 && timeoutNs == 0); round++) {
            // run deferred receive work without waiting, so one call collects what already arrived
            rx.submitAndWait(0, 0);
            n += reap(batch, base + n, room - n);
        }
        if (n == 0 && timeoutNs > 0 && armed) {
            rx.submitAndWait(1, timeoutNs);
            n = reap(batch, base, room);
        }
        if (n > 0) {
            batch.setCount(base + n);
            received += n;
            replenish();
            return n;
        }
        if (!armed) {
            int e = lastRxError;
            lastRxError = 0;
            if (posted == 0) {
                return -errno_h.ENOBUFS; // nothing to receive into: the caller holds every slot
            }
            if (e < 0 && e != -errno_h.ENOBUFS && e != -errno_h.ECANCELED) {
                return e; // the socket failed the receive; the next call re-arms
            }
        }
        return -errno_h.EAGAIN;
    }

    private void replenish() {
        int added = 0;
        while (posted + added < bufEntries) {
            int s = pool.acquire();
            if (s < 0) {
                break;
            }
            bufRing.add(pool.slotAddress(s), pool.slotSize(), s, added);
            inKernel[s] = true;
            added++;
        }
        if (added > 0) {
            bufRing.advance(added);
            posted += added;
        }
    }

    private void arm() {
        generation++;
        if (rx.submissionQueue().addRecvmsgMultishot(socket.fd(), rxMsg.address(), socket_h.MSG_TRUNC, BUF_GROUP,
                UserData.encode(OP_RECV, 0, generation))) {
            armed = true;
            lastRxError = 0;
        }
    }

    /** Moves up to {@code room} receive completions into entries {@code base..}. {@return how many} */
    private int reap(final DatagramBatch batch, final int base, final int room) {
        CompletionQueue cq = rx.completionQueue();
        int avail = cq.ready();
        int k = 0;
        int n = 0;
        while (k < avail && n < room) {
            long ud = cq.userData(k);
            int res = cq.res(k);
            int flags = cq.flags(k);
            k++;
            if (UserData.op(ud) != OP_RECV) {
                continue;
            }
            if ((flags & io_uring_h.IORING_CQE_F_MORE) == 0 && UserData.data(ud) == generation) {
                armed = false;
            }
            if ((flags & io_uring_h.IORING_CQE_F_BUFFER) == 0) {
                if (res < 0) {
                    lastRxError = res;
                }
                continue;
            }
            int slot = flags >>> io_uring_h.IORING_CQE_BUFFER_SHIFT;
            inKernel[slot] = false;
            posted--;
            if (res < 0) {
                pool.release(slot);
                lastRxError = res;
                continue;
            }
            fill(batch, base + n, slot);
            n++;
        }
        if (k > 0) {
            cq.advance(k);
        }
        return n;
    }

    private void fill(final DatagramBatch batch, final int i, final int slot) {
        MemorySegment mem = pool.memory();
        long at = pool.slotOffset(slot);
        int nameLen = mem.get(ValueLayout.JAVA_INT, at + io_uring_recvmsg_out.namelen$OFFSET);
        int ctlLen = mem.get(ValueLayout.JAVA_INT, at + io_uring_recvmsg_out.controllen$OFFSET);
        int payloadLen = mem.get(ValueLayout.JAVA_INT, at + io_uring_recvmsg_out.payloadlen$OFFSET);
        int msgFlags = mem.get(ValueLayout.JAVA_INT, at + io_uring_recvmsg_out.flags$OFFSET);
        MemorySegment.copy(mem, at + OUT_SIZE, batch.meta(), (long) i * DatagramBatch.META_STRIDE,
                Math.min(Math.min(nameLen, NAME_BYTES), DatagramBatch.LOCAL_ADDR));
        int room = pool.slotSize() - payloadOffset;
        int flags = ((msgFlags & socket_h.MSG_TRUNC) != 0 || payloadLen > room ? DatagramBatch.FLAG_TRUNCATED : 0)
                | ((msgFlags & socket_h.MSG_CTRUNC) != 0 ? DatagramBatch.FLAG_CONTROL_TRUNCATED : 0);
        batch.set(i, slot, at + payloadOffset, Math.min(payloadLen, room), flags, 0);
        if (ctlLen > 0) {
            ControlMessages.parse(mem, at + OUT_SIZE + NAME_BYTES, Math.min(ctlLen, controlBytes), batch, i);
        }
        if ((flags & DatagramBatch.FLAG_TRUNCATED) != 0) {
            truncated++;
        }
    }

    private void cancelReceive() {
        if (!armed || !rxEnabled) {
            return;
        }
        long target = UserData.encode(OP_RECV, 0, generation);
        rx.submissionQueue().addCancel(target, 0, UserData.encode(OP_CANCEL, 0, generation));
        CompletionQueue cq = rx.completionQueue();
        for (int round = 0; armed && round < 10; round++) {
            if (rx.submitAndWait(1, 100_000_000L) < 0 && rx.completionQueue().ready() == 0) {
                continue;
            }
            int avail = cq.ready();
            for (int k = 0; k < avail; k++) {
                long ud = cq.userData(k);
                int flags = cq.flags(k);
                if (UserData.op(ud) == OP_RECV && (flags & io_uring_h.IORING_CQE_F_BUFFER) != 0) {
                    int slot = flags >>> io_uring_h.IORING_CQE_BUFFER_SHIFT;
                    inKernel[slot] = false;
                    posted--;
                    pool.release(slot); // arrived after the caller stopped receiving: dropped
                }
                if (UserData.op(ud) == OP_RECV && UserData.data(ud) == generation
                        && (flags & io_uring_h.IORING_CQE_F_MORE) == 0) {
                    armed = false;
                }
            }
            cq.advance(avail);
        }
    }

    @Override
    public int send(final DatagramBatch batch) {
        int n = batch.count();
        if (n == 0) {
            return 0;
        }
        int fd = socket.fd();
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
            sendChunk(fd, batch, start, m);
            for (int i = start; i < start + m; i++) {
                int r = batch.result(i);
                if (r >= 0) {
                    ok++;
                } else if (firstError == 0) {
                    firstError = r;
                }
            }
        }
        sent += ok;
        return ok > 0 ? ok : firstError;
    }

    private void sendChunk(final int fd, final DatagramBatch batch, final int start, final int m) {
        SubmissionQueue sq = tx.submissionQueue();
        long hdrBase = txHdrs.address();
        long ctlAddr = txCtl.address();
        for (int k = 0; k < m; k++) {
            int i = start + k;
            long iov = k * iovec.sizeof();
            txIovs.set(ValueLayout.JAVA_LONG, iov + iovec.iov_base$OFFSET, pool.address() + batch.offset(i));
            txIovs.set(ValueLayout.JAVA_LONG, iov + iovec.iov_len$OFFSET, batch.length(i));
            long h = k * msghdr.sizeof();
            txHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_name$OFFSET, batch.metaAddress(i));
            txHdrs.set(ValueLayout.JAVA_INT, h + msghdr.msg_namelen$OFFSET, batch.remoteSockaddrLength(i));
            txHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_iov$OFFSET, txIovs.address() + iov);
            txHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_iovlen$OFFSET, 1L);
            long ctlOff = (long) k * ControlMessages.TX_BYTES;
            int ctlLen = ControlMessages.build(txCtl, ctlOff, batch, i);
            txHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_control$OFFSET, ctlLen == 0 ? 0L : ctlAddr + ctlOff);
            txHdrs.set(ValueLayout.JAVA_LONG, h + msghdr.msg_controllen$OFFSET, ctlLen);
            txHdrs.set(ValueLayout.JAVA_INT, h + msghdr.msg_flags$OFFSET, 0);
            batch.setResult(i, -errno_h.ETIME); // until its CQE says otherwise
            sq.addSendmsg(fd, hdrBase + h, socket_h.MSG_DONTWAIT, UserData.encode(OP_SEND, i, 0));
        }
        CompletionQueue cq = tx.completionQueue();
        int done = 0;
        for (int round = 0; done < m && round < SEND_WAIT_ROUNDS; round++) {
            int r = tx.submitAndWait(m - done, SEND_WAIT_NS);
            int avail = cq.ready();
            for (int k = 0; k < avail; k++) {
                long ud = cq.userData(k);
                if (UserData.op(ud) == OP_SEND) {
                    batch.setResult(UserData.id(ud), cq.res(k));
                    done++;
                }
            }
            cq.advance(avail);
            if (r < 0 && r != -errno_h.ETIME && r != -errno_h.EINTR && avail == 0 && sq.pending() > 0) {
                break; // the ring refused the submission (e.g. EEXIST from a second sending thread)
            }
        }
        if (done < m) {
            // SQEs may still reference txHdrs: never reuse them (kernel misbehaving or ring refused)
            txBroken = true;
        }
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

    /**
     * Cancels the armed receive (on the receiving thread; from another thread the ring is closed and the
     * kernel cancels it), unregisters the buffer ring so the kernel cannot pick another slot, closes both
     * rings and returns every posted slot to the pool. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        cancelReceive();
        closed = true;
        bufRing.close();
        rx.close();
        tx.close();
        for (int s = 0; s < inKernel.length; s++) {
            if (inKernel[s]) {
                inKernel[s] = false;
                pool.release(s);
            }
        }
        posted = 0;
        arena.close();
    }

    @Override
    public String toString() {
        return "UringUdpIo{" + socket + ", posted=" + posted + ", armed=" + armed + ", received=" + received
                + ", truncated=" + truncated + ", sent=" + sent + "}";
    }
}
