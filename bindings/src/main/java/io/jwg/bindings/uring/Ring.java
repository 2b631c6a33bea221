// Hand-written.
package io.jwg.bindings.uring;

import io.jwg.bindings.libc.Errno;
import io.jwg.bindings.libc.NativeIoException;
import io.jwg.bindings.libc.errno_h;
import io.jwg.bindings.libc.libc_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Owner thread only: one io_uring instance driven directly through {@code syscall(2)} (io_uring_setup,
 * io_uring_enter, io_uring_register), its rings mmapped here and split into a {@link SubmissionQueue} and
 * a {@link CompletionQueue}. No liburing: Debian's liburing2 2.3 does not export the static inline
 * helpers, and owning the ring in Java keeps every memory-ordering edge visible.
 * <p>Rings are created with {@code IORING_SETUP_R_DISABLED}: registrations may happen on any thread, and the
 * first {@link #enable()} (called by the owner before its first submission) makes the calling thread the
 * single issuer ({@code IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN} where the kernel has them).
 * Methods return {@code >= 0} or {@code -errno}; only {@link #open} throws.
 */
public final class Ring implements AutoCloseable {

    /** Setup flags tried first; {@link #open} retries with {@link #BASIC_FLAGS} if the kernel refuses them. */
    public static final int FAST_FLAGS = io_uring_h.IORING_SETUP_SUBMIT_ALL | io_uring_h.IORING_SETUP_SINGLE_ISSUER
            | io_uring_h.IORING_SETUP_DEFER_TASKRUN | io_uring_h.IORING_SETUP_TASKRUN_FLAG;
    /** Setup flags every supported kernel accepts. */
    public static final int BASIC_FLAGS = 0;

    private final Arena arena;
    private final MemorySegment errno;
    private final MemorySegment eventsArg;
    private final MemorySegment timeout;
    private final int fd;
    private final int setupFlags;
    private final int features;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private boolean enabled;
    private boolean closed;

    private Ring(final Arena arena, final MemorySegment errno, final int fd, final MemorySegment params,
                 final MemorySegment sqRing, final MemorySegment cqRing, final MemorySegment sqes) {
        this.arena = arena;
        this.errno = errno;
        this.fd = fd;
        this.setupFlags = io_uring_params.flags(params);
        this.features = io_uring_params.features(params);
        this.sqRing = sqRing;
        this.cqRing = cqRing;
        this.sqes = sqes;
        this.sq = new SubmissionQueue(sqRing, params, sqes);
        this.cq = new CompletionQueue(cqRing, params);
        this.eventsArg = io_uring_getevents_arg.allocate(arena);
        this.timeout = __kernel_timespec.allocate(arena);
    }

    /**
     * Creates a ring with {@code sqEntries} SQEs and {@code cqEntries} CQEs (powers of two; the kernel rounds
     * up; {@code cqEntries} is raised to {@code sqEntries} if smaller), disabled until {@link #enable()}.
     */
    public static Ring open(final int sqEntries, final int cqEntries) throws NativeIoException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment errno = Errno.allocateState(arena);
            MemorySegment params = io_uring_params.allocate(arena);
            int cq = Math.max(cqEntries, sqEntries);
            int fd = setup(errno, params, sqEntries, cq, FAST_FLAGS);
            if (fd == -errno_h.EINVAL) {
                fd = setup(errno, params, sqEntries, cq, BASIC_FLAGS);
            }
            if (fd < 0) {
                throw new NativeIoException("io_uring_setup", -fd);
            }
            try {
                MemorySegment sqOff = io_uring_params.sq_off(params);
                MemorySegment cqOff = io_uring_params.cq_off(params);
                long sqSize = Integer.toUnsignedLong(io_sqring_offsets.array(sqOff))
                        + 4L * io_uring_params.sq_entries(params);
                long cqSize = Integer.toUnsignedLong(io_cqring_offsets.cqes(cqOff))
                        + io_uring_cqe.sizeof() * io_uring_params.cq_entries(params);
                boolean single = (io_uring_params.features(params) & io_uring_h.IORING_FEAT_SINGLE_MMAP) != 0;
                if (single) {
                    sqSize = Math.max(sqSize, cqSize);
                }
                MemorySegment sqRing = map(arena, errno, fd, sqSize, io_uring_h.IORING_OFF_SQ_RING);
                MemorySegment cqRing = single ? sqRing : map(arena, errno, fd, cqSize, io_uring_h.IORING_OFF_CQ_RING);
                MemorySegment sqes = map(arena, errno, fd, io_uring_sqe.sizeof() * io_uring_params.sq_entries(params),
                        io_uring_h.IORING_OFF_SQES);
                return new Ring(arena, errno, fd, params, sqRing, cqRing, sqes);
            } catch (NativeIoException | RuntimeException e) {
                libc_h.close(errno, fd);
                throw e;
            }
        } catch (NativeIoException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static int setup(final MemorySegment errno, final MemorySegment params, final int sqEntries,
                             final int cqEntries, final int flags) {
        params.fill((byte) 0);
        io_uring_params.flags(params, flags | io_uring_h.IORING_SETUP_CQSIZE | io_uring_h.IORING_SETUP_R_DISABLED);
        io_uring_params.cq_entries(params, cqEntries);
        long r = libc_h.syscall(errno, io_uring_h.SYS_io_uring_setup, sqEntries, params.address(), 0, 0, 0, 0);
        return r < 0 ? -Errno.get(errno) : (int) r;
    }

    /** mmaps part of the ring; the segment is bound to the ring's arena so use after close throws, not crashes. */
    @SuppressWarnings("restricted")
    private static MemorySegment map(final Arena arena, final MemorySegment errno, final int fd, final long size,
                                     final long offset) throws NativeIoException {
        MemorySegment m = libc_h.mmap(errno, MemorySegment.NULL, size, libc_h.PROT_READ | libc_h.PROT_WRITE,
                libc_h.MAP_SHARED | libc_h.MAP_POPULATE, fd, offset);
        if (m.address() == -1L) {
            throw new NativeIoException("mmap io_uring", Errno.get(errno));
        }
        return m.reinterpret(size, arena, null);
    }

    /** {@return the ring's file descriptor} */
    public int fd() {
        return fd;
    }

    /** {@return the setup flags the kernel accepted} */
    public int setupFlags() {
        return setupFlags;
    }

    /** {@return IORING_FEAT_* bits} */
    public int features() {
        return features;
    }

    /** {@return the submission queue} */
    public SubmissionQueue submissionQueue() {
        return sq;
    }

    /** {@return the completion queue} */
    public CompletionQueue completionQueue() {
        return cq;
    }

    /** Makes the calling thread the ring's submitter (IORING_REGISTER_ENABLE_RINGS); idempotent. {@return 0 or -errno} */
    public int enable() {
        if (enabled) {
            return 0;
        }
        int r = register(io_uring_h.IORING_REGISTER_ENABLE_RINGS, MemorySegment.NULL, 0);
        enabled = r >= 0;
        return r;
    }

    /** {@return whether completions need an io_uring_enter to show up (overflow backlog or deferred task work)} */
    public boolean completionsNeedEnter() {
        return (sq.kernelFlags() & (io_uring_h.IORING_SQ_CQ_OVERFLOW | io_uring_h.IORING_SQ_TASKRUN)) != 0;
    }

    /** Submits pending SQEs without waiting. {@return SQEs submitted or -errno} */
    public int submit() {
        if (closed) {
            return -errno_h.EBADF;
        }
        return enter(sq.flush(), 0, 0, MemorySegment.NULL, 0);
    }

    /**
     * Submits pending SQEs and waits until at least {@code minComplete} CQEs are ready or {@code timeoutNs}
     * passed ({@code < 0}: no limit; 0: just flush overflow and run deferred completions).
     * {@return SQEs submitted if any, else 0, {@code -ETIME} on timeout, {@code -EINTR}, or -errno}
     */
    public int submitAndWait(final int minComplete, final long timeoutNs) {
        if (closed) {
            return -errno_h.EBADF;
        }
        int toSubmit = sq.flush();
        int flags = io_uring_h.IORING_ENTER_GETEVENTS;
        if (timeoutNs < 0 || (features & io_uring_h.IORING_FEAT_EXT_ARG) == 0) {
            return enter(toSubmit, minComplete, flags, MemorySegment.NULL, 0);
        }
        __kernel_timespec.tv_sec(timeout, timeoutNs / 1_000_000_000L);
        __kernel_timespec.tv_nsec(timeout, timeoutNs % 1_000_000_000L);
        io_uring_getevents_arg.ts(eventsArg, timeout.address());
        return enter(toSubmit, minComplete, flags | io_uring_h.IORING_ENTER_EXT_ARG, eventsArg,
                io_uring_getevents_arg.sizeof());
    }

    private int enter(final int toSubmit, final int minComplete, final int flags, final MemorySegment arg, final long argSize) {
        if (closed) {
            return -errno_h.EBADF;
        }
        long r = libc_h.syscall(errno, io_uring_h.SYS_io_uring_enter, fd, toSubmit, minComplete, flags, arg.address(), argSize);
        return r < 0 ? -Errno.get(errno) : (int) r;
    }

    /** io_uring_register({@code opcode}, {@code arg}, {@code nrArgs}). {@return result or -errno} */
    public int register(final int opcode, final MemorySegment arg, final int nrArgs) {
        if (closed) {
            return -errno_h.EBADF;
        }
        long r = libc_h.syscall(errno, io_uring_h.SYS_io_uring_register, fd, opcode, arg.address(), nrArgs, 0, 0);
        return r < 0 ? -Errno.get(errno) : (int) r;
    }

    /** Registers {@code memory} as fixed buffer index 0 (IORING_REGISTER_BUFFERS). {@return 0 or -errno} */
    public int registerBuffer(final MemorySegment memory) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = io.jwg.bindings.libc.iovec.allocate(a);
            io.jwg.bindings.libc.iovec.iov_base(iov, memory);
            io.jwg.bindings.libc.iovec.iov_len(iov, memory.byteSize());
            return register(io_uring_h.IORING_REGISTER_BUFFERS, iov, 1);
        }
    }

    /** Unmaps the rings and closes the descriptor (the kernel cancels what is still in flight). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        libc_h.munmap(errno, sqes, sqes.byteSize());
        if (cqRing.address() != sqRing.address()) {
            libc_h.munmap(errno, cqRing, cqRing.byteSize());
        }
        libc_h.munmap(errno, sqRing, sqRing.byteSize());
        libc_h.close(errno, fd);
        arena.close();
    }

    @Override
    public String toString() {
        if (closed) {
            return "Ring{closed}";
        }
        return "Ring{fd=" + fd + ", flags=0x" + Integer.toHexString(setupFlags) + ", " + sq + ", " + cq + "}";
    }
}
