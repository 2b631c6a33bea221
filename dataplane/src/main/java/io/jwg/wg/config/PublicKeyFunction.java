package io.jwg.wg.config;

/**
 * Derives a Curve25519 public key from a private key (X25519 with the base point, RFC 7748 §6.1).
 * Implementations clamp the scalar as RFC 7748 decodeScalar25519 does, so clamped and unclamped
 * forms of one key give the same result. Stateless and thread-safe.
 */
@FunctionalInterface
public interface PublicKeyFunction {

    /** The public key of {@code privateKey}. */
    Key publicKey(Key privateKey);

    /** Curve25519 through {@link io.jwg.crypto.X25519} (constant time). */
    static PublicKeyFunction x25519() {
        return priv -> {
            final byte[] k = priv.toByteArray();
            final byte[] pub = new byte[Key.LENGTH];
            io.jwg.crypto.X25519.publicKey(k, pub);
            java.util.Arrays.fill(k, (byte) 0);
            return Key.of(pub);
        };
    }
}
