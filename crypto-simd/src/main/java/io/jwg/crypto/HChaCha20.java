package io.jwg.crypto;

import static io.jwg.crypto.ChaCha20.DOUBLE_ROUNDS;
import static io.jwg.crypto.ChaCha20.LE_INT;
import static io.jwg.crypto.ChaCha20.LE_LONG;
import static io.jwg.crypto.ChaCha20.SIGMA_0;
import static io.jwg.crypto.ChaCha20.SIGMA_1;
import static io.jwg.crypto.ChaCha20.SIGMA_2;
import static io.jwg.crypto.ChaCha20.SIGMA_3;

import java.lang.foreign.MemorySegment;

/**
 * HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): the ChaCha20 permutation of (key, 128-bit nonce)
 * without the feed-forward, keeping state words 0..3 and 12..15 as a 256-bit subkey. Used by
 * {@link XChaCha20Poly1305}. Stateless and thread-safe; no allocation per call.
 */
public final class HChaCha20 {

    /** Input nonce length in bytes. */
    public static final int NONCE_LENGTH = 16;
    /** Output subkey length in bytes. */
    public static final int SUBKEY_LENGTH = 32;

    private HChaCha20() {
    }

    /**
     * Writes the 32-byte subkey for {@code key} (32 bytes) and {@code nonce} (16 bytes) into
     * {@code out[0, 32)}.
     */
    public static void derive(MemorySegment key, MemorySegment nonce, MemorySegment out) {
        if (key.byteSize() != ChaCha20.KEY_LENGTH || nonce.byteSize() != NONCE_LENGTH || out.byteSize() < SUBKEY_LENGTH) {
            throw new IllegalArgumentException("need a 32-byte key, a 16-byte nonce and 32 bytes of output");
        }
        for (int i = 0; i < 4; i++) {
            out.set(LE_LONG, 8L * i, subkeyLong(key, 0, nonce, 0, i));
        }
    }

    /**
     * Returns little-endian bytes {@code [8*index, 8*index+8)} of the subkey, reading the key at
     * {@code key[keyOff, +32)} and the nonce at {@code nonce[nonceOff, +16)}. Returning one 64-bit
     * piece keeps the caller allocation-free; XChaCha20 only runs for cookie replies, so computing
     * the permutation once per piece is an acceptable price for that.
     */
    static long subkeyLong(MemorySegment key, long keyOff, MemorySegment nonce, long nonceOff, int index) {
        int x0 = SIGMA_0, x1 = SIGMA_1, x2 = SIGMA_2, x3 = SIGMA_3;
        int x4 = key.get(LE_INT, keyOff), x5 = key.get(LE_INT, keyOff + 4);
        int x6 = key.get(LE_INT, keyOff + 8), x7 = key.get(LE_INT, keyOff + 12);
        int x8 = key.get(LE_INT, keyOff + 16), x9 = key.get(LE_INT, keyOff + 20);
        int x10 = key.get(LE_INT, keyOff + 24), x11 = key.get(LE_INT, keyOff + 28);
        int x12 = nonce.get(LE_INT, nonceOff), x13 = nonce.get(LE_INT, nonceOff + 4);
        int x14 = nonce.get(LE_INT, nonceOff + 8), x15 = nonce.get(LE_INT, nonceOff + 12);
        for (int i = 0; i < DOUBLE_ROUNDS; i++) {
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
        }
        // subkey = words 0, 1, 2, 3, 12, 13, 14, 15 (no feed-forward)
        return switch (index) {
            case 0 -> (x0 & 0xffffffffL) | ((long) x1 << 32);
            case 1 -> (x2 & 0xffffffffL) | ((long) x3 << 32);
            case 2 -> (x12 & 0xffffffffL) | ((long) x13 << 32);
            default -> (x14 & 0xffffffffL) | ((long) x15 << 32);
        };
    }
}
