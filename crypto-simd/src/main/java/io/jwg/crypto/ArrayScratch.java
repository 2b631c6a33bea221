package io.jwg.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Per-thread native scratch through which the {@code byte[]} AEAD calls run; owner thread only
 * (one segment per thread, from a {@link ThreadLocal}).
 *
 * <p>Why: the data path always hands the kernels native segments. If the handshake's {@code byte[]}
 * calls wrapped their arrays as heap segments, the kernels' type profiles would see both kinds,
 * and C2 would deoptimise and recompile them with slower polymorphic access: measured on the
 * development machine, native 1420-byte seals went from ~100 us to ~350 us per call (C1) after 50
 * handshake-style calls. Copying a handshake's few dozen bytes into native memory keeps every
 * kernel call site monomorphic. The scratch is zeroed after each call (it held plaintext).
 */
final class ArrayScratch {
    static final long AAD = 0;
    static final long MAX_AAD = 256;
    static final long DATA = MAX_AAD;
    static final long SIZE = 4096;

    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SIZE, 64));

    private ArrayScratch() {
    }

    /** True if an AAD of {@code aadLen} and a message region of {@code dataLen} fit. */
    static boolean fits(long aadLen, long dataLen) {
        return aadLen <= MAX_AAD && dataLen <= SIZE - DATA;
    }

    static MemorySegment forThread() {
        return SCRATCH.get();
    }

    /** Copies {@code aad} (may be null) and {@code src[srcOff, +len)} into the scratch. */
    static void load(MemorySegment m, byte[] aad, byte[] src, int srcOff, int len) {
        if (aad != null && aad.length > 0) {
            MemorySegment.copy(aad, 0, m, ValueLayout.JAVA_BYTE, AAD, aad.length);
        }
        MemorySegment.copy(src, srcOff, m, ValueLayout.JAVA_BYTE, DATA, len);
    }

    static void wipe(MemorySegment m) {
        m.fill((byte) 0);
    }
}
