package io.jwg.crypto;

import static io.jwg.crypto.ChaCha20.LE_INT;
import static io.jwg.crypto.ChaCha20.LE_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ChaCha20-Poly1305 AEAD (RFC 8439 §2.8) over memory segments and byte arrays. All methods are
 * static, stateless and thread-safe, and allocate nothing per call on the segment forms.
 *
 * <p>Segments may be heap or native, at any offset. {@code src} and {@code dst} may be the very
 * same memory (in place: same start), otherwise they must not overlap; partial overlap is a
 * programmer error ({@link IllegalArgumentException}). Programmer errors (wrong key or nonce
 * length, {@code dst} too small, out-of-bounds offsets) throw {@link IllegalArgumentException}
 * (or {@link IndexOutOfBoundsException} from the segment); a forged or truncated ciphertext is
 * bad input and only makes {@code open} return false, leaving {@code dst} untouched: the tag is
 * verified over the ciphertext before anything is decrypted.
 */
public final class ChaCha20Poly1305 {

    /** Key length in bytes. */
    public static final int KEY_LENGTH = 32;
    /** Nonce length in bytes; the general API refuses any other length with IllegalArgumentException. */
    public static final int NONCE_LENGTH = 12;
    /** Tag length in bytes. */
    public static final int TAG_LENGTH = 16;
    /** Largest plaintext: the 32-bit block counter starts at 1 for the body (RFC 8439 §2.8). */
    public static final long MAX_PLAINTEXT_LENGTH = 0xffffffffL * ChaCha20.BLOCK_LENGTH - ChaCha20.BLOCK_LENGTH;

    private ChaCha20Poly1305() {
    }

    // ---- general 96-bit nonce form -------------------------------------------------------------

    /**
     * Encrypts {@code src} into {@code dst[0, len)} and writes the tag at {@code dst[len, len+16)},
     * {@code len = src.byteSize()}.
     *
     * @throws IllegalArgumentException if the key is shorter than 32 bytes, the nonce is not exactly
     *     12 bytes, {@code dst} holds fewer than {@code len+16} bytes, or src and dst partially overlap
     */
    public static void seal(MemorySegment key, MemorySegment nonce, MemorySegment aad, MemorySegment src, MemorySegment dst) {
        checkNonce(nonce);
        sealSegments(key, nonce.get(LE_INT, 0), nonce.get(LE_INT, 4), nonce.get(LE_INT, 8), aad, src, dst);
    }

    /**
     * Verifies the tag in the last 16 bytes of {@code src} over the ciphertext before it, then
     * decrypts into {@code dst[0, src.byteSize()-16)}.
     *
     * @return false (and {@code dst} untouched) when {@code src} is shorter than a tag or the tag is wrong
     * @throws IllegalArgumentException for a wrong key or nonce length, a too small {@code dst} or
     *     partial overlap
     */
    public static boolean open(MemorySegment key, MemorySegment nonce, MemorySegment aad, MemorySegment src, MemorySegment dst) {
        checkNonce(nonce);
        return openSegments(key, nonce.get(LE_INT, 0), nonce.get(LE_INT, 4), nonce.get(LE_INT, 8), aad, src, dst);
    }

    // ---- WireGuard nonce form: 4 zero bytes || little-endian u64 counter -----------------------

    /** {@link #seal(MemorySegment, MemorySegment, MemorySegment, MemorySegment, MemorySegment)} with WireGuard's nonce for {@code counter}. */
    public static void seal(MemorySegment key, long counter, MemorySegment aad, MemorySegment src, MemorySegment dst) {
        sealSegments(key, 0, (int) counter, (int) (counter >>> 32), aad, src, dst);
    }

    /** {@link #open(MemorySegment, MemorySegment, MemorySegment, MemorySegment, MemorySegment)} with WireGuard's nonce for {@code counter}. */
    public static boolean open(MemorySegment key, long counter, MemorySegment aad, MemorySegment src, MemorySegment dst) {
        return openSegments(key, 0, (int) counter, (int) (counter >>> 32), aad, src, dst);
    }

    // ---- zero-allocation in-place data path (empty AAD) ----------------------------------------

    /**
     * Encrypts {@code buf[off, off+len)} in place and writes the tag at {@code buf[off+len, off+len+16)}.
     *
     * @throws IllegalArgumentException if the range does not fit in {@code buf} or the key is short
     */
    public static void sealInPlace(MemorySegment key, long counter, MemorySegment buf, long off, int len) {
        checkRange(buf, off, (long) len + TAG_LENGTH, len);
        checkKey(key);
        core(key, 0, (int) counter, (int) (counter >>> 32), MemorySegment.NULL, 0, buf, off, buf, off, len, true);
    }

    /**
     * Verifies and decrypts {@code buf[off, off+lenWithTag)} in place: the plaintext is left at
     * {@code buf[off, off+lenWithTag-16)} when this returns true; the buffer is untouched when false.
     *
     * @return false when {@code lenWithTag < 16} or the tag is wrong
     */
    public static boolean openInPlace(MemorySegment key, long counter, MemorySegment buf, long off, int lenWithTag) {
        checkKey(key);
        if (lenWithTag < TAG_LENGTH) {
            return false;
        }
        checkRange(buf, off, lenWithTag, lenWithTag - TAG_LENGTH);
        return core(key, 0, (int) counter, (int) (counter >>> 32), MemorySegment.NULL, 0,
                buf, off, buf, off, lenWithTag - TAG_LENGTH, false);
    }

    // ---- byte[] conveniences for the handshake -------------------------------------------------

    /**
     * Encrypts {@code src[srcOff, srcOff+len)} into {@code dst[dstOff, +len)} with the tag after it;
     * {@code aad} may be null (empty). Same-array ranges must be identical or disjoint.
     */
    public static void seal(byte[] key, long counter, byte[] aad, byte[] src, int srcOff, int len, byte[] dst, int dstOff) {
        checkArrays(key, src, srcOff, len, dst, dstOff, (long) len + TAG_LENGTH);
        int aadLen = aad == null ? 0 : aad.length;
        if (ArrayScratch.fits(aadLen, (long) len + TAG_LENGTH)) {
            MemorySegment m = ArrayScratch.forThread();
            try {
                ArrayScratch.load(m, aad, src, srcOff, len);
                crypt(keyInt(key, 0), keyInt(key, 4), keyInt(key, 8), keyInt(key, 12), keyInt(key, 16), keyInt(key, 20),
                        keyInt(key, 24), keyInt(key, 28), 0, (int) counter, (int) (counter >>> 32),
                        m, ArrayScratch.AAD, aadLen, m, ArrayScratch.DATA, m, ArrayScratch.DATA, len, true);
                MemorySegment.copy(m, ValueLayout.JAVA_BYTE, ArrayScratch.DATA, dst, dstOff, len + TAG_LENGTH);
            } finally {
                ArrayScratch.wipe(m);
            }
            return;
        }
        MemorySegment d = MemorySegment.ofArray(dst);
        core(MemorySegment.ofArray(key), 0, (int) counter, (int) (counter >>> 32),
                aad == null ? MemorySegment.NULL : MemorySegment.ofArray(aad), aadLen,
                src == dst ? d : MemorySegment.ofArray(src), srcOff, d, dstOff, len, true);
    }

    /**
     * Verifies {@code src[srcOff, srcOff+lenWithTag)} and decrypts it into {@code dst[dstOff, +lenWithTag-16)}.
     *
     * @return false (dst untouched) when {@code lenWithTag < 16} or the tag is wrong
     */
    public static boolean open(byte[] key, long counter, byte[] aad, byte[] src, int srcOff, int lenWithTag, byte[] dst, int dstOff) {
        if (lenWithTag < TAG_LENGTH) {
            checkArrays(key, src, srcOff, Math.max(lenWithTag, 0), dst, dstOff, 0);
            return false;
        }
        int len = lenWithTag - TAG_LENGTH;
        checkArrays(key, src, srcOff, lenWithTag, dst, dstOff, len);
        int aadLen = aad == null ? 0 : aad.length;
        if (ArrayScratch.fits(aadLen, lenWithTag)) {
            MemorySegment m = ArrayScratch.forThread();
            try {
                ArrayScratch.load(m, aad, src, srcOff, lenWithTag);
                if (!crypt(keyInt(key, 0), keyInt(key, 4), keyInt(key, 8), keyInt(key, 12), keyInt(key, 16),
                        keyInt(key, 20), keyInt(key, 24), keyInt(key, 28), 0, (int) counter, (int) (counter >>> 32),
                        m, ArrayScratch.AAD, aadLen, m, ArrayScratch.DATA, m, ArrayScratch.DATA, len, false)) {
                    return false;
                }
                MemorySegment.copy(m, ValueLayout.JAVA_BYTE, ArrayScratch.DATA, dst, dstOff, len);
                return true;
            } finally {
                ArrayScratch.wipe(m);
            }
        }
        MemorySegment d = MemorySegment.ofArray(dst);
        return core(MemorySegment.ofArray(key), 0, (int) counter, (int) (counter >>> 32),
                aad == null ? MemorySegment.NULL : MemorySegment.ofArray(aad), aadLen,
                src == dst ? d : MemorySegment.ofArray(src), srcOff, d, dstOff, len, false);
    }

    private static final java.lang.invoke.VarHandle KEY_INT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private static int keyInt(byte[] key, int off) {
        return (int) KEY_INT.get(key, off);
    }

    // ---- batch: many packets of one key, in place, empty AAD -----------------------------------

    /**
     * Seals {@code count} packets in place: packet i is plaintext at {@code slab[offsets[i], +lengths[i])}
     * with its tag written right after it, nonce from {@code counters[i]}. Packets must not overlap.
     */
    public static void sealBatch(MemorySegment key, MemorySegment slab, long[] offsets, int[] lengths, long[] counters, int count) {
        checkKey(key);
        checkBatch(offsets, lengths, counters, count);
        for (int i = 0; i < count; i++) {
            checkRange(slab, offsets[i], (long) lengths[i] + TAG_LENGTH, lengths[i]);
        }
        for (int i = 0; i < count; i++) {
            long c = counters[i];
            core(key, 0, (int) c, (int) (c >>> 32), MemorySegment.NULL, 0, slab, offsets[i], slab, offsets[i], lengths[i], true);
        }
    }

    /**
     * Opens {@code count} packets in place: packet i is ciphertext and tag at
     * {@code slab[offsets[i], +lengthsWithTag[i])}. Sets {@code ok[i]}; failed packets are untouched.
     *
     * @return the number of packets authenticated
     */
    public static int openBatch(MemorySegment key, MemorySegment slab, long[] offsets, int[] lengthsWithTag, long[] counters, int count, boolean[] ok) {
        checkKey(key);
        checkBatch(offsets, lengthsWithTag, counters, count);
        if (ok.length < count) {
            throw new IllegalArgumentException("ok[] shorter than count");
        }
        for (int i = 0; i < count; i++) {
            checkRange(slab, offsets[i], Math.max(lengthsWithTag[i], 0), Math.max(lengthsWithTag[i], 0));
        }
        int good = 0;
        for (int i = 0; i < count; i++) {
            int n = lengthsWithTag[i];
            long c = counters[i];
            boolean b = n >= TAG_LENGTH
                    && core(key, 0, (int) c, (int) (c >>> 32), MemorySegment.NULL, 0, slab, offsets[i], slab, offsets[i], n - TAG_LENGTH, false);
            ok[i] = b;
            good += b ? 1 : 0;
        }
        return good;
    }

    // ---- shared plumbing -----------------------------------------------------------------------

    private static void sealSegments(MemorySegment key, int n0, int n1, int n2, MemorySegment aad, MemorySegment src, MemorySegment dst) {
        checkKey(key);
        long len = src.byteSize();
        if (len > MAX_PLAINTEXT_LENGTH) {
            throw new IllegalArgumentException("plaintext too long: " + len);
        }
        if (dst.byteSize() < len + TAG_LENGTH) {
            throw new IllegalArgumentException("dst must hold src.byteSize()+16 = " + (len + TAG_LENGTH) + " bytes, has " + dst.byteSize());
        }
        checkOverlap(src, len, dst, len + TAG_LENGTH);
        if (aad == null) {
            aad = MemorySegment.NULL;
        }
        core(key, n0, n1, n2, aad, aad.byteSize(), src, 0, dst, 0, len, true);
    }

    private static boolean openSegments(MemorySegment key, int n0, int n1, int n2, MemorySegment aad, MemorySegment src, MemorySegment dst) {
        checkKey(key);
        long len = src.byteSize() - TAG_LENGTH;
        if (len < 0 || len > MAX_PLAINTEXT_LENGTH) {
            return false;
        }
        if (dst.byteSize() < len) {
            throw new IllegalArgumentException("dst must hold src.byteSize()-16 = " + len + " bytes, has " + dst.byteSize());
        }
        checkOverlap(src, len + TAG_LENGTH, dst, len);
        if (aad == null) {
            aad = MemorySegment.NULL;
        }
        return core(key, n0, n1, n2, aad, aad.byteSize(), src, 0, dst, 0, len, false);
    }

    /** Reads the key words and runs the AEAD; the tag follows the ciphertext in dst (seal) or src (open). */
    private static boolean core(MemorySegment key, int n0, int n1, int n2, MemorySegment aad, long aadLen,
                                MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len, boolean seal) {
        return crypt(key.get(LE_INT, 0), key.get(LE_INT, 4), key.get(LE_INT, 8), key.get(LE_INT, 12),
                key.get(LE_INT, 16), key.get(LE_INT, 20), key.get(LE_INT, 24), key.get(LE_INT, 28),
                n0, n1, n2, aad, 0, aadLen, src, srcOff, dst, dstOff, len, seal);
    }

    /** The AEAD on key and nonce words: the one entry every public form (and XChaCha20) ends in. */
    static boolean crypt(int k0, int k1, int k2, int k3, int k4, int k5, int k6, int k7, int n0, int n1, int n2,
                         MemorySegment aad, long aadOff, long aadLen,
                         MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len, boolean seal) {
        if (!ChaCha20Vector.SUPPORTED) {
            return cryptScalar(k0, k1, k2, k3, k4, k5, k6, k7, n0, n1, n2, aad, aadOff, aadLen, src, srcOff, dst, dstOff, len, seal);
        }
        return ChaCha20Vector.run(seal ? ChaCha20Vector.MODE_SEAL : ChaCha20Vector.MODE_OPEN, k0, k1, k2, k3, k4, k5, k6, k7,
                0, n0, n1, n2, aad, aadOff, aadLen, src, srcOff, dst, dstOff, len);
    }

    /**
     * The AEAD with the scalar reference ChaCha20: poly key from block 0, body from block 1. Seal
     * encrypts then tags the ciphertext; open verifies the ciphertext's tag first, then decrypts.
     * This is the model the vector path is tested against; it allocates a 64-byte block per call.
     */
    static boolean cryptScalar(int k0, int k1, int k2, int k3, int k4, int k5, int k6, int k7, int n0, int n1, int n2,
                               MemorySegment aad, long aadOff, long aadLen,
                               MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len, boolean seal) {
        MemorySegment block0 = MemorySegment.ofArray(new byte[ChaCha20.BLOCK_LENGTH]);
        ChaCha20.xor(k0, k1, k2, k3, k4, k5, k6, k7, 0, n0, n1, n2, block0, 0, block0, 0, ChaCha20.BLOCK_LENGTH);
        long r0 = block0.get(LE_LONG, 0), r1 = block0.get(LE_LONG, 8);
        long s0 = block0.get(LE_LONG, 16), s1 = block0.get(LE_LONG, 24);
        if (seal) {
            ChaCha20.xor(k0, k1, k2, k3, k4, k5, k6, k7, 1, n0, n1, n2, src, srcOff, dst, dstOff, len);
            return Poly1305.aead(r0, r1, s0, s1, aad, aadOff, aadLen, dst, dstOff, len, dst, dstOff + len, false);
        }
        if (!Poly1305.aead(r0, r1, s0, s1, aad, aadOff, aadLen, src, srcOff, len, src, srcOff + len, true)) {
            return false;
        }
        ChaCha20.xor(k0, k1, k2, k3, k4, k5, k6, k7, 1, n0, n1, n2, src, srcOff, dst, dstOff, len);
        return true;
    }

    static void checkKey(MemorySegment key) {
        if (key.byteSize() < KEY_LENGTH) {
            throw new IllegalArgumentException("key must be 32 bytes, is " + key.byteSize());
        }
    }

    private static void checkNonce(MemorySegment nonce) {
        if (nonce.byteSize() != NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be exactly 12 bytes, is " + nonce.byteSize());
        }
    }

    static void checkRange(MemorySegment buf, long off, long span, long len) {
        if (off < 0 || len < 0 || len > MAX_PLAINTEXT_LENGTH || off > buf.byteSize() - span) {
            throw new IllegalArgumentException("range [" + off + ", +" + span + ") outside segment of " + buf.byteSize() + " bytes");
        }
    }

    private static void checkBatch(long[] offsets, int[] lengths, long[] counters, int count) {
        if (count < 0 || count > offsets.length || count > lengths.length || count > counters.length) {
            throw new IllegalArgumentException("count " + count + " exceeds an array length");
        }
    }

    /** In place (same start) or disjoint; anything else is a programmer error. */
    static void checkOverlap(MemorySegment src, long srcLen, MemorySegment dst, long dstLen) {
        if (srcLen == 0 || dstLen == 0 || src.isNative() != dst.isNative()) {
            return;
        }
        if (src.isNative()) {
            long a = src.address(), b = dst.address();
            if (a != b && a < b + dstLen && b < a + srcLen) {
                throw new IllegalArgumentException("src and dst partially overlap");
            }
        } else if (src.address() != dst.address() && src.asOverlappingSlice(dst).isPresent()) {
            throw new IllegalArgumentException("src and dst partially overlap");
        }
    }

    private static void checkArrays(byte[] key, byte[] src, int srcOff, int srcSpan, byte[] dst, int dstOff, long dstSpan) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("key must be 32 bytes, is " + key.length);
        }
        if (srcOff < 0 || srcSpan < 0 || srcOff > src.length - srcSpan || dstOff < 0 || dstOff > dst.length - dstSpan) {
            throw new IllegalArgumentException("range outside array");
        }
        if (src == dst && srcOff != dstOff && srcOff < dstOff + dstSpan && dstOff < srcOff + srcSpan) {
            throw new IllegalArgumentException("src and dst partially overlap");
        }
    }
}
