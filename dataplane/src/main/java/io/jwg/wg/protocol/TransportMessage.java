package io.jwg.wg.protocol;

import static io.jwg.wg.protocol.ProtocolConstants.NOISE_AUTH_TAG_LENGTH;

import java.lang.foreign.MemorySegment;

/**
 * Transport data (type 4), at least 32 bytes [whitepaper 5.4.6].
 *
 * <pre>
 *  offset  field
 *       0  type = 4 (LE u32, reserved bytes zero)
 *       4  receiver_index (LE u32)
 *       8  counter (LE u64), also the AEAD nonce
 *      16  encrypted_encapsulated_packet (padded plaintext + 16 tag)
 * </pre>
 *
 * A keepalive is a transport message with an empty plaintext: {@link #MIN_LENGTH} bytes.
 */
public final class TransportMessage {
    private TransportMessage() {
    }

    /** Receiver index offset. */
    public static final int RECEIVER_INDEX_OFFSET = MessageHeader.LENGTH;
    /** Counter offset. */
    public static final int COUNTER_OFFSET = RECEIVER_INDEX_OFFSET + Integer.BYTES;
    /** Ciphertext offset (header length). */
    public static final int DATA_OFFSET = COUNTER_OFFSET + Long.BYTES;
    /** Header length: 16. */
    public static final int HEADER_LENGTH = DATA_OFFSET;
    /** Bytes a transport message adds to its plaintext: header + tag = 32. */
    public static final int OVERHEAD = HEADER_LENGTH + NOISE_AUTH_TAG_LENGTH;
    /** Minimum length (a keepalive): 32. */
    public static final int MIN_LENGTH = OVERHEAD;
    /** Plaintext is zero-padded to a multiple of this (never past the MTU) [5.4.6]. */
    public static final int PADDING_MULTIPLE = 16;

    /** The receiver index. */
    public static int receiverIndex(final MemorySegment seg, final long off) {
        return seg.get(WireLayouts.LE_INT, off + RECEIVER_INDEX_OFFSET);
    }

    /** The counter (unsigned). */
    public static long counter(final MemorySegment seg, final long off) {
        return seg.get(WireLayouts.LE_LONG, off + COUNTER_OFFSET);
    }

    /** Writes the type, receiver index and counter: the whole 16-byte header. */
    public static void putHeader(final MemorySegment seg, final long off, final int receiverIndex,
                                 final long counter) {
        MessageHeader.putType(seg, off, ProtocolConstants.MESSAGE_DATA);
        seg.set(WireLayouts.LE_INT, off + RECEIVER_INDEX_OFFSET, receiverIndex);
        seg.set(WireLayouts.LE_LONG, off + COUNTER_OFFSET, counter);
    }

    /**
     * Padded plaintext length for a packet of {@code length} bytes: a multiple of 16, but never past the
     * MTU (for a packet longer than the MTU the rounding uses {@code length % mtu}); MTU 0 means plain
     * round-up. Matches the kernel's {@code calculate_skb_padding} and go's {@code calculatePaddingSize}.
     */
    public static int paddedLength(final int length, final int mtu) {
        if (mtu == 0) {
            return roundUp(length);
        }
        final int lastUnit = length > mtu ? length % mtu : length;
        int padded = roundUp(lastUnit);
        if (padded > mtu) {
            padded = mtu;
        }
        return length + (padded - lastUnit);
    }

    private static int roundUp(final int n) {
        return (n + PADDING_MULTIPLE - 1) & -PADDING_MULTIPLE;
    }
}
