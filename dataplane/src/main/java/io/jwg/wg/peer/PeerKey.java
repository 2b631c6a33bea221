package io.jwg.wg.peer;

import static io.jwg.wg.protocol.ProtocolConstants.NOISE_PUBLIC_KEY_LENGTH;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A 32-byte Curve25519 public key as a map key (content equality). Immutable; the bytes are copied in
 * and out.
 */
public final class PeerKey {
    private final byte[] bytes;
    private final int hash;

    private PeerKey(final byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** A key from 32 bytes (copied). */
    public static PeerKey of(final byte[] key) {
        return of(key, 0);
    }

    /** A key from the 32 bytes at {@code off} (copied). */
    public static PeerKey of(final byte[] key, final int off) {
        if (key.length - off < NOISE_PUBLIC_KEY_LENGTH || off < 0) {
            throw new IllegalArgumentException("a public key has 32 bytes");
        }
        return new PeerKey(Arrays.copyOfRange(key, off, off + NOISE_PUBLIC_KEY_LENGTH));
    }

    /** A key from 64 hex digits (the UAPI form). */
    public static PeerKey fromHex(final String hex) {
        if (hex.length() != 2 * NOISE_PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("a public key has 64 hex digits");
        }
        return new PeerKey(HexFormat.of().parseHex(hex));
    }

    /** A key from base64 (the wg(8) configuration form). */
    public static PeerKey fromBase64(final String b64) {
        return of(Base64.getDecoder().decode(b64));
    }

    /** The key bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Copies the key into {@code out} at {@code off}. */
    public void copyTo(final byte[] out, final int off) {
        System.arraycopy(bytes, 0, out, off, NOISE_PUBLIC_KEY_LENGTH);
    }

    /** Lowercase hex (the UAPI form). */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Base64 (the wg(8) form). */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    byte[] ref() {
        return bytes;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof PeerKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return toBase64();
    }
}
