package io.jwg.wg.noise;

import static io.jwg.wg.protocol.ProtocolConstants.NOISE_HASH_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_PUBLIC_KEY_LENGTH;

import io.jwg.crypto.Blake2s;
import io.jwg.wg.protocol.ProtocolConstants;

/**
 * Values derived once from constants or from a static public key (whitepaper 5.4, 5.4.4, 5.4.7):
 * C0 = HASH(CONSTRUCTION), H0 = HASH(C0 || IDENTIFIER), the per-responder initial hash
 * HASH(H0 || S_r.pub), and the mac1 and cookie keys of a static key. Thread-safe (stateless).
 */
public final class HandshakeKeys {
    private HandshakeKeys() {
    }

    private static final byte[] C0 = new byte[NOISE_HASH_LENGTH];
    private static final byte[] H0 = new byte[NOISE_HASH_LENGTH];

    static {
        final Blake2s b = new Blake2s(NOISE_HASH_LENGTH);
        b.update(ProtocolConstants.CONSTRUCTION, 0, ProtocolConstants.CONSTRUCTION.length).doFinal(C0, 0);
        b.reset().update(C0, 0, NOISE_HASH_LENGTH)
                .update(ProtocolConstants.IDENTIFIER, 0, ProtocolConstants.IDENTIFIER.length).doFinal(H0, 0);
    }

    /** C0 = HASH(CONSTRUCTION) (a copy). */
    public static byte[] initialChainingKey() {
        return C0.clone();
    }

    /** H0 = HASH(C0 || IDENTIFIER) (a copy). */
    public static byte[] initialHash() {
        return H0.clone();
    }

    /** Copies C0 into {@code out}. */
    static void copyInitialChainingKey(final byte[] out) {
        System.arraycopy(C0, 0, out, 0, NOISE_HASH_LENGTH);
    }

    /** HASH(H0 || responderStaticPub): the hash both sides start from before message A. */
    public static byte[] responderInitialHash(final byte[] responderStaticPub) {
        final byte[] out = new byte[NOISE_HASH_LENGTH];
        new Blake2s(NOISE_HASH_LENGTH).update(H0, 0, NOISE_HASH_LENGTH)
                .update(responderStaticPub, 0, NOISE_PUBLIC_KEY_LENGTH).doFinal(out, 0);
        return out;
    }

    /** HASH(LABEL_MAC1 || pub): the key of mac1 on messages sent to the owner of {@code pub}. */
    public static byte[] mac1Key(final byte[] pub) {
        return labelHash(ProtocolConstants.LABEL_MAC1, pub);
    }

    /** HASH(LABEL_COOKIE || pub): the key of cookie replies sent by the owner of {@code pub}. */
    public static byte[] cookieKey(final byte[] pub) {
        return labelHash(ProtocolConstants.LABEL_COOKIE, pub);
    }

    private static byte[] labelHash(final byte[] label, final byte[] pub) {
        final byte[] out = new byte[NOISE_HASH_LENGTH];
        new Blake2s(NOISE_HASH_LENGTH).update(label, 0, label.length).update(pub, 0, NOISE_PUBLIC_KEY_LENGTH)
                .doFinal(out, 0);
        return out;
    }
}
