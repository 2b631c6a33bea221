package io.jwg.wg.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Test helpers for keys. {@link #FAKE_PUBLIC} is a stand-in for X25519 in tests that only need a
 * deterministic, collision-free private-to-public mapping (SHA-256 of the clamped private key);
 * tests that need real Curve25519 values use the crypto module's X25519.
 */
public final class TestKeys {

    /** A deterministic private-to-public mapping for tests (not Curve25519). */
    public static final PublicKeyFunction FAKE_PUBLIC = priv -> Key.of(sha256(priv.clampedAsPrivateKey().toByteArray()));

    private TestKeys() {
    }

    /** A key derived from a label: distinct labels give distinct keys. */
    public static Key key(final String label) {
        return Key.of(sha256(label.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(final byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (final NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
