package io.jwg.wg.protocol;

import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_MAC_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_AUTH_TAG_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_PUBLIC_KEY_LENGTH;

import java.lang.foreign.MemorySegment;

/**
 * Handshake response (type 2), exactly 92 bytes [whitepaper 5.4.3].
 *
 * <pre>
 *  offset  field
 *       0  type = 2 (LE u32, reserved bytes zero)
 *       4  sender_index (LE u32)
 *       8  receiver_index (LE u32) = the initiation's sender_index
 *      12  unencrypted_ephemeral (32)
 *      44  encrypted_nothing (0 + 16 tag)
 *      60  mac1 (16)
 *      76  mac2 (16)
 *      92
 * </pre>
 */
public final class ResponseMessage {
    private ResponseMessage() {
    }

    /** Sender index offset. */
    public static final int SENDER_INDEX_OFFSET = MessageHeader.LENGTH;
    /** Receiver index offset. */
    public static final int RECEIVER_INDEX_OFFSET = SENDER_INDEX_OFFSET + Integer.BYTES;
    /** Unencrypted ephemeral public key offset. */
    public static final int EPHEMERAL_OFFSET = RECEIVER_INDEX_OFFSET + Integer.BYTES;
    /** Encrypted empty payload offset. */
    public static final int ENCRYPTED_NOTHING_OFFSET = EPHEMERAL_OFFSET + NOISE_PUBLIC_KEY_LENGTH;
    /** Encrypted empty payload length (tag only). */
    public static final int ENCRYPTED_NOTHING_LENGTH = NOISE_AUTH_TAG_LENGTH;
    /** mac1 offset: mac1 covers every byte before it. */
    public static final int MAC1_OFFSET = ENCRYPTED_NOTHING_OFFSET + ENCRYPTED_NOTHING_LENGTH;
    /** mac2 offset: mac2 covers every byte before it, mac1 included. */
    public static final int MAC2_OFFSET = MAC1_OFFSET + COOKIE_MAC_LENGTH;
    /** Exact message length: 92. */
    public static final int LENGTH = MAC2_OFFSET + COOKIE_MAC_LENGTH;

    /** The sender index. */
    public static int senderIndex(final MemorySegment seg, final long off) {
        return seg.get(WireLayouts.LE_INT, off + SENDER_INDEX_OFFSET);
    }

    /** Writes the sender index. */
    public static void putSenderIndex(final MemorySegment seg, final long off, final int index) {
        seg.set(WireLayouts.LE_INT, off + SENDER_INDEX_OFFSET, index);
    }

    /** The receiver index. */
    public static int receiverIndex(final MemorySegment seg, final long off) {
        return seg.get(WireLayouts.LE_INT, off + RECEIVER_INDEX_OFFSET);
    }

    /** Writes the receiver index. */
    public static void putReceiverIndex(final MemorySegment seg, final long off, final int index) {
        seg.set(WireLayouts.LE_INT, off + RECEIVER_INDEX_OFFSET, index);
    }
}
