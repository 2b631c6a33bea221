package io.jwg.wg.noise;

import static io.jwg.wg.protocol.ProtocolConstants.NOISE_AUTH_TAG_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_HASH_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_PUBLIC_KEY_LENGTH;

import io.jwg.crypto.Blake2s;
import io.jwg.crypto.ChaCha20Poly1305;
import io.jwg.crypto.ConstantTime;
import io.jwg.crypto.Kdf;
import io.jwg.crypto.X25519;

/**
 * Noise's SymmetricState for {@code 25519_ChaChaPoly_BLAKE2s} (Noise spec section 5.2) as
 * WireGuard uses it: chaining key {@code ck}, hash {@code h} and the current cipher key {@code k},
 * always used with nonce 0 because IKpsk2 derives a fresh key before every encryption. Owner
 * thread only (a handshake worker's scratch); allocation-free after construction apart from the
 * AEAD's byte[] wrappers. {@link #zero} wipes all secrets.
 *
 * <p>Names follow the Noise spec; the WireGuard whitepaper's formulas are given beside each.
 */
public final class SymmetricState {
    private static final byte[] EMPTY = new byte[0];

    private final Kdf kdf = new Kdf();
    private final Blake2s blake = new Blake2s(NOISE_HASH_LENGTH);
    final byte[] ck = new byte[NOISE_HASH_LENGTH];
    final byte[] h = new byte[NOISE_HASH_LENGTH];
    private final byte[] k = new byte[NOISE_HASH_LENGTH];
    private final byte[] tau = new byte[NOISE_HASH_LENGTH];
    private final byte[] dh = new byte[NOISE_PUBLIC_KEY_LENGTH];
    private final byte[] pub = new byte[NOISE_PUBLIC_KEY_LENGTH];

    /** Loads {@code ck} and {@code h}, e.g. from a handshake in progress or precomputed initial values. */
    public void load(final byte[] chainingKey, final byte[] hash) {
        System.arraycopy(chainingKey, 0, ck, 0, NOISE_HASH_LENGTH);
        System.arraycopy(hash, 0, h, 0, NOISE_HASH_LENGTH);
    }

    /** Stores {@code ck} and {@code h} into the given arrays. */
    public void store(final byte[] chainingKey, final byte[] hash) {
        System.arraycopy(ck, 0, chainingKey, 0, NOISE_HASH_LENGTH);
        System.arraycopy(h, 0, hash, 0, NOISE_HASH_LENGTH);
    }

    /**
     * InitializeSymmetric(protocol_name) then MixHash(prologue): {@code ck = h = HASH(name)} (the name
     * is longer than 32 bytes), then {@code h = HASH(h || prologue)}. With WireGuard's CONSTRUCTION and
     * IDENTIFIER this gives C0 and H0.
     */
    public void initialize(final byte[] protocolName, final byte[] prologue) {
        blake.reset().update(protocolName, 0, protocolName.length).doFinal(ck, 0);
        System.arraycopy(ck, 0, h, 0, NOISE_HASH_LENGTH);
        mixHash(prologue, 0, prologue.length);
    }

    /** The current hash {@code h} (the handshake hash after the last message); a copy. */
    public byte[] handshakeHash() {
        return h.clone();
    }

    /** MixHash: {@code h = HASH(h || data)}. */
    public void mixHash(final byte[] data, final int off, final int len) {
        blake.reset().update(h, 0, NOISE_HASH_LENGTH).update(data, off, len).doFinal(h, 0);
    }

    /** MixKey without using the cipher key: {@code C = KDF1(C, input)} (tokens {@code e}, {@code ee}, {@code se}). */
    public void mixKey1(final byte[] input, final int off, final int len) {
        kdf.kdf1(ck, input, off, len, ck);
    }

    /** MixKey: {@code (C, k) = KDF2(C, input)} (tokens {@code es}, {@code ss}). */
    public void mixKey2(final byte[] input, final int off, final int len) {
        kdf.kdf2(ck, input, off, len, ck, k);
    }

    /**
     * MixKey with a Diffie-Hellman result, {@code DH(priv, pub)}; refuses an all-zero result (a
     * low-order point), as the kernel and wireguard-go do.
     *
     * @param withCipherKey true for KDF2 (es, ss: a key follows), false for KDF1 (ee, se)
     * @return false if the DH result is all zeros (the state is then unusable)
     */
    public boolean mixDh(final byte[] priv, final byte[] pub, final int pubOff, final boolean withCipherKey) {
        final byte[] peerPub;
        if (pubOff == 0 && pub.length == NOISE_PUBLIC_KEY_LENGTH) {
            peerPub = pub;
        } else {
            peerPub = tau;
            System.arraycopy(pub, pubOff, tau, 0, NOISE_PUBLIC_KEY_LENGTH);
        }
        final boolean ok = X25519.sharedSecret(priv, peerPub, dh);
        if (ok) {
            if (withCipherKey) {
                mixKey2(dh, 0, NOISE_PUBLIC_KEY_LENGTH);
            } else {
                mixKey1(dh, 0, NOISE_PUBLIC_KEY_LENGTH);
            }
        }
        ConstantTime.zero(dh);
        ConstantTime.zero(tau);
        return ok;
    }

    /**
     * MixKey with a precomputed static-static DH ({@code ss}); refuses an all-zero value.
     *
     * @return false if {@code precomputed} is all zeros
     */
    public boolean mixPrecomputedDh(final byte[] precomputed) {
        if (ConstantTime.isZero(precomputed, 0, NOISE_PUBLIC_KEY_LENGTH)) {
            return false;
        }
        mixKey2(precomputed, 0, NOISE_PUBLIC_KEY_LENGTH);
        return true;
    }

    /** MixKeyAndHash (token {@code psk}): {@code (C, tau, k) = KDF3(C, psk); h = HASH(h || tau)}. */
    public void mixKeyAndHash(final byte[] psk) {
        kdf.kdf3(ck, psk, 0, NOISE_HASH_LENGTH, ck, tau, k);
        mixHash(tau, 0, NOISE_HASH_LENGTH);
        ConstantTime.zero(tau);
    }

    /**
     * EncryptAndHash: {@code dst = AEAD(k, 0, src, h); h = HASH(h || dst)}; writes {@code len + 16}
     * bytes. {@code src} and {@code dst} ranges must be identical or disjoint.
     */
    public void encryptAndHash(final byte[] src, final int srcOff, final int len, final byte[] dst,
                               final int dstOff) {
        ChaCha20Poly1305.seal(k, 0, h, src, srcOff, len, dst, dstOff);
        mixHash(dst, dstOff, len + NOISE_AUTH_TAG_LENGTH);
    }

    /**
     * DecryptAndHash: {@code dst = AEAD-open(k, 0, src, h); h = HASH(h || src)}. {@code src} and
     * {@code dst} must not overlap (the ciphertext is hashed after decryption).
     *
     * @return false if the tag does not verify ({@code h} is then left unchanged)
     */
    public boolean decryptAndHash(final byte[] src, final int srcOff, final int lenWithTag, final byte[] dst,
                                  final int dstOff) {
        if (!ChaCha20Poly1305.open(k, 0, h, src, srcOff, lenWithTag, dst, dstOff)) {
            return false;
        }
        mixHash(src, srcOff, lenWithTag);
        return true;
    }

    /**
     * Split: {@code (T1, T2) = KDF2(C, empty)}; T1 is the initiator's sending key, T2 the responder's.
     */
    public void split(final byte[] t1, final byte[] t2) {
        kdf.kdf2(ck, EMPTY, 0, 0, t1, t2);
    }

    /** Scratch for a public key being written into a message (not secret). */
    byte[] scratchPub() {
        return pub;
    }

    /** Zeroes {@code ck}, {@code h} and {@code k}. */
    public void zero() {
        ConstantTime.zero(ck);
        ConstantTime.zero(h);
        ConstantTime.zero(k);
        ConstantTime.zero(tau);
        ConstantTime.zero(dh);
    }
}
