package io.jwg.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * ChaCha20 scalar reference (RFC 8439 §2.3, §2.4): the block function and a keystream XOR helper.
 * Stateless and thread-safe; no allocation per call. The packet path uses {@link ChaCha20Vector};
 * this class is the obviously-correct model it is tested against, and the source of the constants.
 */
public final class ChaCha20 {

    /** Key length in bytes (RFC 8439 §2.3: 256-bit key). */
    public static final int KEY_LENGTH = 32;
    /** Nonce length in bytes (RFC 8439 §2.3: 96-bit nonce). */
    public static final int NONCE_LENGTH = 12;
    /** Keystream block length in bytes (RFC 8439 §2.3: 16 little-endian words). */
    public static final int BLOCK_LENGTH = 64;

    /** The constant words "expa", "nd 3", "2-by", "te k" (RFC 8439 §2.3, state words 0..3). */
    static final int SIGMA_0 = 0x61707865;
    static final int SIGMA_1 = 0x3320646e;
    static final int SIGMA_2 = 0x79622d32;
    static final int SIGMA_3 = 0x6b206574;
    /** 20 rounds = 10 "double rounds" of one column round and one diagonal round (RFC 8439 §2.3). */
    static final int DOUBLE_ROUNDS = 10;

    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ChaCha20() {
    }

    /**
     * Writes the 64-byte keystream block for ({@code key}, {@code counter}, {@code nonce}) into
     * {@code out[0, 64)} (RFC 8439 §2.3.2).
     *
     * @throws IllegalArgumentException if key is not 32 bytes, nonce not 12, or out shorter than 64
     */
    public static void block(MemorySegment key, int counter, MemorySegment nonce, MemorySegment out) {
        checkKeyNonce(key, nonce);
        if (out.byteSize() < BLOCK_LENGTH) {
            throw new IllegalArgumentException("out must hold 64 bytes, has " + out.byteSize());
        }
        out.asSlice(0, BLOCK_LENGTH).fill((byte) 0);
        xor(key, counter, nonce, out.asSlice(0, BLOCK_LENGTH), out.asSlice(0, BLOCK_LENGTH));
    }

    /**
     * Encrypts or decrypts: {@code dst = src XOR keystream(key, nonce)} starting at block
     * {@code counter} (RFC 8439 §2.4). {@code dst} must be at least as long as {@code src}; the two
     * may be the same memory.
     */
    public static void xor(MemorySegment key, int counter, MemorySegment nonce, MemorySegment src, MemorySegment dst) {
        checkKeyNonce(key, nonce);
        if (dst.byteSize() < src.byteSize()) {
            throw new IllegalArgumentException("dst shorter than src");
        }
        xor(key.get(LE_INT, 0), key.get(LE_INT, 4), key.get(LE_INT, 8), key.get(LE_INT, 12),
                key.get(LE_INT, 16), key.get(LE_INT, 20), key.get(LE_INT, 24), key.get(LE_INT, 28),
                counter, nonce.get(LE_INT, 0), nonce.get(LE_INT, 4), nonce.get(LE_INT, 8),
                src, 0, dst, 0, src.byteSize());
    }

    private static void checkKeyNonce(MemorySegment key, MemorySegment nonce) {
        if (key.byteSize() != KEY_LENGTH) {
            throw new IllegalArgumentException("key must be 32 bytes, is " + key.byteSize());
        }
        if (nonce.byteSize() != NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be 12 bytes, is " + nonce.byteSize());
        }
    }

    /**
     * Keystream XOR over {@code len} bytes from {@code src[srcOff..]} to {@code dst[dstOff..]}, key and
     * nonce given as little-endian words, blocks numbered from {@code counter}. Bounds are checked by
     * the segment accesses.
     */
    static void xor(int k0, int k1, int k2, int k3, int k4, int k5, int k6, int k7,
                    int counter, int n0, int n1, int n2,
                    MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
        long done = 0;
        while (done < len) {
            int x0 = SIGMA_0, x1 = SIGMA_1, x2 = SIGMA_2, x3 = SIGMA_3;
            int x4 = k0, x5 = k1, x6 = k2, x7 = k3, x8 = k4, x9 = k5, x10 = k6, x11 = k7;
            int x12 = counter, x13 = n0, x14 = n1, x15 = n2;
            for (int i = 0; i < DOUBLE_ROUNDS; i++) {
                // column round: QUARTERROUND(0,4,8,12) (1,5,9,13) (2,6,10,14) (3,7,11,15)
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
                // diagonal round: QUARTERROUND(0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14)
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
            }
            // feed-forward: add the input state
            x0 += SIGMA_0; x1 += SIGMA_1; x2 += SIGMA_2; x3 += SIGMA_3;
            x4 += k0; x5 += k1; x6 += k2; x7 += k3; x8 += k4; x9 += k5; x10 += k6; x11 += k7;
            x12 += counter; x13 += n0; x14 += n1; x15 += n2;
            long n = Math.min(BLOCK_LENGTH, len - done);
            long s = srcOff + done, d = dstOff + done;
            if (n == BLOCK_LENGTH) {
                dst.set(LE_INT, d, src.get(LE_INT, s) ^ x0);
                dst.set(LE_INT, d + 4, src.get(LE_INT, s + 4) ^ x1);
                dst.set(LE_INT, d + 8, src.get(LE_INT, s + 8) ^ x2);
                dst.set(LE_INT, d + 12, src.get(LE_INT, s + 12) ^ x3);
                dst.set(LE_INT, d + 16, src.get(LE_INT, s + 16) ^ x4);
                dst.set(LE_INT, d + 20, src.get(LE_INT, s + 20) ^ x5);
                dst.set(LE_INT, d + 24, src.get(LE_INT, s + 24) ^ x6);
                dst.set(LE_INT, d + 28, src.get(LE_INT, s + 28) ^ x7);
                dst.set(LE_INT, d + 32, src.get(LE_INT, s + 32) ^ x8);
                dst.set(LE_INT, d + 36, src.get(LE_INT, s + 36) ^ x9);
                dst.set(LE_INT, d + 40, src.get(LE_INT, s + 40) ^ x10);
                dst.set(LE_INT, d + 44, src.get(LE_INT, s + 44) ^ x11);
                dst.set(LE_INT, d + 48, src.get(LE_INT, s + 48) ^ x12);
                dst.set(LE_INT, d + 52, src.get(LE_INT, s + 52) ^ x13);
                dst.set(LE_INT, d + 56, src.get(LE_INT, s + 56) ^ x14);
                dst.set(LE_INT, d + 60, src.get(LE_INT, s + 60) ^ x15);
            } else {
                for (int i = 0; i < n; i++) {
                    int w = switch (i >>> 2) {
                        case 0 -> x0; case 1 -> x1; case 2 -> x2; case 3 -> x3;
                        case 4 -> x4; case 5 -> x5; case 6 -> x6; case 7 -> x7;
                        case 8 -> x8; case 9 -> x9; case 10 -> x10; case 11 -> x11;
                        case 12 -> x12; case 13 -> x13; case 14 -> x14; default -> x15;
                    };
                    byte b = (byte) (w >>> ((i & 3) << 3));
                    dst.set(ValueLayout.JAVA_BYTE, d + i, (byte) (src.get(ValueLayout.JAVA_BYTE, s + i) ^ b));
                }
            }
            done += n;
            counter++;
        }
    }
}
