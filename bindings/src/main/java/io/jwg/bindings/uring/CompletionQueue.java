// Hand-written.
package io.jwg.bindings.uring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Owner thread only: the completion side of a {@link Ring}. {@link #ready()} reads the kernel-shared tail
 * with an acquire load, so the CQEs before it are visible; the caller reads them ({@link #userData},
 * {@link #res}, {@link #flags}, indexed from the head) and then {@link #advance(int)}s the head with a release
 * store: the kernel only sees the new head after the CQEs have been read. {@link #process} does the same
 * through a callback, Netty-style. Field offsets come from the generated {@link io_uring_cqe}.
 */
public final class CompletionQueue {

    /** Receives one completion; implemented by the ring's owner, so no allocation per CQE. */
    @FunctionalInterface
    public interface CompletionHandler {
        /** Handles a CQE: {@code res} is the result (or -errno), {@code flags} the IORING_CQE_F_* bits. */
        void handle(int res, int flags, long userData);
    }

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long CQE_SIZE = io_uring_cqe.sizeof();

    // These unsigned integer pointers (shared with the kernel) will be changed by the kernel.
    private final MemorySegment kRing;
    private final long kHeadOffset;
    private final long kTailOffset;
    private final long kOverflowOffset;
    private final long kCqesOffset;

    private final int ringMask;
    private final int ringEntries;
    private int head;

    CompletionQueue(final MemorySegment kRing, final MemorySegment params) {
        MemorySegment off = io_uring_params.cq_off(params);
        this.kRing = kRing;
        this.kHeadOffset = Integer.toUnsignedLong(io_cqring_offsets.head(off));
        this.kTailOffset = Integer.toUnsignedLong(io_cqring_offsets.tail(off));
        this.kOverflowOffset = Integer.toUnsignedLong(io_cqring_offsets.overflow(off));
        this.kCqesOffset = Integer.toUnsignedLong(io_cqring_offsets.cqes(off));
        this.ringMask = kRing.get(ValueLayout.JAVA_INT, io_cqring_offsets.ring_mask(off));
        this.ringEntries = kRing.get(ValueLayout.JAVA_INT, io_cqring_offsets.ring_entries(off));
        this.head = (int) INT.getAcquire(kRing, kHeadOffset);
    }

    /** {@return number of CQEs the ring holds} */
    public int ringEntries() {
        return ringEntries;
    }

    /** {@return CQEs ready to read (acquire load of the kernel's tail)} */
    public int ready() {
        return (int) INT.getAcquire(kRing, kTailOffset) - head;
    }

    /** {@return user_data of the {@code k}-th ready CQE (0 = oldest)} */
    public long userData(final int k) {
        return kRing.get(ValueLayout.JAVA_LONG, cqe(k) + io_uring_cqe.user_data$OFFSET);
    }

    /** {@return res of the {@code k}-th ready CQE} */
    public int res(final int k) {
        return kRing.get(ValueLayout.JAVA_INT, cqe(k) + io_uring_cqe.res$OFFSET);
    }

    /** {@return flags of the {@code k}-th ready CQE} */
    public int flags(final int k) {
        return kRing.get(ValueLayout.JAVA_INT, cqe(k) + io_uring_cqe.flags$OFFSET);
    }

    private long cqe(final int k) {
        return kCqesOffset + ((head + k) & ringMask) * CQE_SIZE;
    }

    /** Marks {@code n} CQEs consumed: release store of the head (liburing's io_uring_cq_advance). */
    public void advance(final int n) {
        head += n;
        INT.setRelease(kRing, kHeadOffset, head);
    }

    /** Hands up to {@code max} ready CQEs to {@code handler}, then advances past them. {@return how many} */
    public int process(final CompletionHandler handler, final int max) {
        int n = Math.min(ready(), max);
        for (int k = 0; k < n; k++) {
            handler.handle(res(k), flags(k), userData(k));
        }
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    /** {@return CQEs the kernel dropped because the ring was full (0 with IORING_FEAT_NODROP)} */
    public int overflow() {
        return (int) INT.getAcquire(kRing, kOverflowOffset);
    }

    /** Renders the CQEs not yet consumed, oldest first. */
    @Override
    public String toString() {
        int n = ready();
        StringBuilder sb = new StringBuilder("CompletionQueue{entries=").append(ringEntries).append(", head=")
                .append(head).append(", ready=[");
        for (int k = 0; k < n; k++) {
            sb.append(k == 0 ? "" : ", ").append("(res=").append(res(k)).append(", flags=0x")
                    .append(Integer.toHexString(flags(k))).append(", ").append(UserData.toString(userData(k))).append(')');
        }
        return sb.append("]}").toString();
    }
}
