package io.jwg.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * Comparisons and zeroing for secret data; stateless, thread-safe static functions.
 *
 * <p>{@code equals} and {@code isZero} take time that depends only on the length, never on where
 * (or whether) the inputs differ: every byte is read and differences are OR-accumulated without
 * early exit. Use them for MACs, tags and DH outputs.
 */
public final class ConstantTime {
    private ConstantTime() {
    }

    /**
     * Whether {@code a[aOff..aOff+len)} equals {@code b[bOff..bOff+len)}, in time independent of
     * the contents.
     *
     * @throws IndexOutOfBoundsException if a range is outside its array
     */
    public static boolean equals(byte[] a, int aOff, byte[] b, int bOff, int len) {
        Objects.checkFromIndexSize(aOff, len, a.length);
        Objects.checkFromIndexSize(bOff, len, b.length);
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }

    /**
     * Whether {@code len} bytes of {@code a} at {@code aOff} equal those of {@code b} at
     * {@code bOff}, in time independent of the contents.
     *
     * @throws IndexOutOfBoundsException if a range is outside its segment
     */
    public static boolean equals(MemorySegment a, long aOff, MemorySegment b, long bOff, long len) {
        Objects.checkFromIndexSize(aOff, len, a.byteSize());
        Objects.checkFromIndexSize(bOff, len, b.byteSize());
        int diff = 0;
        for (long i = 0; i < len; i++) {
            diff |= a.get(ValueLayout.JAVA_BYTE, aOff + i) ^ b.get(ValueLayout.JAVA_BYTE, bOff + i);
        }
        return diff == 0;
    }

    /**
     * Whether {@code a[off..off+len)} is all zero bytes, in time independent of the contents.
     *
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public static boolean isZero(byte[] a, int off, int len) {
        Objects.checkFromIndexSize(off, len, a.length);
        int acc = 0;
        for (int i = 0; i < len; i++) {
            acc |= a[off + i];
        }
        return acc == 0;
    }

    /**
     * Whether {@code len} bytes of {@code s} at {@code off} are all zero, in time independent of
     * the contents.
     *
     * @throws IndexOutOfBoundsException if the range is outside the segment
     */
    public static boolean isZero(MemorySegment s, long off, long len) {
        Objects.checkFromIndexSize(off, len, s.byteSize());
        int acc = 0;
        for (long i = 0; i < len; i++) {
            acc |= s.get(ValueLayout.JAVA_BYTE, off + i);
        }
        return acc == 0;
    }

    /** Overwrites every byte of {@code a} with zero (for secrets going out of use). */
    public static void zero(byte[] a) {
        Arrays.fill(a, (byte) 0);
    }

    /** Overwrites {@code len} bytes of {@code a} from {@code off} with zero. */
    public static void zero(byte[] a, int off, int len) {
        Objects.checkFromIndexSize(off, len, a.length);
        Arrays.fill(a, off, off + len, (byte) 0);
    }

    /** Overwrites every byte of {@code s} with zero (for secrets going out of use). */
    public static void zero(MemorySegment s) {
        s.fill((byte) 0);
    }
}
