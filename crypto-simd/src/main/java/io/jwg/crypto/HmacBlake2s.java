package io.jwg.crypto;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * HMAC-BLAKE2s-256 (RFC 2104 over unkeyed BLAKE2s-256, block size 64), as WireGuard's HMAC; a
 * reusable object, owner thread only (not thread-safe), allocation-free after construction.
 *
 * <p>{@code HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m))} where {@code K'} is {@code K}
 * zero-padded to 64 bytes, or {@code H(K)} zero-padded if {@code K} is longer than 64 bytes.
 *
 * <p>Use either the one-shot {@link #mac} or {@link #init} / {@link #update} / {@link #doFinal}.
 * {@code doFinal} and {@code mac} zero the copied key and every intermediate value. The output may
 * overlap the key or the input: both are fully consumed before the output is written.
 */
public final class HmacBlake2s {
    /** Output length in bytes. */
    public static final int MAC_LENGTH = 32;

    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    private final Blake2s hash = new Blake2s(MAC_LENGTH);
    private final byte[] keyBlock = new byte[Blake2s.BLOCK_LENGTH];
    private final byte[] pad = new byte[Blake2s.BLOCK_LENGTH];
    private final byte[] innerHash = new byte[MAC_LENGTH];
    private boolean active;

    /** Creates an HMAC-BLAKE2s-256 object; call {@link #init} or {@link #mac} to use it. */
    public HmacBlake2s() {
    }

    /**
     * Starts a MAC with key {@code key[keyOff..keyOff+keyLen)} (any length; copied), discarding any
     * MAC in progress.
     *
     * @return this
     * @throws IndexOutOfBoundsException if the key range is outside {@code key}
     */
    public HmacBlake2s init(byte[] key, int keyOff, int keyLen) {
        Objects.checkFromIndexSize(keyOff, keyLen, key.length);
        Arrays.fill(keyBlock, (byte) 0);
        hash.reset();
        if (keyLen > Blake2s.BLOCK_LENGTH) {
            hash.update(key, keyOff, keyLen).doFinal(keyBlock, 0);
            hash.reset();
        } else {
            System.arraycopy(key, keyOff, keyBlock, 0, keyLen);
        }
        xorPad(IPAD);
        hash.update(pad, 0, Blake2s.BLOCK_LENGTH);
        active = true;
        return this;
    }

    /**
     * Absorbs message bytes.
     *
     * @return this
     * @throws IllegalStateException if no MAC was started by {@link #init}
     */
    public HmacBlake2s update(byte[] in, int off, int len) {
        checkActive();
        hash.update(in, off, len);
        return this;
    }

    /**
     * Absorbs message bytes from a (heap or native) segment.
     *
     * @return this
     * @throws IllegalStateException if no MAC was started by {@link #init}
     */
    public HmacBlake2s update(MemorySegment in, long off, long len) {
        checkActive();
        hash.update(in, off, len);
        return this;
    }

    /**
     * Writes the 32-byte MAC to {@code out[outOff..]}, then zeroes the key and scratch; call
     * {@link #init} before the next MAC.
     *
     * @throws IllegalStateException if no MAC was started by {@link #init}
     * @throws IndexOutOfBoundsException if the output does not fit
     */
    public void doFinal(byte[] out, int outOff) {
        Objects.checkFromIndexSize(outOff, MAC_LENGTH, out.length);
        checkActive();
        hash.doFinal(innerHash, 0);
        xorPad(OPAD);
        hash.reset();
        hash.update(pad, 0, Blake2s.BLOCK_LENGTH);
        hash.update(innerHash, 0, MAC_LENGTH);
        hash.doFinal(out, outOff);
        active = false;
        Arrays.fill(keyBlock, (byte) 0);
        Arrays.fill(pad, (byte) 0);
        Arrays.fill(innerHash, (byte) 0);
    }

    /**
     * One-shot HMAC-BLAKE2s-256 of {@code in[inOff..inOff+inLen)} under
     * {@code key[keyOff..keyOff+keyLen)}, written as 32 bytes to {@code out[outOff..]}.
     *
     * @throws IndexOutOfBoundsException if a range is outside its array
     */
    public void mac(byte[] key, int keyOff, int keyLen, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, MAC_LENGTH, out.length);
        init(key, keyOff, keyLen);
        hash.update(in, inOff, inLen);
        doFinal(out, outOff);
    }

    private void xorPad(byte b) {
        for (int i = 0; i < Blake2s.BLOCK_LENGTH; i++) {
            pad[i] = (byte) (keyBlock[i] ^ b);
        }
    }

    private void checkActive() {
        if (!active) {
            throw new IllegalStateException("HMAC not started: call init() first");
        }
    }
}
