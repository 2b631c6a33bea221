package io.jwg.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * WireGuard's KDF: HKDF (RFC 5869) shape over HMAC-BLAKE2s-256; a reusable object, owner thread
 * only (not thread-safe; it holds scratch), allocation-free after construction.
 *
 * <pre>
 *   prk = HMAC(ck, input)
 *   T1  = HMAC(prk, 0x01)
 *   T2  = HMAC(prk, T1 || 0x02)
 *   T3  = HMAC(prk, T2 || 0x03)
 * </pre>
 *
 * {@code kdfN} writes T1..TN, 32 bytes each, to the first 32 bytes of the output arrays. {@code ck}
 * is read completely before any output is written, so {@code t1} may be the same array as
 * {@code ck} (the usual in-place update of the chaining key). Outputs must be distinct arrays from
 * each other. The pseudo-random key and all scratch are zeroed before each method returns.
 */
public final class Kdf {
    /** Length of the chaining key and of each output, in bytes. */
    public static final int LENGTH = HmacBlake2s.MAC_LENGTH;

    private final HmacBlake2s hmac = new HmacBlake2s();
    private final byte[] prk = new byte[LENGTH];
    private final byte[] block = new byte[LENGTH + 1];

    /** Creates a KDF object with its own scratch. */
    public Kdf() {
    }

    /** KDF1: {@code t1 = T1}. */
    public void kdf1(byte[] ck, byte[] in, int inOff, int inLen, byte[] t1) {
        kdf(ck, in, inOff, inLen, t1, null, null);
    }

    /** KDF2: {@code t1 = T1, t2 = T2}. */
    public void kdf2(byte[] ck, byte[] in, int inOff, int inLen, byte[] t1, byte[] t2) {
        kdf(ck, in, inOff, inLen, t1, Objects.requireNonNull(t2, "t2"), null);
    }

    /** KDF3: {@code t1 = T1, t2 = T2, t3 = T3}. */
    public void kdf3(byte[] ck, byte[] in, int inOff, int inLen, byte[] t1, byte[] t2, byte[] t3) {
        kdf(ck, in, inOff, inLen, t1, Objects.requireNonNull(t2, "t2"), Objects.requireNonNull(t3, "t3"));
    }

    private void kdf(byte[] ck, byte[] in, int inOff, int inLen, byte[] t1, byte[] t2, byte[] t3) {
        Objects.checkFromIndexSize(0, LENGTH, ck.length);
        Objects.checkFromIndexSize(0, LENGTH, t1.length);
        if (t2 != null) {
            Objects.checkFromIndexSize(0, LENGTH, t2.length);
        }
        if (t3 != null) {
            Objects.checkFromIndexSize(0, LENGTH, t3.length);
        }
        try {
            hmac.mac(ck, 0, LENGTH, in, inOff, inLen, prk, 0);
            block[0] = 1;
            hmac.mac(prk, 0, LENGTH, block, 0, 1, block, 0); // block[0..32) = T1
            System.arraycopy(block, 0, t1, 0, LENGTH);
            if (t2 == null) {
                return;
            }
            block[LENGTH] = 2;
            hmac.mac(prk, 0, LENGTH, block, 0, LENGTH + 1, block, 0); // block[0..32) = T2
            System.arraycopy(block, 0, t2, 0, LENGTH);
            if (t3 == null) {
                return;
            }
            block[LENGTH] = 3;
            hmac.mac(prk, 0, LENGTH, block, 0, LENGTH + 1, t3, 0);
        } finally {
            Arrays.fill(prk, (byte) 0);
            Arrays.fill(block, (byte) 0);
        }
    }
}
