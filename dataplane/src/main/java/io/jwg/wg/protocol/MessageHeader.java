package io.jwg.wg.protocol;

import java.lang.foreign.MemorySegment;

/**
 * The 4-byte header every WireGuard message starts with.
 *
 * <pre>
 *  0       1       2       3
 * +-------+-------+-------+-------+
 * | type  |   reserved (zero)     |
 * +-------+-------+-------+-------+
 * </pre>
 *
 * The kernel declares these four bytes as one little-endian u32 {@code type}: a u8 type followed by
 * three zero bytes reads as the small integer 1..4, so a single compare both checks the type and
 * rejects any non-zero reserved byte. {@link #type} reads it that way.
 */
public final class MessageHeader {
    private MessageHeader() {
    }

    /** Offset of the type word. */
    public static final int TYPE_OFFSET = 0;
    /** Length of the type word (type byte plus three reserved bytes). */
    public static final int TYPE_LENGTH = 4;
    /** Length of the header. */
    public static final int LENGTH = TYPE_OFFSET + TYPE_LENGTH;

    /** The type word as one little-endian u32 (values other than 1..4 are invalid). */
    public static int type(final MemorySegment seg, final long off) {
        return seg.get(WireLayouts.LE_INT, off + TYPE_OFFSET);
    }

    /** Writes the type byte and zeroes the reserved bytes. */
    public static void putType(final MemorySegment seg, final long off, final int type) {
        seg.set(WireLayouts.LE_INT, off + TYPE_OFFSET, type);
    }
}
