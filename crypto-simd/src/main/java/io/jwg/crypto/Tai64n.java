package io.jwg.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * TAI64N timestamps as WireGuard puts them in handshake initiations; stateless, thread-safe static
 * functions.
 *
 * <p>Layout (12 bytes): big-endian u64 TAI64 label = 0x400000000000000a + Unix seconds,
 * then big-endian u32 nanoseconds. The nanoseconds are rounded down to a multiple of 2^24 ns
 * (about 16.8 ms) by masking their low 24 bits, as wireguard-go does, so the timestamp does not
 * leak a precise clock. Replay protection accepts an initiation only if its timestamp is strictly
 * greater, by {@link #compare}, than the greatest one accepted before.
 */
public final class Tai64n {
    /** Encoded length in bytes. */
    public static final int LENGTH = 12;
    /** TAI64 label of the Unix epoch: 2^62 + 10 (the TAI-UTC offset of 1970). */
    public static final long TAI64_EPOCH_LABEL = 0x400000000000000aL;
    /** Low bits of the nanosecond field that are cleared ("whitened"), as a mask. */
    public static final int NANOS_WHITENER_MASK = (1 << 24) - 1;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Tai64n() {
    }

    /**
     * Writes the TAI64N stamp of the instant {@code unixEpochNanos} (nanoseconds since
     * 1970-01-01T00:00:00Z, may be negative) into {@code out[off..off+12)}, nanoseconds rounded
     * down to a multiple of 2^24.
     *
     * @throws IndexOutOfBoundsException if the stamp does not fit
     */
    public static void encode(long unixEpochNanos, byte[] out, int off) {
        Objects.checkFromIndexSize(off, LENGTH, out.length);
        long seconds = Math.floorDiv(unixEpochNanos, NANOS_PER_SECOND);
        int nanos = (int) Math.floorMod(unixEpochNanos, NANOS_PER_SECOND);
        LONG_BE.set(out, off, TAI64_EPOCH_LABEL + seconds);
        INT_BE.set(out, off + 8, nanos & ~NANOS_WHITENER_MASK);
    }

    /**
     * Writes the TAI64N stamp of the current wall-clock time ({@link java.time.Instant#now()}).
     * The protocol core should prefer {@link #encode} with an injected clock.
     */
    public static void encodeNow(byte[] out, int off) {
        java.time.Instant now = java.time.Instant.now();
        long nanos = Math.addExact(Math.multiplyExact(now.getEpochSecond(), NANOS_PER_SECOND), now.getNano());
        encode(nanos, out, off);
    }

    /**
     * Unsigned bytewise comparison of the 12-byte stamps at {@code a[aOff]} and {@code b[bOff]}
     * (equivalently: by seconds, then nanoseconds).
     *
     * @return negative, zero or positive as {@code a} is less than, equal to or greater than {@code b}
     * @throws IndexOutOfBoundsException if a stamp is outside its array
     */
    public static int compare(byte[] a, int aOff, byte[] b, int bOff) {
        Objects.checkFromIndexSize(aOff, LENGTH, a.length);
        Objects.checkFromIndexSize(bOff, LENGTH, b.length);
        return java.util.Arrays.compareUnsigned(a, aOff, aOff + LENGTH, b, bOff, bOff + LENGTH);
    }

    /**
     * Unsigned bytewise comparison of the 12-byte stamps at segment offsets {@code aOff} and
     * {@code bOff}.
     *
     * @return negative, zero or positive as {@code a} is less than, equal to or greater than {@code b}
     * @throws IndexOutOfBoundsException if a stamp is outside its segment
     */
    public static int compare(MemorySegment a, long aOff, MemorySegment b, long bOff) {
        Objects.checkFromIndexSize(aOff, LENGTH, a.byteSize());
        Objects.checkFromIndexSize(bOff, LENGTH, b.byteSize());
        for (int i = 0; i < LENGTH; i++) {
            int x = Byte.toUnsignedInt(a.get(ValueLayout.JAVA_BYTE, aOff + i));
            int y = Byte.toUnsignedInt(b.get(ValueLayout.JAVA_BYTE, bOff + i));
            if (x != y) {
                return x - y;
            }
        }
        return 0;
    }

    /** The TAI64 seconds label (big-endian u64) of the stamp at {@code in[off]}. */
    public static long seconds(byte[] in, int off) {
        Objects.checkFromIndexSize(off, LENGTH, in.length);
        return (long) LONG_BE.get(in, off);
    }

    /** The nanoseconds field (big-endian u32) of the stamp at {@code in[off]}. */
    public static int nanos(byte[] in, int off) {
        Objects.checkFromIndexSize(off, LENGTH, in.length);
        return (int) INT_BE.get(in, off + 8);
    }
}
