package io.jwg.crypto;

import static java.lang.Integer.rotateRight;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * BLAKE2s (RFC 7693): a reusable hash state object, owner thread only (not thread-safe), that
 * allocates nothing after construction.
 *
 * <p>Life cycle: construct (or {@link #reset}), {@link #update} any number of times, then
 * {@link #doFinal} once, which writes {@code outLen} bytes; after that the object must be
 * {@link #reset} before it is used again ({@code update}/{@code doFinal} on a finished state throw
 * {@link IllegalStateException}). {@code reset()} keeps the output length and key given last.
 *
 * <p>RFC 7693 §3.3: the last block is compressed with the finalization flag set, so {@code update}
 * always keeps the most recent (possibly full) block buffered until {@code doFinal}; input lengths
 * that are exact multiples of 64, and the empty input, are handled by that rule. A keyed hash
 * starts with the key zero-padded to one block (RFC 7693 §3.3, "kk").
 *
 * <p>{@code doFinal} zeroes the internal buffer and chaining value; {@link #wipe()} also zeroes the
 * stored key.
 */
public final class Blake2s {
    /** Block size in bytes (RFC 7693 §2.1, "bb"). */
    public static final int BLOCK_LENGTH = 64;
    /** Largest digest size in bytes ("nn" max). */
    public static final int MAX_OUTPUT_LENGTH = 32;
    /** Largest key size in bytes ("kk" max). */
    public static final int MAX_KEY_LENGTH = 32;

    /** RFC 7693 §2.6: the SHA-256 initial values. */
    private static final int IV0 = 0x6A09E667, IV1 = 0xBB67AE85, IV2 = 0x3C6EF372, IV3 = 0xA54FF53A;
    private static final int IV4 = 0x510E527F, IV5 = 0x9B05688C, IV6 = 0x1F83D9AB, IV7 = 0x5BE0CD19;

    /** RFC 7693 §2.7: the message schedule SIGMA, one row of 16 word indices per round. */
    private static final byte[] SIGMA = {
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
            14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
            11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
            7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
            9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
            2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
            12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
            13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
            6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
            10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    };
    /** BLAKE2s rounds (RFC 7693 §2.1, "r"). */
    private static final int ROUNDS = 10;

    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt SEG_INT_LE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Chaining value h[0..7]. */
    private final int[] h = new int[8];
    /** Message words of the block being compressed. */
    private final int[] m = new int[16];
    /** Pending input; holds the last block until doFinal. */
    private final byte[] buf = new byte[BLOCK_LENGTH];
    private final byte[] key = new byte[MAX_KEY_LENGTH];
    private int keyLen;
    private int outLen;
    private int bufLen;
    /** Byte counter t (RFC 7693 §3.2), 64 bits. */
    private long counter;
    private boolean finished;

    /**
     * Creates an unkeyed BLAKE2s state.
     *
     * @param outLen digest length in bytes, 1..32
     * @throws IllegalArgumentException if {@code outLen} is out of range
     */
    public Blake2s(int outLen) {
        reset(outLen, null, 0, 0);
    }

    /**
     * Creates a keyed BLAKE2s state (BLAKE2s MAC). The key bytes are copied.
     *
     * @param outLen digest length in bytes, 1..32
     * @param key key array (may be {@code null} when {@code keyLen} is 0)
     * @param keyOff offset of the key
     * @param keyLen key length in bytes, 0..32 (0 means unkeyed)
     * @throws IllegalArgumentException if a length is out of range
     */
    public Blake2s(int outLen, byte[] key, int keyOff, int keyLen) {
        reset(outLen, key, keyOff, keyLen);
    }

    /** Digest length in bytes that {@link #doFinal} writes. */
    public int outputLength() {
        return outLen;
    }

    /**
     * Restarts the hash with the same output length and key.
     *
     * @return this
     */
    public Blake2s reset() {
        int p = 0x01010000 ^ (keyLen << 8) ^ outLen; // parameter block word 0: fanout=depth=1, kk, nn
        h[0] = IV0 ^ p;
        h[1] = IV1;
        h[2] = IV2;
        h[3] = IV3;
        h[4] = IV4;
        h[5] = IV5;
        h[6] = IV6;
        h[7] = IV7;
        counter = 0;
        finished = false;
        Arrays.fill(buf, (byte) 0);
        if (keyLen > 0) {
            System.arraycopy(key, 0, buf, 0, keyLen);
            bufLen = BLOCK_LENGTH; // the padded key block; compressed when more input arrives
        } else {
            bufLen = 0;
        }
        return this;
    }

    /**
     * Restarts the hash with a new output length and key (the key bytes are copied).
     *
     * @param outLen digest length in bytes, 1..32
     * @param key key array (may be {@code null} when {@code keyLen} is 0)
     * @param keyOff offset of the key
     * @param keyLen key length in bytes, 0..32
     * @return this
     * @throws IllegalArgumentException if a length is out of range
     */
    public Blake2s reset(int outLen, byte[] key, int keyOff, int keyLen) {
        if (outLen < 1 || outLen > MAX_OUTPUT_LENGTH) {
            throw new IllegalArgumentException("BLAKE2s output length must be 1..32: " + outLen);
        }
        if (keyLen < 0 || keyLen > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("BLAKE2s key length must be 0..32: " + keyLen);
        }
        if (keyLen > 0) {
            Objects.checkFromIndexSize(keyOff, keyLen, key.length);
            System.arraycopy(key, keyOff, this.key, 0, keyLen);
        }
        Arrays.fill(this.key, keyLen, MAX_KEY_LENGTH, (byte) 0);
        this.outLen = outLen;
        this.keyLen = keyLen;
        return reset();
    }

    /**
     * Absorbs {@code len} bytes of {@code in} starting at {@code off}.
     *
     * @return this
     * @throws IllegalStateException if {@link #doFinal} was called since the last reset
     * @throws IndexOutOfBoundsException if the range is outside {@code in}
     */
    public Blake2s update(byte[] in, int off, int len) {
        Objects.checkFromIndexSize(off, len, in.length);
        checkActive();
        int fill = BLOCK_LENGTH - bufLen;
        if (len > fill) {
            // The buffered block is not the last one: complete and compress it.
            System.arraycopy(in, off, buf, bufLen, fill);
            off += fill;
            len -= fill;
            loadBlock(buf, 0);
            counter += BLOCK_LENGTH;
            compress(false);
            // Compress straight from the input, keeping back the final (possibly full) block.
            while (len > BLOCK_LENGTH) {
                loadBlock(in, off);
                counter += BLOCK_LENGTH;
                compress(false);
                off += BLOCK_LENGTH;
                len -= BLOCK_LENGTH;
            }
            bufLen = 0;
        }
        System.arraycopy(in, off, buf, bufLen, len);
        bufLen += len;
        return this;
    }

    /**
     * Absorbs {@code len} bytes of {@code in} starting at byte offset {@code off}; heap and native
     * segments are both fine.
     *
     * @return this
     * @throws IllegalStateException if {@link #doFinal} was called since the last reset
     * @throws IndexOutOfBoundsException if the range is outside {@code in}
     */
    public Blake2s update(MemorySegment in, long off, long len) {
        Objects.checkFromIndexSize(off, len, in.byteSize());
        checkActive();
        int fill = BLOCK_LENGTH - bufLen;
        if (len > fill) {
            MemorySegment.copy(in, ValueLayout.JAVA_BYTE, off, buf, bufLen, fill);
            off += fill;
            len -= fill;
            loadBlock(buf, 0);
            counter += BLOCK_LENGTH;
            compress(false);
            while (len > BLOCK_LENGTH) {
                loadBlock(in, off);
                counter += BLOCK_LENGTH;
                compress(false);
                off += BLOCK_LENGTH;
                len -= BLOCK_LENGTH;
            }
            bufLen = 0;
        }
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, off, buf, bufLen, (int) len);
        bufLen += (int) len;
        return this;
    }

    /**
     * Finishes the hash and writes {@link #outputLength()} bytes to {@code out} at {@code outOff}.
     * The state is then finished and must be {@link #reset} before reuse.
     *
     * @throws IllegalStateException if already finished
     * @throws IndexOutOfBoundsException if the output does not fit
     */
    public void doFinal(byte[] out, int outOff) {
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        checkActive();
        counter += bufLen;
        Arrays.fill(buf, bufLen, BLOCK_LENGTH, (byte) 0);
        loadBlock(buf, 0);
        compress(true);
        int full = outLen >>> 2;
        for (int i = 0; i < full; i++) {
            INT_LE.set(out, outOff + 4 * i, h[i]);
        }
        for (int i = full << 2; i < outLen; i++) {
            out[outOff + i] = (byte) (h[i >>> 2] >>> ((i & 3) << 3));
        }
        finished = true;
        Arrays.fill(buf, (byte) 0);
        Arrays.fill(m, 0);
        Arrays.fill(h, 0);
        bufLen = 0;
    }

    /**
     * Zeroes all state including the stored key; the object must be
     * {@link #reset(int, byte[], int, int)} before reuse.
     */
    public void wipe() {
        Arrays.fill(buf, (byte) 0);
        Arrays.fill(m, 0);
        Arrays.fill(h, 0);
        Arrays.fill(key, (byte) 0);
        keyLen = 0;
        bufLen = 0;
        counter = 0;
        finished = true;
    }

    /**
     * One-shot unkeyed BLAKE2s. Allocates a state: not for hot paths.
     *
     * @param outLen digest length, 1..32
     */
    public static void hash(byte[] out, int outOff, int outLen, byte[] in, int inOff, int inLen) {
        Blake2s b = new Blake2s(outLen);
        b.update(in, inOff, inLen);
        b.doFinal(out, outOff);
    }

    /**
     * One-shot keyed BLAKE2s (the whole {@code key} array is the key, 0..32 bytes). Allocates a
     * state: not for hot paths.
     *
     * @param outLen digest length, 1..32
     */
    public static void mac(byte[] out, int outOff, int outLen, byte[] key, byte[] in, int inOff, int inLen) {
        Blake2s b = new Blake2s(outLen, key, 0, key.length);
        b.update(in, inOff, inLen);
        b.doFinal(out, outOff);
        b.wipe();
    }

    private void checkActive() {
        if (finished) {
            throw new IllegalStateException("BLAKE2s state is finished; call reset() first");
        }
    }

    private void loadBlock(byte[] src, int off) {
        int[] w = m;
        for (int i = 0; i < 16; i++) {
            w[i] = (int) INT_LE.get(src, off + 4 * i);
        }
    }

    private void loadBlock(MemorySegment src, long off) {
        int[] w = m;
        for (int i = 0; i < 16; i++) {
            w[i] = src.get(SEG_INT_LE, off + 4L * i);
        }
    }

    /**
     * RFC 7693 §3.2 compression function F over the words in {@link #m}, with the current counter
     * and final-block flag. G is written out inline (eight per round, RFC 7693 §3.1 rotations
     * 16/12/8/7) and the ten rounds are a loop over {@link #SIGMA}.
     *
     * <p>Why not fully unrolled: measured on JDK 25 C2, the ten-round unrolled body (6.8 KB of
     * bytecode) took seconds to compile and then ran about 2x slower per block than this loop
     * (register pressure of 16 state + 16 message locals), and until C2 finishes it runs as
     * profiled C1 code; handshakes are rare, so fast warm-up matters here.
     */
    private void compress(boolean last) {
        final int[] hh = h;
        final int[] w = m;
        int v0 = hh[0], v1 = hh[1], v2 = hh[2], v3 = hh[3], v4 = hh[4], v5 = hh[5], v6 = hh[6], v7 = hh[7];
        int v8 = IV0, v9 = IV1, v10 = IV2, v11 = IV3;
        int v12 = IV4 ^ (int) counter;
        int v13 = IV5 ^ (int) (counter >>> 32);
        int v14 = last ? ~IV6 : IV6;
        int v15 = IV7;
        for (int r = 0; r < ROUNDS * 16; r += 16) {
            // G0 (column): v0, v4, v8, v12 with m[sigma[0]], m[sigma[1]]
            v0 += v4 + w[SIGMA[r + 0]]; v12 = rotateRight(v12 ^ v0, 16);
            v8 += v12; v4 = rotateRight(v4 ^ v8, 12);
            v0 += v4 + w[SIGMA[r + 1]]; v12 = rotateRight(v12 ^ v0, 8);
            v8 += v12; v4 = rotateRight(v4 ^ v8, 7);
            // G1 (column): v1, v5, v9, v13 with m[sigma[2]], m[sigma[3]]
            v1 += v5 + w[SIGMA[r + 2]]; v13 = rotateRight(v13 ^ v1, 16);
            v9 += v13; v5 = rotateRight(v5 ^ v9, 12);
            v1 += v5 + w[SIGMA[r + 3]]; v13 = rotateRight(v13 ^ v1, 8);
            v9 += v13; v5 = rotateRight(v5 ^ v9, 7);
            // G2 (column): v2, v6, v10, v14 with m[sigma[4]], m[sigma[5]]
            v2 += v6 + w[SIGMA[r + 4]]; v14 = rotateRight(v14 ^ v2, 16);
            v10 += v14; v6 = rotateRight(v6 ^ v10, 12);
            v2 += v6 + w[SIGMA[r + 5]]; v14 = rotateRight(v14 ^ v2, 8);
            v10 += v14; v6 = rotateRight(v6 ^ v10, 7);
            // G3 (column): v3, v7, v11, v15 with m[sigma[6]], m[sigma[7]]
            v3 += v7 + w[SIGMA[r + 6]]; v15 = rotateRight(v15 ^ v3, 16);
            v11 += v15; v7 = rotateRight(v7 ^ v11, 12);
            v3 += v7 + w[SIGMA[r + 7]]; v15 = rotateRight(v15 ^ v3, 8);
            v11 += v15; v7 = rotateRight(v7 ^ v11, 7);
            // G4 (diagonal): v0, v5, v10, v15 with m[sigma[8]], m[sigma[9]]
            v0 += v5 + w[SIGMA[r + 8]]; v15 = rotateRight(v15 ^ v0, 16);
            v10 += v15; v5 = rotateRight(v5 ^ v10, 12);
            v0 += v5 + w[SIGMA[r + 9]]; v15 = rotateRight(v15 ^ v0, 8);
            v10 += v15; v5 = rotateRight(v5 ^ v10, 7);
            // G5 (diagonal): v1, v6, v11, v12 with m[sigma[10]], m[sigma[11]]
            v1 += v6 + w[SIGMA[r + 10]]; v12 = rotateRight(v12 ^ v1, 16);
            v11 += v12; v6 = rotateRight(v6 ^ v11, 12);
            v1 += v6 + w[SIGMA[r + 11]]; v12 = rotateRight(v12 ^ v1, 8);
            v11 += v12; v6 = rotateRight(v6 ^ v11, 7);
            // G6 (diagonal): v2, v7, v8, v13 with m[sigma[12]], m[sigma[13]]
            v2 += v7 + w[SIGMA[r + 12]]; v13 = rotateRight(v13 ^ v2, 16);
            v8 += v13; v7 = rotateRight(v7 ^ v8, 12);
            v2 += v7 + w[SIGMA[r + 13]]; v13 = rotateRight(v13 ^ v2, 8);
            v8 += v13; v7 = rotateRight(v7 ^ v8, 7);
            // G7 (diagonal): v3, v4, v9, v14 with m[sigma[14]], m[sigma[15]]
            v3 += v4 + w[SIGMA[r + 14]]; v14 = rotateRight(v14 ^ v3, 16);
            v9 += v14; v4 = rotateRight(v4 ^ v9, 12);
            v3 += v4 + w[SIGMA[r + 15]]; v14 = rotateRight(v14 ^ v3, 8);
            v9 += v14; v4 = rotateRight(v4 ^ v9, 7);
        }
        hh[0] ^= v0 ^ v8;
        hh[1] ^= v1 ^ v9;
        hh[2] ^= v2 ^ v10;
        hh[3] ^= v3 ^ v11;
        hh[4] ^= v4 ^ v12;
        hh[5] ^= v5 ^ v13;
        hh[6] ^= v6 ^ v14;
        hh[7] ^= v7 ^ v15;
    }
}
