// Hand-written.
package io.jwg.bindings.uring;

import io.jwg.bindings.libc.NativeIoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Stateless, thread-safe: whether this machine can run jwg's io_uring paths, probed once in the static
 * initializer (ring creation, the opcodes jwg issues, features, provided-buffer rings). Callers fall back to
 * recvmmsg/sendmmsg when {@link #isAvailable()} is false; tests use {@code assumeTrue(Uring.isAvailable())}.
 * Setting {@code -Djwg.uring.disable=true} makes it unavailable (to exercise the fallback).
 */
public final class Uring {

    /** Opcodes jwg submits. */
    private static final int[] REQUIRED_OPS = {
        io_uring_h.IORING_OP_NOP, io_uring_h.IORING_OP_SENDMSG, io_uring_h.IORING_OP_RECVMSG,
        io_uring_h.IORING_OP_READ, io_uring_h.IORING_OP_WRITE, io_uring_h.IORING_OP_READ_FIXED,
        io_uring_h.IORING_OP_WRITE_FIXED, io_uring_h.IORING_OP_ASYNC_CANCEL,
        // multishot recvmsg arrived with SEND_ZC (Linux 6.0): a kernel that knows SEND_ZC has both
        io_uring_h.IORING_OP_SEND_ZC};
    private static final int REQUIRED_FEATURES = io_uring_h.IORING_FEAT_NODROP | io_uring_h.IORING_FEAT_FAST_POLL
            | io_uring_h.IORING_FEAT_EXT_ARG;

    private static final Throwable UNAVAILABILITY_CAUSE = probe();

    private Uring() {
    }

    /** {@return whether io_uring with everything jwg uses works here} */
    public static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    /** {@return why io_uring is unavailable, or null} */
    public static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    /** Throws {@link UnsupportedOperationException} (with the cause) when io_uring is unavailable. */
    public static void ensureAvailability() {
        if (UNAVAILABILITY_CAUSE != null) {
            throw new UnsupportedOperationException("io_uring unavailable", UNAVAILABILITY_CAUSE);
        }
    }

    private static Throwable probe() {
        if (Boolean.getBoolean("jwg.uring.disable")) {
            return new UnsupportedOperationException("disabled by -Djwg.uring.disable=true");
        }
        try (Ring ring = Ring.open(2, 4)) {
            if ((ring.features() & REQUIRED_FEATURES) != REQUIRED_FEATURES) {
                return new UnsupportedOperationException("kernel lacks io_uring features 0x"
                        + Integer.toHexString(REQUIRED_FEATURES & ~ring.features()));
            }
            int ops = 256;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment probe = a.allocate(io_uring_probe.sizeof() + io_uring_probe_op.sizeof() * ops, 8);
                int r = ring.register(io_uring_h.IORING_REGISTER_PROBE, probe, ops);
                if (r < 0) {
                    return new NativeIoException("IORING_REGISTER_PROBE", -r);
                }
                int len = Byte.toUnsignedInt(io_uring_probe.ops_len(probe));
                for (int op : REQUIRED_OPS) {
                    MemorySegment o = probe.asSlice(io_uring_probe.sizeof() + io_uring_probe_op.sizeof() * op);
                    if (op >= len || (io_uring_probe_op.flags(o) & io_uring_h.IO_URING_OP_SUPPORTED) == 0) {
                        return new UnsupportedOperationException("io_uring op " + SubmissionQueue.opName(op) + " unsupported");
                    }
                }
            }
            try (BufRing br = new BufRing(ring, 2, 0)) {
                br.add(0, 0, 0, 0);
            }
            int r = ring.enable();
            if (r < 0) {
                return new NativeIoException("IORING_REGISTER_ENABLE_RINGS", -r);
            }
            ring.submissionQueue().addNop(42);
            r = ring.submitAndWait(1, 1_000_000_000L);
            CompletionQueue cq = ring.completionQueue();
            if (r != 1 || cq.ready() != 1 || cq.userData(0) != 42 || cq.res(0) != 0) {
                return new IllegalStateException("io_uring NOP round trip failed: " + r + " " + ring);
            }
            cq.advance(1);
            return null;
        } catch (NativeIoException | RuntimeException | LinkageError e) {
            return e;
        }
    }

}
