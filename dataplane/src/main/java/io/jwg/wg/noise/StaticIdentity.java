package io.jwg.wg.noise;

import static io.jwg.wg.protocol.ProtocolConstants.NOISE_PUBLIC_KEY_LENGTH;

import io.jwg.crypto.ConstantTime;
import io.jwg.crypto.X25519;

/**
 * The device's static key pair and the values derived from it: the initial hash a responder starts
 * from, and the keys for checking mac1 on incoming handshakes and for encrypting cookie replies.
 * Immutable after construction (replaced as a whole when the private key changes, so readers on
 * any thread see a consistent snapshot), except for {@link #wipe} when it is retired.
 */
public final class StaticIdentity {
    private final byte[] privateKey;
    private final byte[] publicKey;
    private final byte[] responderInitialHash;
    private final byte[] mac1Key;
    private final byte[] cookieKey;

    private StaticIdentity(final byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = new byte[NOISE_PUBLIC_KEY_LENGTH];
        X25519.publicKey(privateKey, publicKey);
        this.responderInitialHash = HandshakeKeys.responderInitialHash(publicKey);
        this.mac1Key = HandshakeKeys.mac1Key(publicKey);
        this.cookieKey = HandshakeKeys.cookieKey(publicKey);
    }

    /** An identity from a 32-byte private key (copied and clamped). */
    public static StaticIdentity of(final byte[] privateKey) {
        if (privateKey.length != NOISE_PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("private key must be 32 bytes");
        }
        final byte[] k = privateKey.clone();
        X25519.clamp(k);
        return new StaticIdentity(k);
    }

    /** The clamped private key (a copy). */
    public byte[] privateKey() {
        return privateKey.clone();
    }

    /** The public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Whether {@code key} equals our public key. */
    public boolean isOwnPublicKey(final byte[] key) {
        return ConstantTime.equals(publicKey, 0, key, 0, NOISE_PUBLIC_KEY_LENGTH);
    }

    /**
     * DH(S_own.priv, peerPub) into {@code out}: the precomputed static-static secret.
     *
     * @return false (and {@code out} zeroed) if the result is all zeros (low-order peer key)
     */
    public boolean staticStatic(final byte[] peerPub, final byte[] out) {
        if (!X25519.sharedSecret(privateKey, peerPub, out)) {
            ConstantTime.zero(out);
            return false;
        }
        return true;
    }

    byte[] privateKeyRef() {
        return privateKey;
    }

    byte[] publicKeyRef() {
        return publicKey;
    }

    byte[] responderInitialHashRef() {
        return responderInitialHash;
    }

    /** HASH(LABEL_MAC1 || S_own.pub) (not a secret; a reference, do not modify). */
    public byte[] mac1Key() {
        return mac1Key;
    }

    /** HASH(LABEL_COOKIE || S_own.pub) (not a secret; a reference, do not modify). */
    public byte[] cookieKey() {
        return cookieKey;
    }

    /** Zeroes the private key (when the identity is replaced). */
    public void wipe() {
        ConstantTime.zero(privateKey);
    }
}
