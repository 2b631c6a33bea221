package io.jwg.wg.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class MessageDescriptorsTest {
    @Test
    void shouldHaveTheWireSizesAndOffsetsOfTheSpec() {
        assertEquals(148, InitiationMessage.LENGTH);
        assertEquals(8, InitiationMessage.EPHEMERAL_OFFSET);
        assertEquals(40, InitiationMessage.ENCRYPTED_STATIC_OFFSET);
        assertEquals(88, InitiationMessage.ENCRYPTED_TIMESTAMP_OFFSET);
        assertEquals(116, InitiationMessage.MAC1_OFFSET);
        assertEquals(132, InitiationMessage.MAC2_OFFSET);
        assertEquals(92, ResponseMessage.LENGTH);
        assertEquals(12, ResponseMessage.EPHEMERAL_OFFSET);
        assertEquals(44, ResponseMessage.ENCRYPTED_NOTHING_OFFSET);
        assertEquals(60, ResponseMessage.MAC1_OFFSET);
        assertEquals(64, CookieReplyMessage.LENGTH);
        assertEquals(32, CookieReplyMessage.ENCRYPTED_COOKIE_OFFSET);
        assertEquals(16, TransportMessage.HEADER_LENGTH);
        assertEquals(32, TransportMessage.MIN_LENGTH);
        assertEquals(37, ProtocolConstants.CONSTRUCTION.length);
        assertEquals(34, ProtocolConstants.IDENTIFIER.length);
        assertEquals(8128, ProtocolConstants.COUNTER_WINDOW_SIZE);
        assertEquals(18, ProtocolConstants.MAX_TIMER_HANDSHAKES);
        assertEquals("18446744073709543486", Long.toUnsignedString(ProtocolConstants.REJECT_AFTER_MESSAGES));
    }

    @Test
    void shouldPadToSixteenButNeverPastTheMtu() {
        assertEquals(0, TransportMessage.paddedLength(0, 1420));
        assertEquals(16, TransportMessage.paddedLength(1, 1420));
        assertEquals(16, TransportMessage.paddedLength(16, 1420));
        assertEquals(1408, TransportMessage.paddedLength(1401, 1420));
        assertEquals(1420, TransportMessage.paddedLength(1409, 1420), "capped at the MTU");
        assertEquals(1420, TransportMessage.paddedLength(1420, 1420));
        assertEquals(1421 + 15, TransportMessage.paddedLength(1421, 1420), "beyond the MTU: round len % mtu");
        assertEquals(1424, TransportMessage.paddedLength(1421, 0), "MTU 0: plain round-up");
        assertEquals(1500, TransportMessage.paddedLength(1499, 1500));
        assertEquals(1501, TransportMessage.paddedLength(1501, 1501));
    }

    @Test
    void shouldClassifyByTypeWordAndExactLength() {
        final MemorySegment m = MemorySegment.ofArray(new byte[200]);
        MessageHeader.putType(m, 0, 1);
        assertEquals(MessageKind.HANDSHAKE_INITIATION, MessageKind.classify(m, 0, 148));
        assertEquals(MessageKind.INVALID_LENGTH, MessageKind.classify(m, 0, 147));
        MessageHeader.putType(m, 0, 2);
        assertEquals(MessageKind.HANDSHAKE_RESPONSE, MessageKind.classify(m, 0, 92));
        MessageHeader.putType(m, 0, 3);
        assertEquals(MessageKind.COOKIE_REPLY, MessageKind.classify(m, 0, 64));
        MessageHeader.putType(m, 0, 4);
        assertEquals(MessageKind.TRANSPORT_DATA, MessageKind.classify(m, 0, 32));
        assertEquals(MessageKind.TRANSPORT_DATA, MessageKind.classify(m, 0, 200));
        assertEquals(MessageKind.INVALID_LENGTH, MessageKind.classify(m, 0, 31));
        MessageHeader.putType(m, 0, 4 | (1 << 8));
        assertEquals(MessageKind.INVALID_TYPE, MessageKind.classify(m, 0, 32), "non-zero reserved byte");
        assertEquals(MessageKind.INVALID_LENGTH, MessageKind.classify(m, 0, 3));
    }
}
