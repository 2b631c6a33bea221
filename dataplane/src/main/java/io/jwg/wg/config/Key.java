package io.jwg.wg.config;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * An immutable 32-byte WireGuard key (private, public or preshared), with the two text codecs the
 * tools use: lowercase hex on the UAPI socket and padded standard base64 in {@code wg(8)} output
 * and config files.
 *
 * <p>Parsing returns {@code null} for malformed text (never throws). Both decoders accept exactly
 * what {@code wg(8)} accepts ({@code wireguard-tools/src/encoding.c}): hex is 64 digits of either
 * case; base64 is 44 characters of the standard alphabet ending in {@code '='} whose unused low
 * bits are zero. {@link #equals} is constant-time. {@link #toString()} never prints the key, so a
 * private key cannot leak into a log by accident.
 */
public final class Key {

    /** Key length in bytes (NOISE_PUBLIC_KEY_LEN = NOISE_SYMMETRIC_KEY_LEN = 32). */
    public static final int LENGTH = 32;
    /** Length of the hex text form. */
    public static final int HEX_LENGTH = 2 * LENGTH;
    /** Length of the base64 text form (43 significant characters and one {@code '='}). */
    public static final int BASE64_LENGTH = 44;
    /** The all-zero key, which UAPI uses to mean "no key". */
    public static final Key ZERO = new Key(new byte[LENGTH]);

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
    private static final char[] B64_ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private final byte[] bytes;

    private Key(final byte[] ownedBytes) {
        this.bytes = ownedBytes;
    }

    /** Returns a key holding a copy of {@code source[offset .. offset+32)}. */
    public static Key of(final byte[] source, final int offset) {
        if (offset < 0 || source.length - offset < LENGTH) {
            throw new IllegalArgumentException("need 32 bytes at offset " + offset + " of " + source.length);
        }
        return new Key(Arrays.copyOfRange(source, offset, offset + LENGTH));
    }

    /** Returns a key holding a copy of {@code source}, which must be exactly 32 bytes long. */
    public static Key of(final byte[] source) {
        if (source.length != LENGTH) {
            throw new IllegalArgumentException("a key is 32 bytes, got " + source.length);
        }
        return of(source, 0);
    }

    /** Parses 64 hex digits (either case); returns {@code null} if the text is anything else. */
    public static Key parseHex(final CharSequence text) {
        if (text == null || text.length() != HEX_LENGTH) {
            return null;
        }
        final byte[] out = new byte[LENGTH];
        int bad = 0;
        for (int i = 0; i < LENGTH; i++) {
            final int hi = hexValue(text.charAt(2 * i));
            final int lo = hexValue(text.charAt(2 * i + 1));
            bad |= (hi | lo) >>> 31;
            out[i] = (byte) ((hi << 4) | (lo & 0xf));
        }
        return bad == 0 ? new Key(out) : null;
    }

    /** Parses the 44-character padded base64 form {@code wg(8)} uses; {@code null} if malformed. */
    public static Key parseBase64(final CharSequence text) {
        if (text == null || text.length() != BASE64_LENGTH || text.charAt(BASE64_LENGTH - 1) != '=') {
            return null;
        }
        final byte[] out = new byte[LENGTH];
        int bad = 0;
        // Ten full groups of 4 characters -> 30 bytes.
        for (int g = 0; g < 10; g++) {
            final int v = b64Group(text, 4 * g, 4);
            bad |= v >>> 31;
            out[3 * g] = (byte) (v >>> 16);
            out[3 * g + 1] = (byte) (v >>> 8);
            out[3 * g + 2] = (byte) v;
        }
        // Last group: 3 characters carry 18 bits for the final 2 bytes; the 2 spare bits must be zero.
        final int v = b64Group(text, 40, 3);
        bad |= (v >>> 31) | (v & 0xff);
        out[30] = (byte) (v >>> 16);
        out[31] = (byte) (v >>> 8);
        return bad == 0 ? new Key(out) : null;
    }

    /** Lowercase hex, 64 characters (the UAPI form). */
    public String toHex() {
        final char[] out = new char[HEX_LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Padded standard base64, 44 characters (the {@code wg(8)} form). */
    public String toBase64() {
        final char[] out = new char[BASE64_LENGTH];
        for (int g = 0; g < 11; g++) {
            final int b0 = bytes[3 * g] & 0xff;
            final int b1 = bytes[3 * g + 1] & 0xff;
            final int b2 = g < 10 ? bytes[3 * g + 2] & 0xff : 0;
            final int v = (b0 << 16) | (b1 << 8) | b2;
            out[4 * g] = B64_ALPHABET[(v >>> 18) & 63];
            out[4 * g + 1] = B64_ALPHABET[(v >>> 12) & 63];
            out[4 * g + 2] = B64_ALPHABET[(v >>> 6) & 63];
            if (g < 10) {
                out[4 * g + 3] = B64_ALPHABET[v & 63];
            }
        }
        out[BASE64_LENGTH - 1] = '=';
        return new String(out);
    }

    /**
     * This key clamped as an X25519 private key (RFC 7748 decodeScalar25519: byte 0 &amp;= 248,
     * byte 31 = (byte 31 &amp; 127) | 64). wireguard-go and the kernel store private keys clamped,
     * so UAPI {@code get} returns the clamped form of what was set.
     */
    public Key clampedAsPrivateKey() {
        final byte[] c = bytes.clone();
        c[0] &= (byte) 248;
        c[31] = (byte) ((c[31] & 127) | 64);
        return new Key(c);
    }

    /** True if all 32 bytes are zero (UAPI's "no key"); constant-time. */
    public boolean isZero() {
        int acc = 0;
        for (final byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }

    /** A fresh copy of the 32 bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Copies the 32 bytes into {@code dst[offset ..]}. */
    public void copyTo(final byte[] dst, final int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Key k && MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        // Keys are uniformly random (public keys, PSKs), so four bytes are as good as all 32.
        return (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8 | (bytes[2] & 0xff) << 16 | bytes[3] << 24;
    }

    /** Never prints key material; use {@link #toBase64()} or {@link #toHex()} deliberately. */
    @Override
    public String toString() {
        return "Key[redacted]";
    }

    /** 0..15 for a hex digit of either case, a negative value otherwise. */
    private static int hexValue(final char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        final char lower = (char) (c | 0x20);
        if (lower >= 'a' && lower <= 'f') {
            return lower - 'a' + 10;
        }
        return -1;
    }

    /** 0..63 for a standard base64 character, a negative value otherwise. */
    private static int b64Value(final char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        if (c == '/') {
            return 63;
        }
        return -1;
    }

    /** Decodes {@code count} (3 or 4) characters into the high bits of a 24-bit value; negative if any is bad. */
    private static int b64Group(final CharSequence text, final int start, final int count) {
        int v = 0;
        int bad = 0;
        for (int i = 0; i < count; i++) {
            final int d = b64Value(text.charAt(start + i));
            bad |= d;
            v |= (d & 63) << (18 - 6 * i);
        }
        return bad < 0 ? -1 : v;
    }
}
