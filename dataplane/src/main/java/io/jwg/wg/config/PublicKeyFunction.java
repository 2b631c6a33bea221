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
}
