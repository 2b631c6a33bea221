package io.jwg.wg.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.crypto.ChaCha20Poly1305;
import io.jwg.crypto.X25519;
import io.jwg.wg.protocol.ProtocolConstants;
import io.jwg.wg.testing.Json;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cacophony {@code Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s} vector reproduced through the same
 * {@link SymmetricState} and {@link IkPsk2} code the WireGuard handshake runs, with the vector's
 * prologue and payloads, and its transport messages through the same AEAD and key objects
 * ({@link Keypair}) the data path uses.
 */
class CacophonyIkPsk2Test {
    private static final String FILE = "noise_IKpsk2_25519_ChaChaPoly_BLAKE2s_cacophony.json";

    private static byte[] pub(final byte[] priv) {
        final byte[] p = new byte[32];
        X25519.publicKey(priv, p);
        return p;
    }

    private static byte[] dh(final byte[] priv, final byte[] pub) {
        final byte[] out = new byte[32];
        assertTrue(X25519.sharedSecret(priv, pub, out));
        return out;
    }

    @Test
    void shouldReproduceCacophonyTranscriptByteForByte() throws Exception {
        final Map<String, Object> v = Json.obj(Json.vector(FILE).get("vector"));
        assertEquals("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s", v.get("protocol_name"));
        final byte[] protocolName = ((String) v.get("protocol_name")).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertArrayEquals(ProtocolConstants.CONSTRUCTION, protocolName);
        final byte[] prologue = Json.hex(v, "init_prologue");
        assertArrayEquals(prologue, Json.hex(v, "resp_prologue"));
        final byte[] psk = HexFormat.of().parseHex((String) Json.list(v.get("init_psks")).get(0));
        final byte[] initStatic = Json.hex(v, "init_static");
        final byte[] initEphemeral = Json.hex(v, "init_ephemeral");
        final byte[] respStatic = Json.hex(v, "resp_static");
        final byte[] respEphemeral = Json.hex(v, "resp_ephemeral");
        final byte[] remoteStatic = Json.hex(v, "init_remote_static");
        assertArrayEquals(remoteStatic, pub(respStatic));
        final List<Object> messages = Json.list(v.get("messages"));

        final SymmetricState ini = new SymmetricState();
        final SymmetricState res = new SymmetricState();
        ini.initialize(protocolName, prologue);
        res.initialize(protocolName, prologue);
        IkPsk2.mixResponderStatic(ini, remoteStatic);
        IkPsk2.mixResponderStatic(res, pub(respStatic));

        // -> e, es, s, ss, payload
        final Map<String, Object> m0 = Json.obj(messages.get(0));
        final byte[] p0 = Json.hex(m0, "payload");
        final byte[] a = new byte[IkPsk2.A_PAYLOAD_OFFSET + p0.length + 16];
        assertTrue(IkPsk2.writeMessageA(ini, initEphemeral, pub(initStatic), dh(initStatic, remoteStatic),
                remoteStatic, p0, 0, p0.length, a, 0));
        assertArrayEquals(Json.hex(m0, "ciphertext"), a, "message 0");

        final byte[] e = new byte[32];
        final byte[] s = new byte[32];
        assertTrue(IkPsk2.readMessageAStatic(res, respStatic, a, 0, e, s));
        assertArrayEquals(pub(initStatic), s);
        final byte[] p0r = new byte[p0.length];
        assertTrue(IkPsk2.readMessageAPayload(res, dh(respStatic, s), a, 0, p0.length, p0r, 0));
        assertArrayEquals(p0, p0r);

        // <- e, ee, se, psk, payload
        final Map<String, Object> m1 = Json.obj(messages.get(1));
        final byte[] p1 = Json.hex(m1, "payload");
        final byte[] b = new byte[IkPsk2.B_PAYLOAD_OFFSET + p1.length + 16];
        assertTrue(IkPsk2.writeMessageB(res, respEphemeral, e, s, psk, p1, 0, p1.length, b, 0));
        assertArrayEquals(Json.hex(m1, "ciphertext"), b, "message 1");

        final byte[] re = new byte[32];
        final byte[] p1r = new byte[p1.length];
        assertTrue(IkPsk2.readMessageB(ini, initEphemeral, initStatic, psk, b, 0, p1.length, p1r, 0, re));
        assertArrayEquals(p1, p1r);
        assertArrayEquals(pub(respEphemeral), re);

        final byte[] handshakeHash = Json.hex(v, "handshake_hash");
        assertArrayEquals(handshakeHash, ini.handshakeHash());
        assertArrayEquals(handshakeHash, res.handshakeHash());

        // Split into the keypairs the data path uses: initiator sends with T1, responder with T2.
        final byte[] t1 = new byte[32];
        final byte[] t2 = new byte[32];
        ini.split(t1, t2);
        final Keypair initiator = new Keypair(null, 1, 2, true, 0, t1, t2);
        final byte[] u1 = new byte[32];
        final byte[] u2 = new byte[32];
        res.split(u1, u2);
        final Keypair responder = new Keypair(null, 2, 1, false, 0, u2, u1);

        for (int i = 2; i < messages.size(); i++) {
            final Map<String, Object> m = Json.obj(messages.get(i));
            final byte[] payload = Json.hex(m, "payload");
            final boolean fromInitiator = i % 2 == 0;
            final long nonce = (i - 2) / 2;
            final Keypair sender = fromInitiator ? initiator : responder;
            final Keypair receiver = fromInitiator ? responder : initiator;
            assertEquals(nonce, sender.nextSendCounter());
            final byte[] buf = new byte[payload.length + 16];
            System.arraycopy(payload, 0, buf, 0, payload.length);
            final MemorySegment seg = MemorySegment.ofArray(buf);
            ChaCha20Poly1305.sealInPlace(sender.sendKey(), nonce, seg, 0, payload.length);
            assertArrayEquals(Json.hex(m, "ciphertext"), buf, "transport message " + i);
            assertTrue(ChaCha20Poly1305.openInPlace(receiver.receiveKey(), nonce, seg, 0, buf.length));
            assertArrayEquals(payload, java.util.Arrays.copyOf(buf, payload.length));
            assertTrue(receiver.validateCounter(nonce));
        }
    }
}
