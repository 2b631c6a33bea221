package io.jwg.wg.noise;

import static io.jwg.wg.protocol.ProtocolConstants.NOISE_HASH_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_PUBLIC_KEY_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_SYMMETRIC_KEY_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_TIMESTAMP_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.REKEY_TIMEOUT_NS;

import io.jwg.crypto.ConstantTime;

/**
 * A peer's handshake state (kernel {@code noise_handshake}): the Noise state between messages, the
 * PSK, the precomputed static-static DH, and the replay/flood/rate-limit bookkeeping. Guarded by its
 * own monitor: {@link NoiseHandshake} and the device lock it ({@code synchronized (handshake)})
 * around every read-modify-write; fields are package-private for that code.
 */
public final class Handshake {
    HandshakeState state = HandshakeState.ZEROED;
    final byte[] ephemeralPrivate = new byte[NOISE_PUBLIC_KEY_LENGTH];
    final byte[] remoteEphemeral = new byte[NOISE_PUBLIC_KEY_LENGTH];
    final byte[] hash = new byte[NOISE_HASH_LENGTH];
    final byte[] chainingKey = new byte[NOISE_HASH_LENGTH];
    final byte[] precomputedStaticStatic = new byte[NOISE_PUBLIC_KEY_LENGTH];
    final byte[] presharedKey = new byte[NOISE_SYMMETRIC_KEY_LENGTH];
    /** Greatest TAI64N timestamp accepted from the peer (all zeros: none). */
    final byte[] latestTimestamp = new byte[NOISE_TIMESTAMP_LENGTH];
    int remoteIndex;
    /** Index-table entry of the initiation or response we sent last, or null. */
    HandshakeEntry entry;
    boolean consumedInitiation;
    long lastInitiationConsumptionNs;
    boolean sentHandshake;
    long lastSentHandshakeNs;

    /** Current state. */
    public synchronized HandshakeState state() {
        return state;
    }

    /** Sets the pre-shared key (32 bytes; all zeros = none). Takes effect at the next handshake. */
    public synchronized void setPresharedKey(final byte[] psk) {
        if (psk.length != NOISE_SYMMETRIC_KEY_LENGTH) {
            throw new IllegalArgumentException("preshared key must be 32 bytes");
        }
        System.arraycopy(psk, 0, presharedKey, 0, NOISE_SYMMETRIC_KEY_LENGTH);
    }

    /** The pre-shared key (a copy; all zeros when none). */
    public synchronized byte[] presharedKey() {
        return presharedKey.clone();
    }

    /**
     * Recomputes DH(S_own.priv, S_peer.pub) for a new identity (or zeroes it when there is none).
     *
     * @return false if there is no identity or the result is all zeros: no handshake is possible
     */
    public synchronized boolean setIdentity(final StaticIdentity identity, final byte[] peerPublicKey) {
        if (identity == null) {
            ConstantTime.zero(precomputedStaticStatic);
            return false;
        }
        return identity.staticStatic(peerPublicKey, precomputedStaticStatic);
    }

    /**
     * Whether an initiation may be sent now: none was sent, or the last handshake message (initiation
     * or response) went out at least REKEY_TIMEOUT ago (kernel {@code last_sent_handshake}).
     */
    public synchronized boolean mayInitiate(final long nowNs) {
        return !sentHandshake || nowNs - lastSentHandshakeNs >= REKEY_TIMEOUT_NS;
    }

    /** Records that a handshake message was sent now. */
    public synchronized void markHandshakeSent(final long nowNs) {
        sentHandshake = true;
        lastSentHandshakeNs = nowNs;
    }

    /** Forgets when the last handshake message was sent (private key change, interface down). */
    public synchronized void resetLastSentHandshake() {
        sentHandshake = false;
    }

    /** Zeroes the in-flight Noise state (kernel {@code handshake_zero}); keeps PSK, timestamp, ss. */
    void zeroState() {
        ConstantTime.zero(ephemeralPrivate);
        ConstantTime.zero(remoteEphemeral);
        ConstantTime.zero(hash);
        ConstantTime.zero(chainingKey);
        remoteIndex = 0;
        state = HandshakeState.ZEROED;
    }

    /** Wipes everything, PSK and precomputed DH included (peer removed). */
    public synchronized void wipeAll() {
        zeroState();
        ConstantTime.zero(presharedKey);
        ConstantTime.zero(precomputedStaticStatic);
    }
}
