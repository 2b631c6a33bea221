package io.jwg.wg.cookie;

import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_MAC_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_NONCE_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_SECRET_LATENCY_NS;
import static io.jwg.wg.protocol.ProtocolConstants.COOKIE_SECRET_MAX_AGE_NS;

import io.jwg.crypto.Blake2s;
import io.jwg.crypto.ConstantTime;
import io.jwg.crypto.XChaCha20Poly1305;
import io.jwg.wg.noise.HandshakeKeys;
import io.jwg.wg.protocol.CookieReplyMessage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The initiator side of the cookie mechanism for one peer (kernel {@code struct cookie}): adds
 * mac1 (key HASH(LABEL_MAC1 || S_peer.pub)) and mac2 (key = the last cookie received, while younger
 * than COOKIE_SECRET_MAX_AGE - COOKIE_SECRET_LATENCY, else zeros) to the handshake messages we send,
 * remembers the last mac1, and consumes cookie replies encrypted to that mac1. {@code synchronized};
 * any handshake thread may use it.
 */
public final class PeerCookie {
    private final byte[] mac1Key;
    private final byte[] decryptionKey;
    private final Blake2s blake = new Blake2s(COOKIE_MAC_LENGTH);
    private final byte[] cookie = new byte[COOKIE_LENGTH];
    private final byte[] lastMac1Sent = new byte[COOKIE_MAC_LENGTH];
    private final byte[] nonce = new byte[COOKIE_NONCE_LENGTH];
    private final byte[] encrypted = new byte[CookieReplyMessage.ENCRYPTED_COOKIE_LENGTH];
    private final byte[] decrypted = new byte[COOKIE_LENGTH];
    private final byte[] mac = new byte[COOKIE_MAC_LENGTH];
    private boolean haveSentMac1;
    private boolean cookieValid;
    private long cookieBirthNs;

    /** Cookie state for the peer whose static public key is {@code peerPublicKey}. */
    public PeerCookie(final byte[] peerPublicKey) {
        this.mac1Key = HandshakeKeys.mac1Key(peerPublicKey);
        this.decryptionKey = HandshakeKeys.cookieKey(peerPublicKey);
    }

    /**
     * Fills mac1 and mac2 of the handshake message {@code msg[off, off + length)} (initiation or
     * response; the MACs are its last 32 bytes).
     */
    public synchronized void addMacs(final MemorySegment msg, final long off, final int length, final long nowNs) {
        final int mac1Off = length - 2 * COOKIE_MAC_LENGTH;
        blake.reset(COOKIE_MAC_LENGTH, mac1Key, 0, mac1Key.length).update(msg, off, mac1Off).doFinal(lastMac1Sent, 0);
        MemorySegment.copy(lastMac1Sent, 0, msg, ValueLayout.JAVA_BYTE, off + mac1Off, COOKIE_MAC_LENGTH);
        haveSentMac1 = true;
        if (cookieValid && nowNs - cookieBirthNs < COOKIE_SECRET_MAX_AGE_NS - COOKIE_SECRET_LATENCY_NS) {
            blake.reset(COOKIE_MAC_LENGTH, cookie, 0, COOKIE_LENGTH).update(msg, off, mac1Off + COOKIE_MAC_LENGTH)
                    .doFinal(mac, 0);
            MemorySegment.copy(mac, 0, msg, ValueLayout.JAVA_BYTE, off + mac1Off + COOKIE_MAC_LENGTH, COOKIE_MAC_LENGTH);
        } else {
            msg.asSlice(off + mac1Off + COOKIE_MAC_LENGTH, COOKIE_MAC_LENGTH).fill((byte) 0);
        }
    }

    /**
     * Consumes a cookie reply addressed to one of this peer's indices. Succeeds only if we sent a
     * mac1 since the last cookie and the reply decrypts with it as associated data. A consumed reply
     * does not trigger a retransmission and must not change the peer's endpoint.
     *
     * @return true if a fresh cookie was stored
     */
    public synchronized boolean consumeReply(final MemorySegment reply, final long off, final long nowNs) {
        if (!haveSentMac1) {
            return false;
        }
        MemorySegment.copy(reply, ValueLayout.JAVA_BYTE, off + CookieReplyMessage.NONCE_OFFSET, nonce, 0,
                COOKIE_NONCE_LENGTH);
        MemorySegment.copy(reply, ValueLayout.JAVA_BYTE, off + CookieReplyMessage.ENCRYPTED_COOKIE_OFFSET, encrypted, 0,
                encrypted.length);
        if (!XChaCha20Poly1305.open(decryptionKey, nonce, lastMac1Sent, encrypted, 0, encrypted.length, decrypted, 0)) {
            return false;
        }
        System.arraycopy(decrypted, 0, cookie, 0, COOKIE_LENGTH);
        ConstantTime.zero(decrypted);
        cookieBirthNs = nowNs;
        cookieValid = true;
        haveSentMac1 = false;
        return true;
    }

    /** Whether a cookie is held that is still used for mac2 at {@code nowNs}. */
    public synchronized boolean hasFreshCookie(final long nowNs) {
        return cookieValid && nowNs - cookieBirthNs < COOKIE_SECRET_MAX_AGE_NS - COOKIE_SECRET_LATENCY_NS;
    }

    /** Forgets the cookie and the last mac1. */
    public synchronized void clear() {
        ConstantTime.zero(cookie);
        cookieValid = false;
        haveSentMac1 = false;
    }
}
