package io.jwg.wg.cookie;

import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_MAC_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_NONCE_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_SECRET_MAX_AGE_NS;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_HASH_LENGTH;

import io.jwg.crypto.Blake2s;
import io.jwg.crypto.ConstantTime;
import io.jwg.crypto.XChaCha20Poly1305;
import io.jwg.wg.noise.StaticIdentity;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.protocol.CookieReplyMessage;
import io.jwg.wg.protocol.ProtocolConstants;
import io.jwg.wg.ratelimit.HandshakeRateLimiter;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.random.RandomGenerator;

/**
 * The responder side of the cookie mechanism (whitepaper 5.3, 5.4.7; kernel {@code cookie.c}
 * {@code cookie_checker}): checks mac1 (always) and mac2 (under load) of incoming handshake
 * messages, and creates cookie replies. The cookie for a source is {@code MAC(R, ip || port)} with a
 * random secret {@code R} regenerated every COOKIE_SECRET_MAX_AGE. Called by handshake workers;
 * {@code synchronized}.
 */
public final class CookieChecker {
    private final RandomGenerator random;
    private final HandshakeRateLimiter rateLimiter;
    private final Blake2s blake = new Blake2s(COOKIE_MAC_LENGTH);
    private final byte[] secret = new byte[NOISE_HASH_LENGTH];
    private final byte[] mac = new byte[COOKIE_MAC_LENGTH];
    private final byte[] cookie = new byte[COOKIE_LENGTH];
    private final byte[] source = new byte[18];
    private final byte[] nonce = new byte[COOKIE_NONCE_LENGTH];
    private final byte[] mac1 = new byte[COOKIE_MAC_LENGTH];
    private final byte[] encrypted = new byte[CookieReplyMessage.ENCRYPTED_COOKIE_LENGTH];
    private byte[] mac1Key;
    private byte[] cookieKey;
    private boolean hasSecret;
    private long secretBirthNs;

    /**
     * @param random      source of the cookie secret and reply nonces (thread-safe if shared)
     * @param rateLimiter per-source limiter applied to messages with a valid mac2
     */
    public CookieChecker(final RandomGenerator random, final HandshakeRateLimiter rateLimiter) {
        this.random = random;
        this.rateLimiter = rateLimiter;
    }

    /** Takes the mac1 and cookie keys of a new identity (null: no identity, every mac1 is invalid). */
    public synchronized void setIdentity(final StaticIdentity identity) {
        mac1Key = identity == null ? null : identity.mac1Key();
        cookieKey = identity == null ? null : identity.cookieKey();
    }

    /**
     * Checks the MACs of the handshake message {@code msg[off, off + length)} received from
     * {@code source}. mac1 covers the bytes before it ({@code length - 32}), mac2 the bytes before it.
     *
     * @param checkCookie true when under load: then mac2 must carry the source's cookie and the source
     *                    must be within its rate
     */
    public synchronized MacState validate(final MemorySegment msg, final long off, final int length,
                                          final Endpoint source, final boolean checkCookie, final long nowNs) {
        if (mac1Key == null) {
            return MacState.INVALID_MAC;
        }
        final int mac1Off = length - 2 * COOKIE_MAC_LENGTH;
        computeMac(mac1Key, msg, off, mac1Off, mac);
        if (!ConstantTime.equals(MemorySegment.ofArray(mac), 0, msg, off + mac1Off, COOKIE_MAC_LENGTH)) {
            return MacState.INVALID_MAC;
        }
        if (!checkCookie) {
            return MacState.VALID_MAC_BUT_NO_COOKIE;
        }
        makeCookie(source, nowNs);
        computeMac(cookie, msg, off, mac1Off + COOKIE_MAC_LENGTH, mac);
        final boolean mac2Ok = ConstantTime.equals(MemorySegment.ofArray(mac), 0, msg,
                off + mac1Off + COOKIE_MAC_LENGTH, COOKIE_MAC_LENGTH);
        ConstantTime.zero(cookie);
        if (!mac2Ok) {
            return MacState.VALID_MAC_BUT_NO_COOKIE;
        }
        if (!rateLimiter.allow(source, nowNs)) {
            return MacState.VALID_MAC_WITH_COOKIE_BUT_RATELIMITED;
        }
        return MacState.VALID_MAC_WITH_COOKIE;
    }

    /**
     * Writes a cookie reply (64 bytes) to {@code dst[dstOff..)} answering the handshake message
     * {@code msg[off, off + length)} from {@code source}: receiver = the message's sender index,
     * random nonce, cookie encrypted under HASH(LABEL_COOKIE || S_own.pub) with the message's mac1
     * as associated data.
     *
     * @param senderIndex the sender index of the message being answered
     * @return false if there is no identity (nothing written)
     */
    public synchronized boolean createReply(final MemorySegment msg, final long off, final int length,
                                            final int senderIndex, final Endpoint source, final long nowNs,
                                            final MemorySegment dst, final long dstOff) {
        if (cookieKey == null) {
            return false;
        }
        MemorySegment.copy(msg, ValueLayout.JAVA_BYTE, off + length - 2L * COOKIE_MAC_LENGTH, mac1, 0,
                COOKIE_MAC_LENGTH);
        random.nextBytes(nonce);
        makeCookie(source, nowNs);
        XChaCha20Poly1305.seal(cookieKey, nonce, mac1, cookie, 0, COOKIE_LENGTH, encrypted, 0);
        ConstantTime.zero(cookie);
        io.jwg.wg.protocol.MessageHeader.putType(dst, dstOff, ProtocolConstants.MESSAGE_HANDSHAKE_COOKIE);
        CookieReplyMessage.putReceiverIndex(dst, dstOff, senderIndex);
        MemorySegment.copy(nonce, 0, dst, ValueLayout.JAVA_BYTE, dstOff + CookieReplyMessage.NONCE_OFFSET,
                COOKIE_NONCE_LENGTH);
        MemorySegment.copy(encrypted, 0, dst, ValueLayout.JAVA_BYTE,
                dstOff + CookieReplyMessage.ENCRYPTED_COOKIE_OFFSET, encrypted.length);
        return true;
    }

    /** cookie = MAC(R, ip || port), regenerating R when it is older than COOKIE_SECRET_MAX_AGE. */
    private void makeCookie(final Endpoint src, final long nowNs) {
        if (!hasSecret || nowNs - secretBirthNs >= COOKIE_SECRET_MAX_AGE_NS) {
            random.nextBytes(secret);
            secretBirthNs = nowNs;
            hasSecret = true;
        }
        final int n = src.writeAddressAndPort(source, 0);
        blake.reset(COOKIE_LENGTH, secret, 0, NOISE_HASH_LENGTH).update(source, 0, n).doFinal(cookie, 0);
    }

    private void computeMac(final byte[] key, final MemorySegment msg, final long off, final int len,
                            final byte[] out) {
        blake.reset(COOKIE_MAC_LENGTH, key, 0, key.length).update(msg, off, len).doFinal(out, 0);
    }
}
