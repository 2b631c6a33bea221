package io.jwg.crypto;

import static io.jwg.crypto.ChaCha20.LE_INT;

import java.lang.foreign.MemorySegment;

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03 §2.3): a 24-byte nonce; HChaCha20 of the key and
 * nonce bytes 0..15 gives a subkey, and ChaCha20-Poly1305 runs with nonce {@code 0000 || nonce[16..24)}.
 * WireGuard uses it only for cookie replies (short messages), so this favours simplicity over speed.
 * Static, stateless, thread-safe and allocation-free on the segment forms; argument rules as in
 * {@link ChaCha20Poly1305}: any nonce length other than 24 throws IllegalArgumentException.
 */
public final class XChaCha20Poly1305 {

    /** Key length in bytes. */
    public static final int KEY_LENGTH = 32;
    /** Nonce length in bytes. */
    public static final int NONCE_LENGTH = 24;
    /** Tag length in bytes. */
    public static final int TAG_LENGTH = 16;

    private XChaCha20Poly1305() {
    }

    /** Encrypts {@code src} into {@code dst[0, len)} and writes the tag at {@code dst[len, len+16)}. */
    public static void seal(MemorySegment key, MemorySegment nonce, MemorySegment aad, MemorySegment src, MemorySegment dst) {
        check(key, nonce);
        long len = src.byteSize();
        if (len > ChaCha20Poly1305.MAX_PLAINTEXT_LENGTH || dst.byteSize() < len + TAG_LENGTH) {
            throw new IllegalArgumentException("dst must hold src.byteSize()+16 bytes");
        }
        ChaCha20Poly1305.checkOverlap(src, len, dst, len + TAG_LENGTH);
        MemorySegment a = aad == null ? MemorySegment.NULL : aad;
        crypt(key, nonce, a, a.byteSize(), src, 0, dst, 0, len, true);
    }

    /** Verifies then decrypts; false (dst untouched) on a short input or a wrong tag. */
    public static boolean open(MemorySegment key, MemorySegment nonce, MemorySegment aad, MemorySegment src, MemorySegment dst) {
        check(key, nonce);
        long len = src.byteSize() - TAG_LENGTH;
        if (len < 0 || len > ChaCha20Poly1305.MAX_PLAINTEXT_LENGTH) {
            return false;
        }
        if (dst.byteSize() < len) {
            throw new IllegalArgumentException("dst must hold src.byteSize()-16 bytes");
        }
        ChaCha20Poly1305.checkOverlap(src, len + TAG_LENGTH, dst, len);
        MemorySegment a = aad == null ? MemorySegment.NULL : aad;
        return crypt(key, nonce, a, a.byteSize(), src, 0, dst, 0, len, false);
    }

    /** byte[] form of {@link #seal(MemorySegment, MemorySegment, MemorySegment, MemorySegment, MemorySegment)}; aad may be null. */
    public static void seal(byte[] key, byte[] nonce, byte[] aad, byte[] src, int srcOff, int len, byte[] dst, int dstOff) {
        seal(MemorySegment.ofArray(key), MemorySegment.ofArray(nonce), aad == null ? null : MemorySegment.ofArray(aad),
                MemorySegment.ofArray(src).asSlice(srcOff, len), MemorySegment.ofArray(dst).asSlice(dstOff, (long) len + TAG_LENGTH));
    }

    /** byte[] form of {@link #open(MemorySegment, MemorySegment, MemorySegment, MemorySegment, MemorySegment)}; aad may be null. */
    public static boolean open(byte[] key, byte[] nonce, byte[] aad, byte[] src, int srcOff, int lenWithTag, byte[] dst, int dstOff) {
        if (lenWithTag < TAG_LENGTH) {
            check(MemorySegment.ofArray(key), MemorySegment.ofArray(nonce));
            return false;
        }
        return open(MemorySegment.ofArray(key), MemorySegment.ofArray(nonce), aad == null ? null : MemorySegment.ofArray(aad),
                MemorySegment.ofArray(src).asSlice(srcOff, lenWithTag), MemorySegment.ofArray(dst).asSlice(dstOff, lenWithTag - TAG_LENGTH));
    }

    private static void check(MemorySegment key, MemorySegment nonce) {
        if (key.byteSize() != KEY_LENGTH) {
            throw new IllegalArgumentException("key must be 32 bytes, is " + key.byteSize());
        }
        if (nonce.byteSize() != NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be exactly 24 bytes, is " + nonce.byteSize());
        }
    }

    private static boolean crypt(MemorySegment key, MemorySegment nonce, MemorySegment aad, long aadLen,
                                 MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len, boolean seal) {
        long s0 = HChaCha20.subkeyLong(key, 0, nonce, 0, 0);
        long s1 = HChaCha20.subkeyLong(key, 0, nonce, 0, 1);
        long s2 = HChaCha20.subkeyLong(key, 0, nonce, 0, 2);
        long s3 = HChaCha20.subkeyLong(key, 0, nonce, 0, 3);
        return ChaCha20Poly1305.crypt((int) s0, (int) (s0 >>> 32), (int) s1, (int) (s1 >>> 32),
                (int) s2, (int) (s2 >>> 32), (int) s3, (int) (s3 >>> 32),
                0, nonce.get(LE_INT, 16), nonce.get(LE_INT, 20),
                aad, 0, aadLen, src, srcOff, dst, dstOff, len, seal);
    }
}
