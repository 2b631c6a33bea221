package io.jwg.wg.protocol;

import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_NONCE_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_AUTH_TAG_LENGTH;

import java.lang.foreign.MemorySegment;

/**
 * Cookie reply (type 3), exactly 64 bytes [whitepaper 5.4.7].
 *
 * <pre>
 *  offset  field
 *       0  type = 3 (LE u32, reserved bytes zero)
 *       4  receiver_index (LE u32) = sender_index of the message being answered
 *       8  nonce (24, random)
 *      32  encrypted_cookie (16 + 16 tag), XAEAD(HASH(LABEL_COOKIE || S_pub), nonce, cookie, mac1)
 *      64
 * </pre>
 */
public final class CookieReplyMessage {
    private CookieReplyMessage() {
    }

    /** Receiver index offset. */
    public static final int RECEIVER_INDEX_OFFSET = MessageHeader.LENGTH;
    /** Nonce offset. */
    public static final int NONCE_OFFSET = RECEIVER_INDEX_OFFSET + Integer.BYTES;
    /** Encrypted cookie offset. */
    public static final int ENCRYPTED_COOKIE_OFFSET = NONCE_OFFSET + COOKIE_NONCE_LENGTH;
    /** Encrypted cookie length (cookie + tag). */
    public static final int ENCRYPTED_COOKIE_LENGTH = COOKIE_LENGTH + NOISE_AUTH_TAG_LENGTH;
    /** Exact message length: 64. */
    public static final int LENGTH = ENCRYPTED_COOKIE_OFFSET + ENCRYPTED_COOKIE_LENGTH;

    /** The receiver index. */
    public static int receiverIndex(final MemorySegment seg, final long off) {
        return seg.get(WireLayouts.LE_INT, off + RECEIVER_INDEX_OFFSET);
    }

    /** Writes the receiver index. */
    public static void putReceiverIndex(final MemorySegment seg, final long off, final int index) {
        seg.set(WireLayouts.LE_INT, off + RECEIVER_INDEX_OFFSET, index);
    }
}
