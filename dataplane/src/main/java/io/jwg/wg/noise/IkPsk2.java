package io.jwg.wg.noise;

import static io.jwg.wg.protocol.ProtocolConstants.NOISE_AUTH_TAG_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_PUBLIC_KEY_LENGTH;

import io.jwg.crypto.X25519;

/**
 * The two message patterns of {@code Noise_IKpsk2} (whitepaper 5.4.2-5.4.3), independent of
 * WireGuard's framing so that the same code runs both the WireGuard handshake and the generic Noise
 * test vectors (other prologue, arbitrary payloads):
 *
 * <pre>
 *   &lt;- s
 *   ...
 *   -&gt; e, es, s, ss     (+ payload: WireGuard's TAI64N timestamp)
 *   &lt;- e, ee, se, psk  (+ payload: empty in WireGuard)
 * </pre>
 *
 * A message body is laid out as Noise does and WireGuard places it contiguously in its messages:
 * message A = {@code e.pub (32) || enc(s.pub) (48) || enc(payload) (len + 16)}, message B =
 * {@code e.pub (32) || enc(payload) (len + 16)}. Stateless; all state is in the {@link
 * SymmetricState} passed in. Every method returns false on a refused DH (all-zero result) or a tag
 * that does not verify.
 */
public final class IkPsk2 {
    private IkPsk2() {
    }

    /** Offset of the encrypted static key in message A. */
    public static final int A_STATIC_OFFSET = NOISE_PUBLIC_KEY_LENGTH;
    /** Offset of the encrypted payload in message A. */
    public static final int A_PAYLOAD_OFFSET = A_STATIC_OFFSET + NOISE_PUBLIC_KEY_LENGTH + NOISE_AUTH_TAG_LENGTH;
    /** Offset of the encrypted payload in message B. */
    public static final int B_PAYLOAD_OFFSET = NOISE_PUBLIC_KEY_LENGTH;

    /**
     * Pre-message pattern {@code <- s}: both sides start with {@code h = HASH(h || S_r.pub)} after
     * {@link SymmetricState#initialize}.
     */
    public static void mixResponderStatic(final SymmetricState st, final byte[] responderStaticPub) {
        st.mixHash(responderStaticPub, 0, NOISE_PUBLIC_KEY_LENGTH);
    }

    /**
     * Initiator writes message A into {@code out[off..)}.
     *
     * @param ePriv         fresh ephemeral private key (clamped)
     * @param sPub          initiator's static public key
     * @param precomputedSs {@code DH(S_i.priv, S_r.pub)}
     * @param rs            responder's static public key
     */
    public static boolean writeMessageA(final SymmetricState st, final byte[] ePriv, final byte[] sPub,
                                        final byte[] precomputedSs, final byte[] rs,
                                        final byte[] payload, final int payloadOff, final int payloadLen,
                                        final byte[] out, final int off) {
        // e: msg.ephemeral = E_i.pub; C = KDF1(C, E_i.pub); H = HASH(H || E_i.pub)
        X25519.publicKey(ePriv, st.scratchPub());
        System.arraycopy(st.scratchPub(), 0, out, off, NOISE_PUBLIC_KEY_LENGTH);
        st.mixHash(out, off, NOISE_PUBLIC_KEY_LENGTH);
        st.mixKey1(out, off, NOISE_PUBLIC_KEY_LENGTH);
        // es: (C, k) = KDF2(C, DH(E_i.priv, S_r.pub))
        if (!st.mixDh(ePriv, rs, 0, true)) {
            return false;
        }
        // s: msg.static = AEAD(k, 0, S_i.pub, H); H = HASH(H || msg.static)
        st.encryptAndHash(sPub, 0, NOISE_PUBLIC_KEY_LENGTH, out, off + A_STATIC_OFFSET);
        // ss: (C, k) = KDF2(C, DH(S_i.priv, S_r.pub)), precomputed per peer
        if (!st.mixPrecomputedDh(precomputedSs)) {
            return false;
        }
        // {t}: msg.timestamp = AEAD(k, 0, payload, H); H = HASH(H || msg.timestamp)
        st.encryptAndHash(payload, payloadOff, payloadLen, out, off + A_PAYLOAD_OFFSET);
        return true;
    }

    /**
     * Responder reads the first half of message A, up to and including {@code s}: afterwards the
     * initiator's static key (in {@code sOut}) says which peer this is.
     *
     * @param sPriv responder's static private key
     * @param eOut  receives the initiator's ephemeral public key
     * @param sOut  receives the initiator's static public key
     */
    public static boolean readMessageAStatic(final SymmetricState st, final byte[] sPriv, final byte[] msg,
                                             final int off, final byte[] eOut, final byte[] sOut) {
        // e: C = KDF1(C, E_i.pub); H = HASH(H || E_i.pub)
        System.arraycopy(msg, off, eOut, 0, NOISE_PUBLIC_KEY_LENGTH);
        st.mixHash(eOut, 0, NOISE_PUBLIC_KEY_LENGTH);
        st.mixKey1(eOut, 0, NOISE_PUBLIC_KEY_LENGTH);
        // es: (C, k) = KDF2(C, DH(S_r.priv, E_i.pub))
        if (!st.mixDh(sPriv, eOut, 0, true)) {
            return false;
        }
        // s: S_i.pub = AEAD-open(k, 0, msg.static, H); H = HASH(H || msg.static)
        return st.decryptAndHash(msg, off + A_STATIC_OFFSET, NOISE_PUBLIC_KEY_LENGTH + NOISE_AUTH_TAG_LENGTH, sOut, 0);
    }

    /**
     * Responder reads the rest of message A: {@code ss} and the payload ({@code payloadLen} bytes of
     * plaintext into {@code payloadOut}).
     */
    public static boolean readMessageAPayload(final SymmetricState st, final byte[] precomputedSs,
                                              final byte[] msg, final int off, final int payloadLen,
                                              final byte[] payloadOut, final int payloadOutOff) {
        // ss: (C, k) = KDF2(C, DH(S_r.priv, S_i.pub)), precomputed per peer
        if (!st.mixPrecomputedDh(precomputedSs)) {
            return false;
        }
        // {t}: payload = AEAD-open(k, 0, msg.timestamp, H); H = HASH(H || msg.timestamp)
        return st.decryptAndHash(msg, off + A_PAYLOAD_OFFSET, payloadLen + NOISE_AUTH_TAG_LENGTH, payloadOut,
                payloadOutOff);
    }

    /**
     * Responder writes message B into {@code out[off..)}.
     *
     * @param ePriv fresh ephemeral private key (clamped)
     * @param re    initiator's ephemeral public key
     * @param rs    initiator's static public key
     * @param psk   pre-shared key (32 zero bytes when none)
     */
    public static boolean writeMessageB(final SymmetricState st, final byte[] ePriv, final byte[] re,
                                        final byte[] rs, final byte[] psk,
                                        final byte[] payload, final int payloadOff, final int payloadLen,
                                        final byte[] out, final int off) {
        // e: msg.ephemeral = E_r.pub; C = KDF1(C, E_r.pub); H = HASH(H || E_r.pub)
        X25519.publicKey(ePriv, st.scratchPub());
        System.arraycopy(st.scratchPub(), 0, out, off, NOISE_PUBLIC_KEY_LENGTH);
        st.mixHash(out, off, NOISE_PUBLIC_KEY_LENGTH);
        st.mixKey1(out, off, NOISE_PUBLIC_KEY_LENGTH);
        // ee: C = KDF1(C, DH(E_r.priv, E_i.pub))
        if (!st.mixDh(ePriv, re, 0, false)) {
            return false;
        }
        // se: C = KDF1(C, DH(E_r.priv, S_i.pub))
        if (!st.mixDh(ePriv, rs, 0, false)) {
            return false;
        }
        // psk: (C, tau, k) = KDF3(C, Q); H = HASH(H || tau)
        st.mixKeyAndHash(psk);
        // {}: msg.empty = AEAD(k, 0, payload, H); H = HASH(H || msg.empty)
        st.encryptAndHash(payload, payloadOff, payloadLen, out, off + B_PAYLOAD_OFFSET);
        return true;
    }

    /**
     * Initiator reads message B.
     *
     * @param ePriv initiator's ephemeral private key (from message A)
     * @param sPriv initiator's static private key
     * @param psk   pre-shared key (32 zero bytes when none)
     * @param reOut receives the responder's ephemeral public key
     */
    public static boolean readMessageB(final SymmetricState st, final byte[] ePriv, final byte[] sPriv,
                                       final byte[] psk, final byte[] msg, final int off, final int payloadLen,
                                       final byte[] payloadOut, final int payloadOutOff, final byte[] reOut) {
        // e: C = KDF1(C, E_r.pub); H = HASH(H || E_r.pub)
        System.arraycopy(msg, off, reOut, 0, NOISE_PUBLIC_KEY_LENGTH);
        st.mixHash(reOut, 0, NOISE_PUBLIC_KEY_LENGTH);
        st.mixKey1(reOut, 0, NOISE_PUBLIC_KEY_LENGTH);
        // ee: C = KDF1(C, DH(E_i.priv, E_r.pub))
        if (!st.mixDh(ePriv, reOut, 0, false)) {
            return false;
        }
        // se: C = KDF1(C, DH(S_i.priv, E_r.pub))
        if (!st.mixDh(sPriv, reOut, 0, false)) {
            return false;
        }
        // psk: (C, tau, k) = KDF3(C, Q); H = HASH(H || tau)
        st.mixKeyAndHash(psk);
        // {}: payload = AEAD-open(k, 0, msg.empty, H); H = HASH(H || msg.empty)
        return st.decryptAndHash(msg, off + B_PAYLOAD_OFFSET, payloadLen + NOISE_AUTH_TAG_LENGTH, payloadOut,
                payloadOutOff);
    }
}
