package io.jwg.wg.peer;

import io.jwg.wg.cookie.PeerCookie;
import io.jwg.wg.noise.Handshake;
import io.jwg.wg.noise.HandshakeKeys;
import io.jwg.wg.noise.Keypair;
import io.jwg.wg.noise.Keypairs;
import io.jwg.wg.timers.PeerTimers;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A configured peer: its static public key and everything the protocol keeps per peer (handshake,
 * keypairs, timers, cookie, staged packets, endpoint, statistics). Each component documents its own
 * thread-safety; the fields here are final or volatile, so a {@code Peer} may be shared freely.
 */
public final class Peer {
    private final PeerKey publicKey;
    private final byte[] initiatorInitialHash;
    private final Handshake handshake = new Handshake();
    private final Keypairs keypairs;
    private final PeerTimers timers;
    private final PeerCookie cookie;
    private final StagedPackets staged = new StagedPackets();
    private final AtomicLong rxBytes = new AtomicLong();
    private final AtomicLong txBytes = new AtomicLong();
    private volatile Endpoint endpoint;
    private volatile long lastHandshakeWallNs;
    private volatile boolean removed;
    private volatile Object attachment;

    /**
     * @param publicKey the peer's static public key
     * @param random    jitter source for its timers (thread-safe if shared)
     * @param retire    called for every keypair that leaves the peer's slots (index table removal)
     */
    public Peer(final PeerKey publicKey, final RandomGenerator random, final Consumer<Keypair> retire) {
        this.publicKey = publicKey;
        this.initiatorInitialHash = HandshakeKeys.responderInitialHash(publicKey.ref());
        this.keypairs = new Keypairs(retire);
        this.timers = new PeerTimers(random);
        this.cookie = new PeerCookie(publicKey.ref());
    }

    /** The peer's static public key. */
    public PeerKey publicKey() {
        return publicKey;
    }

    /** The peer's static public key bytes (a reference; do not modify). */
    public byte[] publicKeyBytes() {
        return publicKey.ref();
    }

    /** HASH(H0 || S_peer.pub): where our initiations to this peer start (a reference; do not modify). */
    public byte[] initiatorInitialHash() {
        return initiatorInitialHash;
    }

    /** Handshake state. */
    public Handshake handshake() {
        return handshake;
    }

    /** previous / current / next keypairs. */
    public Keypairs keypairs() {
        return keypairs;
    }

    /** The five timers. */
    public PeerTimers timers() {
        return timers;
    }

    /** mac1/mac2 and cookie state for messages we send to this peer. */
    public PeerCookie cookie() {
        return cookie;
    }

    /** Packets waiting for a session. */
    public StagedPackets staged() {
        return staged;
    }

    /** Current endpoint (frozen), or null if none is configured or learned. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** Sets the endpoint (configuration, {@code endpoint=}); stored frozen. */
    public void setEndpoint(final Endpoint e) {
        endpoint = e == null ? null : e.frozenCopy();
    }

    /**
     * Roaming: adopts the outer source of an authenticated packet as the endpoint, allocating only
     * if it differs from the current one. Call only for consumed handshakes and for transport
     * packets that passed decryption and the replay check, never for cookie replies.
     *
     * @return true if the endpoint changed
     */
    public boolean updateEndpointFrom(final Endpoint source) {
        final Endpoint current = endpoint;
        if (source == null || source.sameAs(current)) {
            return false;
        }
        endpoint = source.frozenCopy();
        return true;
    }

    /** Clears the cached local source of the endpoint (before handshake retries). */
    public void clearEndpointSource() {
        final Endpoint e = endpoint;
        if (e != null && e.hasSource()) {
            endpoint = e.withoutSource();
        }
    }

    /** Bytes received (whole WireGuard messages, handshakes included). */
    public long rxBytes() {
        return rxBytes.get();
    }

    /** Bytes sent (whole WireGuard messages, handshakes included). */
    public long txBytes() {
        return txBytes.get();
    }

    /** Adds to the received byte count. */
    public void addRxBytes(final long n) {
        rxBytes.addAndGet(n);
    }

    /** Adds to the sent byte count. */
    public void addTxBytes(final long n) {
        txBytes.addAndGet(n);
    }

    /** Wall-clock time (Unix epoch ns) of the last completed handshake, 0 if never. */
    public long lastHandshakeWallNs() {
        return lastHandshakeWallNs;
    }

    /** Records a completed handshake at wall-clock time {@code wallNs}. */
    public void setLastHandshakeWallNs(final long wallNs) {
        lastHandshakeWallNs = wallNs;
    }

    /** Whether the peer was removed from its device (no new work may start for it). */
    public boolean isRemoved() {
        return removed;
    }

    /** Marks the peer removed. */
    public void markRemoved() {
        removed = true;
    }

    /** An object a pipeline may attach to the peer (its per-peer queues, for example). */
    public Object attachment() {
        return attachment;
    }

    /** Attaches an object (see {@link #attachment()}). */
    public void attach(final Object o) {
        attachment = o;
    }

    @Override
    public String toString() {
        return "Peer{" + publicKey.toBase64() + "}";
    }
}
