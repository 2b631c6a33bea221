package io.jwg.wg.core;

import static io.jwg.wg.protocol.ProtocolConstants.REJECT_AFTER_TIME_NS;
import static io.jwg.wg.protocol.ProtocolConstants.REKEY_LAST_MINUTE_AGE_NS;

import io.jwg.crypto.ConstantTime;
import io.jwg.wg.cookie.CookieChecker;
import io.jwg.wg.cookie.MacState;
import io.jwg.wg.noise.HandshakeEntry;
import io.jwg.wg.noise.IndexTable;
import io.jwg.wg.noise.Keypair;
import io.jwg.wg.noise.NoiseHandshake;
import io.jwg.wg.noise.StaticIdentity;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.peer.PeerKey;
import io.jwg.wg.peer.PeerTable;
import io.jwg.wg.protocol.CookieReplyMessage;
import io.jwg.wg.protocol.ImplementationLimits;
import io.jwg.wg.protocol.InitiationMessage;
import io.jwg.wg.protocol.MessageKind;
import io.jwg.wg.protocol.ResponseMessage;
import io.jwg.wg.protocol.TransportMessage;
import io.jwg.wg.ratelimit.HandshakeRateLimiter;
import io.jwg.wg.ratelimit.LoadDetector;
import io.jwg.wg.routing.AllowedIps;
import io.jwg.wg.routing.Prefix;
import io.jwg.wg.stats.CounterEvent;
import io.jwg.wg.stats.Counters;
import io.jwg.wg.stats.DropReason;
import io.jwg.wg.timers.PeerTimers;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collection;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A whole WireGuard device as one sans-I/O object: bytes and the current time in, datagrams to send,
 * packets to deliver and timer deadlines out (through {@link Output} and return values). It wires the
 * protocol components together in the kernel's order and is what the in-memory tests and a simple
 * daemon use; a parallel pipeline uses the same components directly.
 *
 * <p>Threads: every public method is {@code synchronized} on the device, so one I/O thread and one
 * configuration thread may share it. Nothing here blocks or sleeps; {@link #tick} must be called at
 * least by the deadline it returns.
 *
 * <p>Buffers: {@link #onDatagram} decrypts transport data in place in the caller's buffer; everything
 * sent goes out of an internal buffer that is reused after {@link Output} returns.
 */
public final class DeviceCore {
    /** Largest inner packet accepted from the TUN device (the IP total length field's maximum). */
    public static final int MAX_INNER_PACKET = 65535;

    private final RandomGenerator random;
    private final WallClock wallClock;
    private final IndexTable<IndexTable.Entry> index;
    private final PeerTable peers = new PeerTable();
    private final AllowedIps<Peer> allowedIps = new AllowedIps<>();
    private final HandshakeRateLimiter rateLimiter = new HandshakeRateLimiter();
    private final LoadDetector loadDetector = new LoadDetector();
    private final CookieChecker cookieChecker;
    private final NoiseHandshake noise;
    private final Counters counters = new Counters();
    /** Outgoing messages are built here (native, 64-byte aligned); reused after {@link Output} returns. */
    private final MemorySegment txBuf = Arena.ofAuto().allocate(MAX_INNER_PACKET + 64, 64);
    private StaticIdentity identity;
    private int mtu = ImplementationLimits.DEFAULT_MTU;
    private boolean up = true;

    /**
     * @param random    source of keys, indices, nonces and jitter; must be thread-safe if shared
     *                  ({@link java.security.SecureRandom} in production, a seeded {@link java.util.Random}
     *                  in tests)
     * @param wallClock wall time for TAI64N timestamps and last-handshake times
     */
    public DeviceCore(final RandomGenerator random, final WallClock wallClock) {
        this.random = random;
        this.wallClock = wallClock;
        this.index = new IndexTable<>(random);
        this.cookieChecker = new CookieChecker(random, rateLimiter);
        this.noise = new NoiseHandshake(random);
    }

    // ================================================================== configuration

    /**
     * Sets the private key (32 bytes; null or all zeros removes it), with the side effects of
     * protocol.md 1.9: a peer whose public key equals the new public key is removed, every peer's
     * static-static DH is recomputed, current keypairs stop sending and handshakes in progress are
     * dropped, and the mac1/cookie keys change. Setting the same key again changes nothing.
     */
    public synchronized void setPrivateKey(final byte[] privateKey) {
        final boolean remove = privateKey == null || ConstantTime.isZero(privateKey, 0, privateKey.length);
        if (!remove && privateKey.length != 32) {
            throw new IllegalArgumentException("private key must be 32 bytes");
        }
        final StaticIdentity next = remove ? null : StaticIdentity.of(privateKey);
        if (identity != null && next != null && identity.isOwnPublicKey(next.publicKey())) {
            next.wipe();
            return;
        }
        if (next != null) {
            final Peer self = peers.lookup(PeerKey.of(next.publicKey()));
            if (self != null) {
                removePeer(self.publicKey());
            }
        }
        final StaticIdentity old = identity;
        identity = next;
        cookieChecker.setIdentity(next);
        for (final Peer p : peers.list()) {
            p.handshake().setIdentity(next, p.publicKeyBytes());
            NoiseHandshake.clearHandshake(p, index);
            p.handshake().resetLastSentHandshake();
            p.keypairs().expireCurrent();
        }
        if (old != null) {
            old.wipe();
        }
    }

    /**
     * The current static identity (an immutable snapshot), or null without a private key. A pipeline's
     * handshake workers pass it to {@link NoiseHandshake}; when the key changes the old snapshot is
     * wiped, so a handshake computed with it concurrently fails and is retried.
     */
    public synchronized StaticIdentity identity() {
        return identity;
    }

    /** The public key, or null without a private key. */
    public synchronized byte[] publicKey() {
        return identity == null ? null : identity.publicKey();
    }

    /** The (clamped) private key, or null. */
    public synchronized byte[] privateKey() {
        return identity == null ? null : identity.privateKey();
    }

    /**
     * Adds a peer, or returns the existing one with that key. A key equal to our own public key is
     * ignored (returns null), as UAPI requires.
     */
    public synchronized Peer addPeer(final PeerKey key) {
        if (identity != null && identity.isOwnPublicKey(key.bytes())) {
            return null;
        }
        final Peer existing = peers.lookup(key);
        if (existing != null) {
            return existing;
        }
        if (peers.size() >= ImplementationLimits.MAX_PEERS) {
            throw new IllegalStateException("too many peers");
        }
        final Peer p = new Peer(key, random, index::remove);
        p.handshake().setIdentity(identity, p.publicKeyBytes());
        if (!up) {
            p.timers().stop();
        }
        peers.add(p);
        return p;
    }

    /**
     * Removes a peer: its prefixes, sessions, handshake, staged packets and timers.
     *
     * @return false if there was no such peer
     */
    public synchronized boolean removePeer(final PeerKey key) {
        final Peer p = peers.remove(key);
        if (p == null) {
            return false;
        }
        p.markRemoved();
        allowedIps.removeAll(p);
        p.timers().stop();
        NoiseHandshake.clearHandshake(p, index);
        p.keypairs().clear();
        p.staged().clear();
        p.cookie().clear();
        p.handshake().wipeAll();
        return true;
    }

    /** Removes every peer (UAPI {@code replace_peers}). */
    public synchronized void removeAllPeers() {
        for (final Peer p : peers.list()) {
            removePeer(p.publicKey());
        }
    }

    /** The peer with this key, or null. */
    public synchronized Peer peer(final PeerKey key) {
        return peers.lookup(key);
    }

    /** All peers, in the order they were added (a snapshot). */
    public synchronized List<Peer> peers() {
        return peers.list();
    }

    /** Sets a peer's pre-shared key (null or zeros: none); effective from the next handshake. */
    public synchronized void setPresharedKey(final Peer peer, final byte[] psk) {
        peer.handshake().setPresharedKey(psk == null ? new byte[32] : psk);
    }

    /** Sets a peer's endpoint (overrides a learned one at once). */
    public synchronized void setEndpoint(final Peer peer, final Endpoint endpoint) {
        peer.setEndpoint(endpoint);
    }

    /**
     * Sets the persistent keepalive interval in seconds (0 disables); turning it on sends a keepalive
     * at once (through {@code out}).
     */
    public synchronized void setPersistentKeepalive(final Peer peer, final int seconds, final long nowNs,
                                                    final Output out) {
        if (peer.timers().setPersistentKeepalive(seconds, nowNs) && up) {
            sendKeepalive(peer, nowNs, out);
        }
    }

    /** Routes {@code prefix} to {@code peer} (moving it from another peer if needed). */
    public synchronized void addAllowedIp(final Peer peer, final Prefix prefix) {
        allowedIps.insert(prefix, peer);
    }

    /** Removes {@code prefix} if {@code peer} owns it; returns whether it did. */
    public synchronized boolean removeAllowedIp(final Peer peer, final Prefix prefix) {
        return allowedIps.remove(prefix, peer);
    }

    /** Replaces all of {@code peer}'s prefixes by {@code prefixes}. */
    public synchronized void replaceAllowedIps(final Peer peer, final Collection<Prefix> prefixes) {
        allowedIps.removeAll(peer);
        for (final Prefix p : prefixes) {
            allowedIps.insert(p, peer);
        }
    }

    /** The prefixes routed to {@code peer}. */
    public synchronized List<Prefix> allowedIps(final Peer peer) {
        return allowedIps.prefixesOf(peer);
    }

    /** The routing table itself (lock-free lookups for a pipeline). */
    public AllowedIps<Peer> allowedIpsTable() {
        return allowedIps;
    }

    /** The receiver-index table (lock-free lookups for a pipeline). */
    public IndexTable<IndexTable.Entry> indexTable() {
        return index;
    }

    /** The under-load detector (a pipeline reports its queue depth here; tests can force it). */
    public LoadDetector loadDetector() {
        return loadDetector;
    }

    /** Drop and event counters of this device. Read on the device's thread or accept staleness. */
    public Counters counters() {
        return counters;
    }

    /** Sets the tunnel MTU used for padding (0: pad to 16 without a cap). */
    public synchronized void setMtu(final int mtu) {
        if (mtu < 0 || mtu > MAX_INNER_PACKET) {
            throw new IllegalArgumentException("mtu " + mtu);
        }
        this.mtu = mtu;
    }

    /** The tunnel MTU. */
    public synchronized int mtu() {
        return mtu;
    }

    /**
     * Interface down (kernel {@code wg_stop}): staged packets purged, timers stopped, handshakes and
     * keypairs cleared, the initiation rate limit reset.
     */
    public synchronized void down() {
        up = false;
        for (final Peer p : peers.list()) {
            p.staged().clear();
            p.timers().stop();
            NoiseHandshake.clearHandshake(p, index);
            p.keypairs().clear();
            p.handshake().resetLastSentHandshake();
        }
    }

    /** Interface up (kernel {@code wg_open}): timers run again; persistent keepalives go out at once. */
    public synchronized void up(final long nowNs, final Output out) {
        up = true;
        for (final Peer p : peers.list()) {
            p.timers().start();
            sendStaged(p, nowNs, out);
            if (p.timers().persistentKeepaliveSeconds() > 0) {
                sendKeepalive(p, nowNs, out);
            }
        }
    }

    // ================================================================== TUN -> UDP

    /**
     * An IP packet from the TUN device: routes it by destination, then encrypts and sends it with the
     * current session, or stages it (128 per peer, oldest dropped) and starts a handshake.
     *
     * @return null if sent or staged, otherwise the reason it was dropped (also counted)
     */
    public synchronized DropReason onTunPacket(final MemorySegment seg, final long off, final int length,
                                               final long nowNs, final Output out) {
        if (length > MAX_INNER_PACKET || !InnerPacket.isRoutable(seg, off, length)) {
            return drop(DropReason.BAD_OUTBOUND_PACKET);
        }
        final Peer peer = allowedIps.lookupDst(seg, off, length);
        if (peer == null) {
            return drop(DropReason.NO_ROUTE);
        }
        if (peer.endpoint() == null) {
            return drop(DropReason.NO_ENDPOINT);
        }
        if (!up) {
            return drop(DropReason.INTERFACE_DOWN);
        }
        final Keypair kp = peer.keypairs().current();
        if (!peer.staged().isEmpty() || kp == null || !kp.canSend(nowNs)) {
            if (peer.staged().stage(seg, off, length)) {
                counters.drop(DropReason.STAGED_OVERFLOW);
            }
            sendStaged(peer, nowNs, out);
            return null;
        }
        final long counter = kp.nextSendCounter();
        if (!Keypair.isSendCounterUsable(counter)) {
            kp.invalidateSending();
            if (peer.staged().stage(seg, off, length)) {
                counters.drop(DropReason.STAGED_OVERFLOW);
            }
            sendQueuedInitiation(peer, false, nowNs, out);
            return null;
        }
        MemorySegment.copy(seg, off, txBuf, TransportMessage.DATA_OFFSET, length);
        final int n = TransportCodec.encapsulate(kp, counter, txBuf, 0, length, mtu);
        final PeerTimers timers = peer.timers();
        timers.onAnyAuthenticatedPacketTraversal(nowNs);
        timers.onAnyAuthenticatedPacketSent(nowNs);
        send(peer, n, out);
        counters.event(CounterEvent.DATA_SENT);
        timers.onDataSent(nowNs);
        keepKeyFreshAfterSend(peer, nowNs, out);
        return null;
    }

    /**
     * Sends the peer's staged packets, in staging order, with its current session; with no usable
     * session, starts a handshake instead (rate limited) and keeps them staged (kernel
     * {@code wg_packet_send_staged_packets}). For a pipeline that stages packets itself.
     */
    public synchronized void sendStaged(final Peer peer, final long nowNs, final Output out) {
        if (peer.staged().isEmpty()) {
            return;
        }
        final Keypair kp = peer.keypairs().current();
        if (kp == null || !kp.isSendValid()) {
            sendQueuedInitiation(peer, false, nowNs, out);
            return;
        }
        if (nowNs - kp.createdNs() >= REJECT_AFTER_TIME_NS) {
            kp.invalidateSending();
            sendQueuedInitiation(peer, false, nowNs, out);
            return;
        }
        final PeerTimers timers = peer.timers();
        boolean any = false;
        boolean data = false;
        int len;
        while ((len = peer.staged().peekLength()) >= 0) {
            final long counter = kp.nextSendCounter();
            if (!Keypair.isSendCounterUsable(counter)) {
                kp.invalidateSending();
                sendQueuedInitiation(peer, false, nowNs, out);
                break;
            }
            if (!any) {
                timers.onAnyAuthenticatedPacketTraversal(nowNs);
                timers.onAnyAuthenticatedPacketSent(nowNs);
                any = true;
            }
            peer.staged().peek(txBuf, TransportMessage.DATA_OFFSET);
            final int n = TransportCodec.encapsulate(kp, counter, txBuf, 0, len, mtu);
            send(peer, n, out);
            peer.staged().pop();
            counters.event(CounterEvent.DATA_SENT);
            if (len == 0) {
                counters.event(CounterEvent.KEEPALIVE_SENT);
            } else {
                data = true;
            }
        }
        if (data) {
            timers.onDataSent(nowNs);
        }
        if (any) {
            keepKeyFreshAfterSend(peer, nowNs, out);
        }
    }

    /**
     * Sends a keepalive, or the staged packets if there are any (they confirm the session just as
     * well); without a session, stages the keepalive and starts a handshake (kernel
     * {@code wg_packet_send_keepalive}).
     */
    public synchronized void sendKeepalive(final Peer peer, final long nowNs, final Output out) {
        peer.staged().stageKeepaliveIfEmpty();
        sendStaged(peer, nowNs, out);
    }

    /** After sending: rekey when the counter passed REKEY_AFTER_MESSAGES or (initiator) the key aged. */
    private void keepKeyFreshAfterSend(final Peer peer, final long nowNs, final Output out) {
        final Keypair kp = peer.keypairs().current();
        if (kp != null && kp.needsRekeyAfterSend(nowNs)) {
            sendQueuedInitiation(peer, false, nowNs, out);
        }
    }

    /**
     * Starts a (non-retry) handshake with {@code peer} unless a handshake message went out to it within
     * REKEY_TIMEOUT (kernel {@code wg_packet_send_queued_handshake_initiation(peer, false)}); resets the
     * retry count. For a pipeline that finds no usable session.
     */
    public synchronized void initiateHandshake(final Peer peer, final long nowNs, final Output out) {
        sendQueuedInitiation(peer, false, nowNs, out);
    }

    /** Starts a handshake unless one went out within REKEY_TIMEOUT (kernel {@code send_queued_handshake_initiation}). */
    private void sendQueuedInitiation(final Peer peer, final boolean isRetry, final long nowNs, final Output out) {
        if (!isRetry) {
            peer.timers().onNonRetryInitiation();
        }
        if (peer.isRemoved() || !up || !peer.handshake().mayInitiate(nowNs)) {
            return;
        }
        peer.handshake().markHandshakeSent(nowNs);
        if (!noise.createInitiation(peer, identity, index, wallClock.epochNanos(), txBuf, 0)) {
            counters.drop(noise.lastFailure());
            return;
        }
        peer.cookie().addMacs(txBuf, 0, InitiationMessage.LENGTH, nowNs);
        peer.timers().onAnyAuthenticatedPacketTraversal(nowNs);
        peer.timers().onAnyAuthenticatedPacketSent(nowNs);
        peer.handshake().markHandshakeSent(nowNs);
        send(peer, InitiationMessage.LENGTH, out);
        counters.event(CounterEvent.HANDSHAKE_INITIATION_SENT);
        peer.timers().onHandshakeInitiated(nowNs);
    }

    private void send(final Peer peer, final int length, final Output out) {
        final Endpoint e = peer.endpoint();
        if (e == null) {
            counters.drop(DropReason.NO_ENDPOINT);
            return;
        }
        peer.addTxBytes(length);
        out.sendDatagram(peer, e, txBuf, 0, length);
    }

    // ================================================================== UDP -> TUN

    /**
     * A datagram from the UDP socket. Handshake messages are answered as the protocol says (response,
     * or a cookie reply under load); transport data is decrypted in place in {@code seg} and its inner
     * packet delivered. {@code source} is the datagram's outer source (may be a mutable endpoint; it is
     * copied only when a peer's endpoint changes). While the interface is down everything is dropped.
     *
     * @return null if accepted, otherwise the reason it was dropped (also counted)
     */
    public synchronized DropReason onDatagram(final MemorySegment seg, final long off, final int length,
                                              final Endpoint source, final long nowNs, final Output out) {
        java.util.Objects.requireNonNull(source, "source");
        if (!up) {
            return drop(DropReason.INTERFACE_DOWN);
        }
        return switch (MessageKind.classify(seg, off, length)) {
            case INVALID_LENGTH -> drop(DropReason.BAD_LENGTH);
            case INVALID_TYPE -> drop(DropReason.BAD_TYPE);
            case HANDSHAKE_INITIATION, HANDSHAKE_RESPONSE -> onHandshake(seg, off, length, source, nowNs, out);
            case COOKIE_REPLY -> onCookieReply(seg, off, nowNs);
            case TRANSPORT_DATA -> onTransport(seg, off, length, source, nowNs, out);
        };
    }

    private DropReason onHandshake(final MemorySegment seg, final long off, final int length, final Endpoint source,
                                   final long nowNs, final Output out) {
        final boolean initiation = length == InitiationMessage.LENGTH;
        final boolean underLoad = loadDetector.onHandshakeMessage(nowNs);
        final MacState mac = cookieChecker.validate(seg, off, length, source, underLoad, nowNs);
        if (mac == MacState.INVALID_MAC) {
            return drop(DropReason.BAD_MAC1);
        }
        if (underLoad && mac == MacState.VALID_MAC_BUT_NO_COOKIE) {
            final int sender = initiation ? InitiationMessage.senderIndex(seg, off) : ResponseMessage.senderIndex(seg, off);
            if (cookieChecker.createReply(seg, off, length, sender, source, nowNs, txBuf, 0)) {
                out.sendDatagram(null, source, txBuf, 0, CookieReplyMessage.LENGTH);
                counters.event(CounterEvent.COOKIE_REPLY_SENT);
            }
            return drop(DropReason.COOKIE_REQUIRED);
        }
        if (mac == MacState.VALID_MAC_WITH_COOKIE_BUT_RATELIMITED) {
            return drop(DropReason.RATE_LIMITED);
        }
        final Peer peer;
        if (initiation) {
            peer = noise.consumeInitiation(seg, off, identity, peers, nowNs);
            if (peer == null) {
                return drop(noise.lastFailure());
            }
            counters.event(CounterEvent.HANDSHAKE_INITIATION_RECEIVED);
            peer.updateEndpointFrom(source);
            sendResponse(peer, nowNs, out);
        } else {
            peer = noise.consumeResponse(seg, off, identity, index);
            if (peer == null) {
                return drop(noise.lastFailure());
            }
            counters.event(CounterEvent.HANDSHAKE_RESPONSE_RECEIVED);
            peer.updateEndpointFrom(source);
            if (noise.beginSession(peer, index, nowNs) != null) {
                peer.timers().onSessionDerived(nowNs);
                handshakeComplete(peer, nowNs);
                // Staged packets, or a keepalive: immediate key confirmation for the responder.
                sendKeepalive(peer, nowNs, out);
            }
        }
        peer.addRxBytes(length);
        peer.timers().onAnyAuthenticatedPacketReceived(nowNs);
        peer.timers().onAnyAuthenticatedPacketTraversal(nowNs);
        return null;
    }

    private void sendResponse(final Peer peer, final long nowNs, final Output out) {
        peer.handshake().markHandshakeSent(nowNs);
        if (!noise.createResponse(peer, index, txBuf, 0)) {
            counters.drop(noise.lastFailure());
            return;
        }
        peer.cookie().addMacs(txBuf, 0, ResponseMessage.LENGTH, nowNs);
        if (noise.beginSession(peer, index, nowNs) != null) {
            peer.timers().onSessionDerived(nowNs);
            peer.timers().onAnyAuthenticatedPacketTraversal(nowNs);
            peer.timers().onAnyAuthenticatedPacketSent(nowNs);
            peer.handshake().markHandshakeSent(nowNs);
            send(peer, ResponseMessage.LENGTH, out);
            counters.event(CounterEvent.HANDSHAKE_RESPONSE_SENT);
        }
    }

    private void handshakeComplete(final Peer peer, final long nowNs) {
        peer.timers().onHandshakeComplete(nowNs);
        peer.setLastHandshakeWallNs(wallClock.epochNanos());
        counters.event(CounterEvent.SESSION_CONFIRMED);
    }

    private DropReason onCookieReply(final MemorySegment seg, final long off, final long nowNs) {
        final IndexTable.Entry e = index.lookup(CookieReplyMessage.receiverIndex(seg, off));
        final Peer peer;
        if (e instanceof HandshakeEntry he) {
            peer = he.peer();
        } else if (e instanceof Keypair kp) {
            peer = kp.peer();
        } else {
            return drop(DropReason.UNKNOWN_INDEX);
        }
        // No endpoint update and no retransmission: the next timer-driven initiation carries mac2.
        if (!peer.cookie().consumeReply(seg, off, nowNs)) {
            return drop(DropReason.BAD_COOKIE_REPLY);
        }
        counters.event(CounterEvent.COOKIE_REPLY_RECEIVED);
        return null;
    }

    private DropReason onTransport(final MemorySegment seg, final long off, final int length, final Endpoint source,
                                   final long nowNs, final Output out) {
        if (!(index.lookup(TransportMessage.receiverIndex(seg, off)) instanceof Keypair kp)) {
            return drop(DropReason.UNKNOWN_INDEX);
        }
        if (!kp.canReceive(nowNs)) {
            return drop(DropReason.KEYPAIR_EXPIRED);
        }
        final long counter = TransportMessage.counter(seg, off);
        if (!TransportCodec.decapsulate(kp, seg, off, length)) {
            return drop(DropReason.BAD_TAG);
        }
        return onDecrypted(kp, counter, seg, off, length, source, nowNs, out);
    }

    /**
     * The in-order part of receiving (kernel {@code wg_packet_rx_poll} and
     * {@code wg_packet_consume_data_done}), after the tag verified: replay window, key confirmation,
     * roaming, timers, keepalive, inner checks and the AllowedIPs source check, delivery.
     */
    private DropReason onDecrypted(final Keypair kp, final long counter, final MemorySegment seg, final long off,
                                   final int length, final Endpoint source, final long nowNs, final Output out) {
        if (!kp.validateCounter(counter)) {
            return drop(DropReason.REPLAY);
        }
        final Peer peer = kp.peer();
        peer.updateEndpointFrom(source);
        if (peer.keypairs().receivedWith(kp)) {
            handshakeComplete(peer, nowNs);
            sendStaged(peer, nowNs, out);
        }
        keepKeyFreshAfterReceive(peer, nowNs, out);
        final PeerTimers timers = peer.timers();
        timers.onAnyAuthenticatedPacketReceived(nowNs);
        timers.onAnyAuthenticatedPacketTraversal(nowNs);
        counters.event(CounterEvent.DATA_RECEIVED);
        final int plain = length - TransportMessage.OVERHEAD;
        if (plain == 0) {
            peer.addRxBytes(length);
            counters.event(CounterEvent.KEEPALIVE_RECEIVED);
            return null;
        }
        timers.onDataReceived(nowNs);
        final long inner = off + TransportMessage.DATA_OFFSET;
        final int innerLength = InnerPacket.validLength(seg, inner, plain);
        if (innerLength < 0) {
            return drop(DropReason.BAD_INNER_PACKET);
        }
        if (allowedIps.lookupSrc(seg, inner, innerLength) != peer) {
            return drop(DropReason.SOURCE_NOT_ALLOWED);
        }
        out.deliverToTun(seg, inner, innerLength);
        peer.addRxBytes(length);
        return null;
    }

    /** After receiving: the initiator's one "last-minute" handshake on a key older than 165 s. */
    private void keepKeyFreshAfterReceive(final Peer peer, final long nowNs, final Output out) {
        final Keypair kp = peer.keypairs().current();
        if (kp != null && kp.isSendValid() && kp.isInitiator() && nowNs - kp.createdNs() >= REKEY_LAST_MINUTE_AGE_NS
                && peer.timers().claimLastMinuteHandshake()) {
            sendQueuedInitiation(peer, false, nowNs, out);
        }
    }

    // ================================================================== timers

    /**
     * Fires every due timer of every peer (retransmissions, keepalives, new handshakes, key wipes)
     * and returns the earliest deadline still armed ({@link Long#MAX_VALUE} if none), by which
     * {@code tick} must be called again. Iterates all peers: fine for a simple daemon; a large
     * gateway keeps the peers in a timer wheel keyed by {@link PeerTimers#nextDeadlineNs()}.
     */
    public synchronized long tick(final long nowNs, final Output out) {
        long next = Long.MAX_VALUE;
        for (final Peer p : peers.snapshot()) {
            final int actions = p.timers().expire(nowNs);
            if (actions != 0) {
                fire(p, actions, nowNs, out);
            }
            final long d = p.timers().nextDeadlineNs();
            if (d != Long.MAX_VALUE && (next == Long.MAX_VALUE || d - next < 0)) {
                next = d;
            }
        }
        return next;
    }

    /** The earliest armed timer deadline of any peer, or {@link Long#MAX_VALUE} if none. */
    public synchronized long nextDeadlineNs() {
        long next = Long.MAX_VALUE;
        for (final Peer p : peers.snapshot()) {
            final long d = p.timers().nextDeadlineNs();
            if (d != Long.MAX_VALUE && (next == Long.MAX_VALUE || d - next < 0)) {
                next = d;
            }
        }
        return next;
    }

    private void fire(final Peer p, final int actions, final long nowNs, final Output out) {
        if ((actions & PeerTimers.ZERO_KEY_MATERIAL) != 0) {
            NoiseHandshake.clearHandshake(p, index);
            p.keypairs().clear();
            counters.event(CounterEvent.KEYS_ZEROED);
        }
        if ((actions & PeerTimers.GIVE_UP_HANDSHAKE) != 0) {
            final int purged = p.staged().clear();
            for (int i = 0; i < purged; i++) {
                counters.drop(DropReason.STAGED_PURGED);
            }
            counters.event(CounterEvent.HANDSHAKE_GAVE_UP);
        }
        if ((actions & PeerTimers.RETRANSMIT_HANDSHAKE) != 0) {
            p.clearEndpointSource();
            sendQueuedInitiation(p, true, nowNs, out);
        }
        if ((actions & PeerTimers.NEW_HANDSHAKE) != 0) {
            p.clearEndpointSource();
            sendQueuedInitiation(p, false, nowNs, out);
        }
        if ((actions & (PeerTimers.SEND_KEEPALIVE | PeerTimers.PERSISTENT_KEEPALIVE)) != 0) {
            sendKeepalive(p, nowNs, out);
        }
    }

    private DropReason drop(final DropReason reason) {
        counters.drop(reason);
        return reason;
    }
}
