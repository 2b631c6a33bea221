package io.jwg.wg.protocol;

import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_MAC_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_AUTH_TAG_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_PUBLIC_KEY_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_TIMESTAMP_LENGTH;

import java.lang.foreign.MemorySegment;

/**
 * Handshake initiation (type 1), exactly 148 bytes [whitepaper 5.4.2].
 *
 * <pre>
 *  offset  field
 *       0  type = 1 (LE u32, reserved bytes zero)
 *       4  sender_index (LE u32)
 *       8  unencrypted_ephemeral (32)
 *      40  encrypted_static (32 + 16 tag)
 *      88  encrypted_timestamp (12 + 16 tag)
 *     116  mac1 (16)
 *     132  mac2 (16)
 *     148
 * </pre>
 */
public final class InitiationMessage {
    private InitiationMessage() {
    }

    /** Sender index offset. */
    public static final int SENDER_INDEX_OFFSET = MessageHeader.LENGTH;
    /** Unencrypted ephemeral public key offset. */
    public static final int EPHEMERAL_OFFSET = SENDER_INDEX_OFFSET + Integer.BYTES;
    /** Encrypted static public key offset. */
    public static final int ENCRYPTED_STATIC_OFFSET = EPHEMERAL_OFFSET + NOISE_PUBLIC_KEY_LENGTH;
    /** Encrypted static public key length (key + tag). */
    public static final int ENCRYPTED_STATIC_LENGTH = NOISE_PUBLIC_KEY_LENGTH + NOISE_AUTH_TAG_LENGTH;
    /** Encrypted timestamp offset. */
    public static final int ENCRYPTED_TIMESTAMP_OFFSET = ENCRYPTED_STATIC_OFFSET + ENCRYPTED_STATIC_LENGTH;
    /** Encrypted timestamp length (TAI64N + tag). */
    public static final int ENCRYPTED_TIMESTAMP_LENGTH = NOISE_TIMESTAMP_LENGTH + NOISE_AUTH_TAG_LENGTH;
    /** mac1 offset: mac1 covers every byte before it. */
    public static final int MAC1_OFFSET = ENCRYPTED_TIMESTAMP_OFFSET + ENCRYPTED_TIMESTAMP_LENGTH;
    /** mac2 offset: mac2 covers every byte before it, mac1 included. */
    public static final int MAC2_OFFSET = MAC1_OFFSET + COOKIE_MAC_LENGTH;
    /** Exact message length: 148. */
    public static final int LENGTH = MAC2_OFFSET + COOKIE_MAC_LENGTH;

    /** The sender index. */
    public static int senderIndex(final MemorySegment seg, final long off) {
        return seg.get(WireLayouts.LE_INT, off + SENDER_INDEX_OFFSET);
    }

    /** Writes the sender index. */
    public static void putSenderIndex(final MemorySegment seg, final long off, final int index) {
        seg.set(WireLayouts.LE_INT, off + SENDER_INDEX_OFFSET, index);
    }
}
