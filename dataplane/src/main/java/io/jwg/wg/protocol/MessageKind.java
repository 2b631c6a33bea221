package io.jwg.wg.protocol;

import java.lang.foreign.MemorySegment;

/**
 * The outcome of the length-and-type check every received datagram goes through first (kernel
 * {@code validate_header_len}): one of the four message kinds, or why it is not one.
 */
public enum MessageKind {
    /** Type 1, exactly {@link InitiationMessage#LENGTH} bytes. */
    HANDSHAKE_INITIATION,
    /** Type 2, exactly {@link ResponseMessage#LENGTH} bytes. */
    HANDSHAKE_RESPONSE,
    /** Type 3, exactly {@link CookieReplyMessage#LENGTH} bytes. */
    COOKIE_REPLY,
    /** Type 4, at least {@link TransportMessage#MIN_LENGTH} bytes. */
    TRANSPORT_DATA,
    /** The type word is not 1..4 (this includes non-zero reserved bytes). */
    INVALID_TYPE,
    /** Shorter than a type word, or the wrong length for its type. */
    INVALID_LENGTH;

    /**
     * Classifies {@code length} bytes at {@code off}. Never throws for any content or length that fits
     * the segment.
     */
    public static MessageKind classify(final MemorySegment seg, final long off, final int length) {
        if (length < MessageHeader.LENGTH) {
            return INVALID_LENGTH;
        }
        return switch (MessageHeader.type(seg, off)) {
            case ProtocolConstants.MESSAGE_HANDSHAKE_INITIATION ->
                    length == InitiationMessage.LENGTH ? HANDSHAKE_INITIATION : INVALID_LENGTH;
            case ProtocolConstants.MESSAGE_HANDSHAKE_RESPONSE ->
                    length == ResponseMessage.LENGTH ? HANDSHAKE_RESPONSE : INVALID_LENGTH;
            case ProtocolConstants.MESSAGE_HANDSHAKE_COOKIE ->
                    length == CookieReplyMessage.LENGTH ? COOKIE_REPLY : INVALID_LENGTH;
            case ProtocolConstants.MESSAGE_DATA ->
                    length >= TransportMessage.MIN_LENGTH ? TRANSPORT_DATA : INVALID_LENGTH;
            default -> INVALID_TYPE;
        };
    }
}
