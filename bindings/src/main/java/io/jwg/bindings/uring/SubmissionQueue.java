// Hand-written.
package io.jwg.bindings.uring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;

/**
 * Owner thread only: the submission side of a {@link Ring}. Fills SQEs in the mmapped array with plain
 * stores and publishes them with a release store of the kernel-shared tail ({@link #flush()}); the kernel
 * consumes them in {@code io_uring_enter} and advances the head, which is read with an acquire load.
 * <p>The {@code add*} methods mimic liburing 2.3's {@code io_uring_prep_*} static inlines (liburing.h),
 * which Debian's liburing2 does not export; each returns false when the ring is full (nothing written).
 * Field offsets come from the generated {@link io_uring_sqe}.
 */
public final class SubmissionQueue {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long SQE_SIZE = io_uring_sqe.sizeof();
    private static final String[] OP_NAMES = opNames();

    // These unsigned integer pointers (shared with the kernel) will be changed by the kernel.
    private final MemorySegment kRing;
    private final long kHeadOffset;
    private final long kTailOffset;
    private final long kFlagsOffset;
    private final long kDroppedOffset;
    private final MemorySegment kSqes;

    private final int ringMask;
    private final int ringEntries;
    private int head;
    private int tail;

    SubmissionQueue(final MemorySegment kRing, final MemorySegment params, final MemorySegment kSqes) {
        MemorySegment off = io_uring_params.sq_off(params);
        this.kRing = kRing;
        this.kHeadOffset = Integer.toUnsignedLong(io_sqring_offsets.head(off));
        this.kTailOffset = Integer.toUnsignedLong(io_sqring_offsets.tail(off));
        this.kFlagsOffset = Integer.toUnsignedLong(io_sqring_offsets.flags(off));
        this.kDroppedOffset = Integer.toUnsignedLong(io_sqring_offsets.dropped(off));
        this.kSqes = kSqes;
        this.ringMask = kRing.get(ValueLayout.JAVA_INT, io_sqring_offsets.ring_mask(off));
        this.ringEntries = kRing.get(ValueLayout.JAVA_INT, io_sqring_offsets.ring_entries(off));
        long kArrayOffset = Integer.toUnsignedLong(io_sqring_offsets.array(off));
        // Identity index array, as liburing sets it up: SQE i is always at array slot i.
        for (int i = 0; i < ringEntries; i++) {
            kRing.set(ValueLayout.JAVA_INT, kArrayOffset + 4L * i, i);
        }
        this.head = (int) INT.getAcquire(kRing, kHeadOffset);
        this.tail = (int) INT.getAcquire(kRing, kTailOffset);
    }

    /** {@return number of SQEs the ring holds} */
    public int ringEntries() {
        return ringEntries;
    }

    /** {@return SQEs filled but not yet consumed by the kernel} */
    public int pending() {
        return tail - (int) INT.getAcquire(kRing, kHeadOffset);
    }

    /** {@return SQEs that can still be added before the kernel consumes some} */
    public int remaining() {
        head = (int) INT.getAcquire(kRing, kHeadOffset);
        return ringEntries - (tail - head);
    }

    /** {@return the kernel's SQ ring flags (IORING_SQ_NEED_WAKEUP, IORING_SQ_CQ_OVERFLOW, IORING_SQ_TASKRUN)} */
    public int kernelFlags() {
        return (int) INT.getAcquire(kRing, kFlagsOffset);
    }

    /** {@return SQEs the kernel dropped as invalid (should stay 0)} */
    public int dropped() {
        return (int) INT.getAcquire(kRing, kDroppedOffset);
    }

    /**
     * Publishes every filled SQE to the kernel: release store of the tail, so the SQE contents are visible
     * before the kernel can see the new tail. {@return the number of SQEs awaiting io_uring_enter}
     */
    public int flush() {
        INT.setRelease(kRing, kTailOffset, tail);
        return pending();
    }

    /**
     * Fills the next SQE (all other fields zero). Mimics liburing's {@code io_uring_prep_rw}.
     * {@return false, writing nothing, when the ring is full}
     */
    public boolean enqueueSqe(final int op, final int flags, final int ioprio, final int fd, final long off,
                              final long addr, final int len, final int opFlags, final long userData,
                              final int bufIndexOrGroup) {
        if (tail - head == ringEntries) {
            head = (int) INT.getAcquire(kRing, kHeadOffset);
            if (tail - head == ringEntries) {
                return false;
            }
        }
        long sqe = (tail & ringMask) * SQE_SIZE;
        for (long k = 0; k < SQE_SIZE; k += 8) {
            kSqes.set(ValueLayout.JAVA_LONG, sqe + k, 0L);
        }
        kSqes.set(ValueLayout.JAVA_BYTE, sqe + io_uring_sqe.opcode$OFFSET, (byte) op);
        kSqes.set(ValueLayout.JAVA_BYTE, sqe + io_uring_sqe.flags$OFFSET, (byte) flags);
        kSqes.set(ValueLayout.JAVA_SHORT, sqe + io_uring_sqe.ioprio$OFFSET, (short) ioprio);
        kSqes.set(ValueLayout.JAVA_INT, sqe + io_uring_sqe.fd$OFFSET, fd);
        kSqes.set(ValueLayout.JAVA_LONG, sqe + io_uring_sqe.off$OFFSET, off);
        kSqes.set(ValueLayout.JAVA_LONG, sqe + io_uring_sqe.addr$OFFSET, addr);
        kSqes.set(ValueLayout.JAVA_INT, sqe + io_uring_sqe.len$OFFSET, len);
        kSqes.set(ValueLayout.JAVA_INT, sqe + io_uring_sqe.rw_flags$OFFSET, opFlags);
        kSqes.set(ValueLayout.JAVA_LONG, sqe + io_uring_sqe.user_data$OFFSET, userData);
        kSqes.set(ValueLayout.JAVA_SHORT, sqe + io_uring_sqe.buf_index$OFFSET, (short) bufIndexOrGroup);
        tail++;
        return true;
    }

    /** {@code io_uring_prep_nop}. */
    public boolean addNop(final long userData) {
        return enqueueSqe(io_uring_h.IORING_OP_NOP, 0, 0, -1, 0, 0, 0, 0, userData, 0);
    }

    /** {@code io_uring_prep_sendmsg}: send the {@code msghdr} at {@code msghdrAddress}. */
    public boolean addSendmsg(final int fd, final long msghdrAddress, final int msgFlags, final long userData) {
        return enqueueSqe(io_uring_h.IORING_OP_SENDMSG, 0, 0, fd, 0, msghdrAddress, 1, msgFlags, userData, 0);
    }

    /** {@code io_uring_prep_recvmsg}: receive into the {@code msghdr} at {@code msghdrAddress}. */
    public boolean addRecvmsg(final int fd, final long msghdrAddress, final int msgFlags, final long userData) {
        return enqueueSqe(io_uring_h.IORING_OP_RECVMSG, 0, 0, fd, 0, msghdrAddress, 1, msgFlags, userData, 0);
    }

    /**
     * {@code io_uring_prep_recvmsg_multishot} with {@code IOSQE_BUFFER_SELECT} from buffer group
     * {@code bufGroup}: one SQE, one CQE per datagram (flag {@code IORING_CQE_F_MORE} while it stays armed);
     * each buffer starts with {@code io_uring_recvmsg_out}, then the name and control parts sized as in the
     * template {@code msghdr}, then the payload.
     */
    public boolean addRecvmsgMultishot(final int fd, final long msghdrAddress, final int msgFlags, final int bufGroup,
                                       final long userData) {
        return enqueueSqe(io_uring_h.IORING_OP_RECVMSG, io_uring_h.IOSQE_BUFFER_SELECT, io_uring_h.IORING_RECV_MULTISHOT,
                fd, 0, msghdrAddress, 1, msgFlags, userData, bufGroup);
    }

    /** {@code io_uring_prep_read}: read {@code len} bytes at {@code address} (offset 0: streams ignore it). */
    public boolean addRead(final int fd, final long address, final int len, final long userData) {
        return enqueueSqe(io_uring_h.IORING_OP_READ, 0, 0, fd, 0, address, len, 0, userData, 0);
    }

    /** {@code io_uring_prep_write}. */
    public boolean addWrite(final int fd, final long address, final int len, final long userData) {
        return enqueueSqe(io_uring_h.IORING_OP_WRITE, 0, 0, fd, 0, address, len, 0, userData, 0);
    }

    /** {@code io_uring_prep_read_fixed}: like {@link #addRead} inside registered buffer {@code bufIndex}. */
    public boolean addReadFixed(final int fd, final long address, final int len, final int bufIndex, final long userData) {
        return enqueueSqe(io_uring_h.IORING_OP_READ_FIXED, 0, 0, fd, 0, address, len, 0, userData, bufIndex);
    }

    /** {@code io_uring_prep_write_fixed}. */
    public boolean addWriteFixed(final int fd, final long address, final int len, final int bufIndex, final long userData) {
        return enqueueSqe(io_uring_h.IORING_OP_WRITE_FIXED, 0, 0, fd, 0, address, len, 0, userData, bufIndex);
    }

    /** {@code io_uring_prep_cancel64}: cancel the request(s) with {@code targetUserData}. */
    public boolean addCancel(final long targetUserData, final int cancelFlags, final long userData) {
        return enqueueSqe(io_uring_h.IORING_OP_ASYNC_CANCEL, 0, 0, -1, 0, targetUserData, 0, cancelFlags, userData, 0);
    }

    /** {@return the name of IORING_OP_* {@code op}, for toString} */
    public static String opName(final int op) {
        return op >= 0 && op < OP_NAMES.length && OP_NAMES[op] != null ? OP_NAMES[op] : "OP_" + op;
    }

    private static String[] opNames() {
        String[] names = new String[256];
        for (Field f : io_uring_h.class.getFields()) {
            if (f.getName().startsWith("IORING_OP_") && f.getType() == int.class && !f.getName().equals("IORING_OP_LAST")) {
                try {
                    names[f.getInt(null)] = f.getName().substring("IORING_OP_".length());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return names;
    }

    /** Renders the SQEs not yet consumed by the kernel, oldest first. */
    @Override
    public String toString() {
        int kHead = (int) INT.getAcquire(kRing, kHeadOffset);
        StringBuilder sb = new StringBuilder("SubmissionQueue{entries=").append(ringEntries)
                .append(", head=").append(kHead).append(", tail=").append(tail).append(", pending=[");
        for (int i = kHead; i != tail; i++) {
            long sqe = (i & ringMask) * SQE_SIZE;
            sb.append(i == kHead ? "" : ", ")
                    .append(opName(Byte.toUnsignedInt(kSqes.get(ValueLayout.JAVA_BYTE, sqe + io_uring_sqe.opcode$OFFSET))))
                    .append("(fd=").append(kSqes.get(ValueLayout.JAVA_INT, sqe + io_uring_sqe.fd$OFFSET))
                    .append(", ").append(UserData.toString(kSqes.get(ValueLayout.JAVA_LONG, sqe + io_uring_sqe.user_data$OFFSET)))
                    .append(')');
        }
        return sb.append("]}").toString();
    }
}
