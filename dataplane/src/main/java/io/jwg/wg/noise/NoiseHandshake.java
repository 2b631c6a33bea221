package io.jwg.wg.noise;

import static io.jwg.wg.protocol.ProtocolConstants.INITIATION_MIN_SPACING_NS;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_HASH_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_PUBLIC_KEY_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_SYMMETRIC_KEY_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.NOISE_TIMESTAMP_LENGTH;

import io.jwg.crypto.ConstantTime;
import io.jwg.crypto.Tai64n;
import io.jwg.crypto.X25519;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.peer.PeerTable;
import io.jwg.wg.protocol.InitiationMessage;
import io.jwg.wg.protocol.MessageHeader;
import io.jwg.wg.protocol.ProtocolConstants;
import io.jwg.wg.protocol.ResponseMessage;
import io.jwg.wg.stats.DropReason;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.random.RandomGenerator;

/**
 * WireGuard's handshake messages over {@link IkPsk2} (whitepaper 5.4.2-5.4.5; kernel {@code noise.c}):
 * {@link #createInitiation}/{@link #consumeInitiation}, {@link #createResponse}/{@link #consumeResponse},
 * and {@link #beginSession}, which turns a finished handshake into a {@link Keypair}. Owner thread
 * only: one instance per handshake worker (it holds scratch); per-peer state is locked on the peer's
 * {@link Handshake}. mac1/mac2 are not written or checked here (see {@code io.jwg.wg.cookie}).
 *
 * <p>Failures return false or null and leave the reason in {@link #lastFailure()}; secrets in scratch
 * are zeroed on every exit.
 */
public final class NoiseHandshake {
    private static final byte[] EMPTY = new byte[0];

    private final RandomGenerator random;
    private final SymmetricState st = new SymmetricState();
    private final byte[] msg = new byte[InitiationMessage.LENGTH];
    private final byte[] timestamp = new byte[NOISE_TIMESTAMP_LENGTH];
    private final byte[] remoteEphemeral = new byte[NOISE_PUBLIC_KEY_LENGTH];
    private final byte[] remoteStatic = new byte[NOISE_PUBLIC_KEY_LENGTH];
    private final byte[] ss = new byte[NOISE_PUBLIC_KEY_LENGTH];
    private final byte[] ck = new byte[NOISE_HASH_LENGTH];
    private final byte[] h = new byte[NOISE_HASH_LENGTH];
    private final byte[] ePriv = new byte[NOISE_PUBLIC_KEY_LENGTH];
    private final byte[] psk = new byte[NOISE_SYMMETRIC_KEY_LENGTH];
    private final byte[] t1 = new byte[NOISE_SYMMETRIC_KEY_LENGTH];
    private final byte[] t2 = new byte[NOISE_SYMMETRIC_KEY_LENGTH];
    private final byte[] c0 = HandshakeKeys.initialChainingKey();
    private DropReason lastFailure;

    /** @param random source of ephemeral keys (thread-safe if shared) */
    public NoiseHandshake(final RandomGenerator random) {
        this.random = random;
    }

    /** Why the last failed call failed. */
    public DropReason lastFailure() {
        return lastFailure;
    }

    private boolean fail(final DropReason reason) {
        lastFailure = reason;
        wipeScratch();
        return false;
    }

    private Peer failPeer(final DropReason reason) {
        fail(reason);
        return null;
    }

    /**
     * Writes a handshake initiation to {@code peer} into {@code dst[off, off + 148)}, with zero
     * mac1/mac2. Uses a fresh ephemeral key and a fresh sender index (the previous handshake index is
     * released); the TAI64N timestamp is taken from {@code wallNs}.
     *
     * @return false if there is no identity or the static-static DH is zero
     */
    public boolean createInitiation(final Peer peer, final StaticIdentity identity,
                                    final IndexTable<IndexTable.Entry> index, final long wallNs,
                                    final MemorySegment dst, final long off) {
        if (identity == null) {
            return fail(DropReason.NO_IDENTITY);
        }
        final Handshake hs = peer.handshake();
        synchronized (hs) {
            java.util.Arrays.fill(msg, (byte) 0);
            // C = C0; H = HASH(H0 || S_r.pub)
            st.load(c0, peer.initiatorInitialHash());
            X25519.generatePrivateKey(random, hs.ephemeralPrivate);
            Tai64n.encode(wallNs, timestamp, 0);
            // e, es, s, ss, {t}
            if (!IkPsk2.writeMessageA(st, hs.ephemeralPrivate, identity.publicKeyRef(), hs.precomputedStaticStatic,
                    peer.publicKeyBytes(), timestamp, 0, NOISE_TIMESTAMP_LENGTH, msg,
                    InitiationMessage.EPHEMERAL_OFFSET)) {
                hs.zeroState();
                return fail(DropReason.NO_IDENTITY);
            }
            replaceEntry(hs, peer, index);
            putHeader(ProtocolConstants.MESSAGE_HANDSHAKE_INITIATION);
            putLe(InitiationMessage.SENDER_INDEX_OFFSET, hs.entry.localIndex());
            st.store(hs.chainingKey, hs.hash);
            hs.state = HandshakeState.CREATED_INITIATION;
        }
        MemorySegment.copy(msg, 0, dst, ValueLayout.JAVA_BYTE, off, InitiationMessage.LENGTH);
        wipeScratch();
        return true;
    }

    /**
     * Consumes a handshake initiation ({@code src[off, off + 148)}, macs already checked): decrypts the
     * initiator's static key, finds the peer, checks the timestamp against replay and the 20 ms flood
     * limit, and stores the state for {@link #createResponse}.
     *
     * @return the peer, or null (see {@link #lastFailure()})
     */
    public Peer consumeInitiation(final MemorySegment src, final long off, final StaticIdentity identity,
                                  final PeerTable peers, final long nowNs) {
        if (identity == null) {
            return failPeer(DropReason.NO_IDENTITY);
        }
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, off, msg, 0, InitiationMessage.LENGTH);
        // C = C0; H = HASH(H0 || S_r.pub)
        st.load(c0, identity.responderInitialHashRef());
        // e, es, s
        if (!IkPsk2.readMessageAStatic(st, identity.privateKeyRef(), msg, InitiationMessage.EPHEMERAL_OFFSET,
                remoteEphemeral, remoteStatic)) {
            return failPeer(DropReason.HANDSHAKE_DECRYPT_FAILED);
        }
        final Peer peer = peers.lookup(remoteStatic, 0);
        if (peer == null || peer.isRemoved()) {
            return failPeer(DropReason.UNKNOWN_PEER);
        }
        final Handshake hs = peer.handshake();
        synchronized (hs) {
            System.arraycopy(hs.precomputedStaticStatic, 0, ss, 0, NOISE_PUBLIC_KEY_LENGTH);
        }
        // ss, {t}
        if (!IkPsk2.readMessageAPayload(st, ss, msg, InitiationMessage.EPHEMERAL_OFFSET, NOISE_TIMESTAMP_LENGTH,
                timestamp, 0)) {
            return failPeer(DropReason.HANDSHAKE_DECRYPT_FAILED);
        }
        synchronized (hs) {
            if (Tai64n.compare(timestamp, 0, hs.latestTimestamp, 0) <= 0) {
                return failPeer(DropReason.HANDSHAKE_REPLAY);
            }
            if (hs.consumedInitiation && nowNs - hs.lastInitiationConsumptionNs < INITIATION_MIN_SPACING_NS) {
                return failPeer(DropReason.HANDSHAKE_FLOOD);
            }
            System.arraycopy(remoteEphemeral, 0, hs.remoteEphemeral, 0, NOISE_PUBLIC_KEY_LENGTH);
            System.arraycopy(timestamp, 0, hs.latestTimestamp, 0, NOISE_TIMESTAMP_LENGTH);
            st.store(hs.chainingKey, hs.hash);
            hs.remoteIndex = InitiationMessage.senderIndex(src, off);
            if (!hs.consumedInitiation || nowNs - hs.lastInitiationConsumptionNs > 0) {
                hs.lastInitiationConsumptionNs = nowNs;
            }
            hs.consumedInitiation = true;
            hs.state = HandshakeState.CONSUMED_INITIATION;
        }
        wipeScratch();
        return peer;
    }

    /**
     * Writes the response to a consumed initiation into {@code dst[off, off + 92)}, with zero mac1/mac2.
     *
     * @return false if the handshake is not in CONSUMED_INITIATION state or a DH is zero
     */
    public boolean createResponse(final Peer peer, final IndexTable<IndexTable.Entry> index,
                                  final MemorySegment dst, final long off) {
        final Handshake hs = peer.handshake();
        synchronized (hs) {
            if (hs.state != HandshakeState.CONSUMED_INITIATION) {
                return fail(DropReason.UNEXPECTED_HANDSHAKE_STATE);
            }
            java.util.Arrays.fill(msg, (byte) 0);
            st.load(hs.chainingKey, hs.hash);
            X25519.generatePrivateKey(random, hs.ephemeralPrivate);
            // e, ee, se, psk, {}
            if (!IkPsk2.writeMessageB(st, hs.ephemeralPrivate, hs.remoteEphemeral, peer.publicKeyBytes(),
                    hs.presharedKey, EMPTY, 0, 0, msg, ResponseMessage.EPHEMERAL_OFFSET)) {
                hs.zeroState();
                return fail(DropReason.HANDSHAKE_DECRYPT_FAILED);
            }
            replaceEntry(hs, peer, index);
            putHeader(ProtocolConstants.MESSAGE_HANDSHAKE_RESPONSE);
            putLe(ResponseMessage.SENDER_INDEX_OFFSET, hs.entry.localIndex());
            putLe(ResponseMessage.RECEIVER_INDEX_OFFSET, hs.remoteIndex);
            st.store(hs.chainingKey, hs.hash);
            hs.state = HandshakeState.CREATED_RESPONSE;
        }
        MemorySegment.copy(msg, 0, dst, ValueLayout.JAVA_BYTE, off, ResponseMessage.LENGTH);
        wipeScratch();
        return true;
    }

    /**
     * Consumes a handshake response ({@code src[off, off + 92)}, macs already checked). Only a
     * response whose receiver index is our current initiation, in state CREATED_INITIATION, is
     * accepted.
     *
     * @return the peer, or null (see {@link #lastFailure()})
     */
    public Peer consumeResponse(final MemorySegment src, final long off, final StaticIdentity identity,
                                final IndexTable<IndexTable.Entry> index) {
        if (identity == null) {
            return failPeer(DropReason.NO_IDENTITY);
        }
        final IndexTable.Entry entry = index.lookup(ResponseMessage.receiverIndex(src, off));
        if (!(entry instanceof HandshakeEntry he)) {
            return failPeer(DropReason.UNKNOWN_INDEX);
        }
        final Peer peer = he.peer();
        final Handshake hs = peer.handshake();
        synchronized (hs) {
            if (hs.state != HandshakeState.CREATED_INITIATION || hs.entry != he) {
                return failPeer(DropReason.UNEXPECTED_HANDSHAKE_STATE);
            }
            System.arraycopy(hs.chainingKey, 0, ck, 0, NOISE_HASH_LENGTH);
            System.arraycopy(hs.hash, 0, h, 0, NOISE_HASH_LENGTH);
            System.arraycopy(hs.ephemeralPrivate, 0, ePriv, 0, NOISE_PUBLIC_KEY_LENGTH);
            System.arraycopy(hs.presharedKey, 0, psk, 0, NOISE_SYMMETRIC_KEY_LENGTH);
        }
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, off, msg, 0, ResponseMessage.LENGTH);
        st.load(ck, h);
        // e, ee, se, psk, {}
        if (!IkPsk2.readMessageB(st, ePriv, identity.privateKeyRef(), psk, msg, ResponseMessage.EPHEMERAL_OFFSET, 0,
                EMPTY, 0, remoteEphemeral)) {
            return failPeer(DropReason.HANDSHAKE_DECRYPT_FAILED);
        }
        synchronized (hs) {
            // The state may have moved on while we computed without the lock.
            if (hs.state != HandshakeState.CREATED_INITIATION || hs.entry != he) {
                return failPeer(DropReason.UNEXPECTED_HANDSHAKE_STATE);
            }
            System.arraycopy(remoteEphemeral, 0, hs.remoteEphemeral, 0, NOISE_PUBLIC_KEY_LENGTH);
            st.store(hs.chainingKey, hs.hash);
            hs.remoteIndex = ResponseMessage.senderIndex(src, off);
            hs.state = HandshakeState.CONSUMED_RESPONSE;
        }
        wipeScratch();
        return peer;
    }

    /**
     * Derives the transport keys of a finished handshake (after sending or consuming a response):
     * {@code (T_send_i = T_recv_r, T_recv_i = T_send_r) = KDF2(C, empty)}; installs the keypair in the
     * peer's slots and hands the handshake's index over to it; zeroes the handshake.
     *
     * @return the new keypair, or null if the handshake is in no state to derive one
     */
    public Keypair beginSession(final Peer peer, final IndexTable<IndexTable.Entry> index, final long nowNs) {
        final Handshake hs = peer.handshake();
        final Keypair kp;
        final HandshakeEntry entry;
        synchronized (hs) {
            if ((hs.state != HandshakeState.CREATED_RESPONSE && hs.state != HandshakeState.CONSUMED_RESPONSE)
                    || hs.entry == null) {
                lastFailure = DropReason.UNEXPECTED_HANDSHAKE_STATE;
                return null;
            }
            final boolean initiator = hs.state == HandshakeState.CONSUMED_RESPONSE;
            st.load(hs.chainingKey, hs.hash);
            st.split(t1, t2);
            entry = hs.entry;
            kp = new Keypair(peer, entry.localIndex(), hs.remoteIndex, initiator, nowNs,
                    initiator ? t1 : t2, initiator ? t2 : t1);
            hs.entry = null;
            hs.zeroState();
            wipeScratch();
            if (peer.isRemoved()) {
                index.remove(entry);
                kp.release();
                lastFailure = DropReason.UNKNOWN_PEER;
                return null;
            }
            peer.keypairs().add(kp);
            index.replace(entry, kp);
        }
        return kp;
    }

    /**
     * Forgets the handshake in progress and releases its index (zero-key timer, private key change,
     * peer removal). Keeps the PSK, the latest timestamp and the precomputed DH.
     */
    public static void clearHandshake(final Peer peer, final IndexTable<IndexTable.Entry> index) {
        final Handshake hs = peer.handshake();
        synchronized (hs) {
            if (hs.entry != null) {
                index.remove(hs.entry);
                hs.entry = null;
            }
            hs.zeroState();
        }
    }

    private void replaceEntry(final Handshake hs, final Peer peer, final IndexTable<IndexTable.Entry> index) {
        if (hs.entry != null) {
            index.remove(hs.entry);
        }
        hs.entry = (HandshakeEntry) index.insertNew(i -> new HandshakeEntry(i, peer));
    }

    private void putHeader(final int type) {
        MessageHeader.putType(MemorySegment.ofArray(msg), 0, type);
    }

    private void putLe(final int off, final int v) {
        msg[off] = (byte) v;
        msg[off + 1] = (byte) (v >>> 8);
        msg[off + 2] = (byte) (v >>> 16);
        msg[off + 3] = (byte) (v >>> 24);
    }

    private void wipeScratch() {
        st.zero();
        ConstantTime.zero(msg);
        ConstantTime.zero(timestamp);
        ConstantTime.zero(ss);
        ConstantTime.zero(ck);
        ConstantTime.zero(h);
        ConstantTime.zero(ePriv);
        ConstantTime.zero(psk);
        ConstantTime.zero(t1);
        ConstantTime.zero(t2);
    }
}
