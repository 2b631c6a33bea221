package io.jwg.wg.core;

import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_DATA;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_HANDSHAKE_INITIATION;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_HANDSHAKE_RESPONSE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.crypto.Tai64n;
import io.jwg.crypto.X25519;
import io.jwg.wg.noise.IkPsk2;
import io.jwg.wg.noise.SymmetricState;
import io.jwg.wg.protocol.ProtocolConstants;
import io.jwg.wg.noise.HandshakeState;
import io.jwg.wg.protocol.InitiationMessage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Injected randomness and clocks make a whole exchange reproducible byte for byte. */
class HandshakeDeterminismTest {
    private static TestNet run(final long seed) {
        final TestNet net = new TestNet(seed);
        net.a.sendTo(net.b, 120);
        net.pump();
        net.b.sendTo(net.a, 300);
        net.pump();
        return net;
    }

    @Test
    void shouldReproduceTheSameBytesFromTheSameSeedsAndClock() {
        final TestNet x = run(90);
        final TestNet y = run(90);
        assertEquals(x.a.sent.size(), y.a.sent.size());
        for (int i = 0; i < x.a.sent.size(); i++) {
            assertArrayEquals(x.a.sent.get(i).bytes(), y.a.sent.get(i).bytes(), "A datagram " + i);
        }
        for (int i = 0; i < x.b.sent.size(); i++) {
            assertArrayEquals(x.b.sent.get(i).bytes(), y.b.sent.get(i).bytes(), "B datagram " + i);
        }
        final TestNet z = run(91);
        assertFalse(Arrays.equals(x.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION).get(0).bytes(),
                z.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION).get(0).bytes()));
        assertEquals(1, x.b.countSent(MESSAGE_HANDSHAKE_RESPONSE));
        assertTrue(x.a.countSent(MESSAGE_DATA) >= 1);
    }

    @Test
    void shouldWipeHandshakeSecretsOnceTheSessionExists() {
        final TestNet net = run(92);
        assertEquals(HandshakeState.ZEROED, net.a.peer.handshake().state());
        assertEquals(HandshakeState.ZEROED, net.b.peer.handshake().state());
        assertEquals(2, net.a.dev.indexTable().size() + net.b.dev.indexTable().size(), "only the two keypairs are indexed");
    }

    @Test
    void shouldStampInitiationWithTai64nOfTheWallClock() {
        final TestNet net = new TestNet(93);
        net.drop = d -> true;
        net.clock.advance(123_456_789L);
        net.a.sendTo(net.b, 100);
        final byte[] expected = new byte[12];
        Tai64n.encode(net.clock.epochNanos(), expected, 0);
        final byte[] init = net.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION).get(0).bytes();
        // Decrypt it as the responder would, with the same Noise code.
        final SymmetricState st = new SymmetricState();
        st.initialize(ProtocolConstants.CONSTRUCTION, ProtocolConstants.IDENTIFIER);
        IkPsk2.mixResponderStatic(st, net.b.publicKey);
        final byte[] e = new byte[32];
        final byte[] s = new byte[32];
        assertTrue(IkPsk2.readMessageAStatic(st, net.b.privateKey, init, InitiationMessage.EPHEMERAL_OFFSET, e, s));
        assertArrayEquals(net.a.publicKey, s);
        final byte[] ss = new byte[32];
        assertTrue(X25519.sharedSecret(net.b.privateKey, s, ss));
        final byte[] t = new byte[12];
        assertTrue(IkPsk2.readMessageAPayload(st, ss, init, InitiationMessage.EPHEMERAL_OFFSET, 12, t, 0));
        assertArrayEquals(expected, t);
        assertEquals(0, Tai64n.nanos(t, 0) & Tai64n.NANOS_WHITENER_MASK, "nanoseconds whitened to 2^24");
    }
}
