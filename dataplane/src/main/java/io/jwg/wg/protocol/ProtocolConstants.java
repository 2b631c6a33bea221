package io.jwg.wg.protocol;

import java.nio.charset.StandardCharsets;

/**
 * WireGuard specification constants, named as in the whitepaper (section numbers in brackets) and the
 * kernel's {@code messages.h}. Implementation choices (queue depths, table sizes, MTU) live in
 * {@link ImplementationLimits}, never here.
 *
 * <p>All times are in nanoseconds ({@code _NS}); counters are unsigned 64-bit values held in a
 * {@code long} and must be compared with {@link Long#compareUnsigned}.
 */
public final class ProtocolConstants {
    private ProtocolConstants() {
    }

    // ---------------------------------------------------------------- construction strings [5.4]

    /** Noise protocol name, {@code Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s} (37 bytes) [5.4]. */
    public static final byte[] CONSTRUCTION = ascii("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s");
    /** WireGuard identifier, mixed into the hash like a Noise prologue (34 bytes) [5.4]. */
    public static final byte[] IDENTIFIER = ascii("WireGuard v1 zx2c4 Jason@zx2c4.com");
    /** Label for the mac1 key: {@code HASH(LABEL_MAC1 || S_pub)} [5.4.4]. */
    public static final byte[] LABEL_MAC1 = ascii("mac1----");
    /** Label for the cookie encryption key: {@code HASH(LABEL_COOKIE || S_pub)} [5.4.7]. */
    public static final byte[] LABEL_COOKIE = ascii("cookie--");

    // ---------------------------------------------------------------- primitive lengths [5.4]

    /** X25519 public and private key length [5.4]. */
    public static final int NOISE_PUBLIC_KEY_LENGTH = 32;
    /** ChaCha20-Poly1305 key length [5.4]. */
    public static final int NOISE_SYMMETRIC_KEY_LENGTH = 32;
    /** BLAKE2s-256 output length, the size of H and C [5.4]. */
    public static final int NOISE_HASH_LENGTH = 32;
    /** Poly1305 tag length [5.4]. */
    public static final int NOISE_AUTH_TAG_LENGTH = 16;
    /** TAI64N timestamp length [5.4.2]. */
    public static final int NOISE_TIMESTAMP_LENGTH = 12;
    /** mac1 / mac2 length: keyed BLAKE2s with 16-byte output [5.4.4]. */
    public static final int COOKIE_MAC_LENGTH = 16;
    /** Cookie length (a 16-byte MAC of the source address) [5.4.7]. */
    public static final int COOKIE_LENGTH = 16;
    /** XChaCha20-Poly1305 nonce length used by cookie replies [5.4.7]. */
    public static final int COOKIE_NONCE_LENGTH = 24;

    // ---------------------------------------------------------------- message types [5.4]

    /** Handshake initiation, type 1 [5.4.2]. */
    public static final int MESSAGE_HANDSHAKE_INITIATION = 1;
    /** Handshake response, type 2 [5.4.3]. */
    public static final int MESSAGE_HANDSHAKE_RESPONSE = 2;
    /** Cookie reply, type 3 [5.4.7]. */
    public static final int MESSAGE_HANDSHAKE_COOKIE = 3;
    /** Transport data, type 4 [5.4.6]. */
    public static final int MESSAGE_DATA = 4;

    // ---------------------------------------------------------------- anti-replay [5.4.6, RFC 6479]

    /** Bits in the anti-replay ring (kernel {@code COUNTER_BITS_TOTAL}). */
    public static final int COUNTER_BITS_TOTAL = 8192;
    /** One ring word is always being recycled, so it does not count toward the window. */
    public static final int COUNTER_REDUNDANT_BITS = Long.SIZE;
    /** Usable window behind the highest counter seen: 8128 [5.4.6]. */
    public static final int COUNTER_WINDOW_SIZE = COUNTER_BITS_TOTAL - COUNTER_REDUNDANT_BITS;

    // ---------------------------------------------------------------- limits [6.1, 6.2]

    /** Send counter after which the initiator starts a new handshake: 2^60 [6.1]. */
    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /**
     * Counter at and above which a keypair may neither send nor receive (unsigned
     * 2^64 - 1 - COUNTER_WINDOW_SIZE - 1, the kernel's value) [6.1].
     */
    public static final long REJECT_AFTER_MESSAGES = -1L - COUNTER_WINDOW_SIZE - 1;
    /** Age after which the initiator of a key rekeys when it sends [6.1]. */
    public static final long REKEY_AFTER_TIME_NS = 120_000_000_000L;
    /** Age after which a key may neither send nor receive [6.1]. */
    public static final long REJECT_AFTER_TIME_NS = 180_000_000_000L;
    /** Time after which a peer gives up retrying a handshake [6.4]. */
    public static final long REKEY_ATTEMPT_TIME_NS = 90_000_000_000L;
    /** Retransmission interval of an unanswered initiation; minimum spacing of initiations [6.4]. */
    public static final long REKEY_TIMEOUT_NS = 5_000_000_000L;
    /** Passive keepalive delay [6.5]. */
    public static final long KEEPALIVE_TIMEOUT_NS = 10_000_000_000L;
    /** Number of handshake attempts that fit into REKEY_ATTEMPT_TIME: 90 / 5 = 18 [6.4]. */
    public static final int MAX_TIMER_HANDSHAKES = (int) (REKEY_ATTEMPT_TIME_NS / REKEY_TIMEOUT_NS);
    /**
     * Upper bound (exclusive) of the random extra delay added to handshake timers; the kernel uses
     * HZ/3, wireguard-go 334 ms [6.4].
     */
    public static final long REKEY_TIMEOUT_JITTER_MAX_NS = 334_000_000L;
    /** Key material is wiped after 3 x REJECT_AFTER_TIME without a new session [6.3]. */
    public static final long ZERO_KEY_MATERIAL_AFTER_NS = 3 * REJECT_AFTER_TIME_NS;
    /**
     * Age at which the initiator, on receiving data, starts its one "last-minute" handshake:
     * REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT = 165 s [6.2].
     */
    public static final long REKEY_LAST_MINUTE_AGE_NS =
            REJECT_AFTER_TIME_NS - KEEPALIVE_TIMEOUT_NS - REKEY_TIMEOUT_NS;

    // ---------------------------------------------------------------- cookies and floods [5.3, 5.4.7]

    /** Lifetime of the responder's random cookie secret [5.4.7]. */
    public static final long COOKIE_SECRET_MAX_AGE_NS = 120_000_000_000L;
    /** Cookies are used by the initiator for COOKIE_SECRET_MAX_AGE minus this latency margin. */
    public static final long COOKIE_SECRET_LATENCY_NS = 5_000_000_000L;
    /** Per-peer limit of consumed initiations (one per 20 ms) [5.1]. */
    public static final int INITIATIONS_PER_SECOND = 50;
    /** Minimum spacing of consumed initiations per peer, 1 s / INITIATIONS_PER_SECOND. */
    public static final long INITIATION_MIN_SPACING_NS = 1_000_000_000L / INITIATIONS_PER_SECOND;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
