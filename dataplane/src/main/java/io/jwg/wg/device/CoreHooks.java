package io.jwg.wg.device;

import static io.jwg.wg.protocol.ProtocolConstants.REJECT_AFTER_TIME_NS;

import io.jwg.crypto.ConstantTime;
import io.jwg.wg.core.DeviceCore;
import io.jwg.wg.core.Output;
import io.jwg.wg.core.TransportCodec;
import io.jwg.wg.core.WallClock;
import io.jwg.wg.noise.Keypair;
import io.jwg.wg.noise.NoiseHandshake;
import io.jwg.wg.noise.StaticIdentity;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.pipeline.StageCounters;
import io.jwg.wg.protocol.InitiationMessage;
import io.jwg.wg.protocol.TransportMessage;
import io.jwg.wg.stats.CounterEvent;
import io.jwg.wg.stats.DropReason;
import io.jwg.wg.timers.PeerTimers;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The two per-peer operations the pipeline asks of the protocol core that {@link DeviceCore} keeps
 * private: start a handshake (kernel {@code wg_packet_send_queued_handshake_initiation}) and send the
 * staged packets ({@code wg_packet_send_staged_packets}). Control agent thread only; each runs
 * under the core's monitor, so it is atomic with respect to every {@code DeviceCore} method.
 *
 * <p>Built from the same public components and in the same order as {@code DeviceCore}'s private
 * versions; to be replaced by calls into {@code DeviceCore} once it exposes them.
 */
final class CoreHooks {
    private final DeviceCore core;
    private final NoiseHandshake noise;
    private final WallClock wallClock;
    private final StageCounters counters;
    private final MemorySegment buf = MemorySegment.ofArray(new byte[DeviceCore.MAX_INNER_PACKET + 64]);
    private StaticIdentity identity;
    private byte[] identityPublic;

    CoreHooks(final DeviceCore core, final RandomGenerator random, final WallClock wallClock,
              final StageCounters counters) {
        this.core = core;
        this.noise = new NoiseHandshake(random);
        this.wallClock = wallClock;
        this.counters = counters;
    }

    /** Starts a (non-retry) handshake with {@code peer} unless one went out within REKEY_TIMEOUT. */
    void initiateHandshake(final Peer peer, final long nowNs, final Output out) {
        synchronized (core) {
            peer.timers().onNonRetryInitiation();
            if (peer.isRemoved() || !peer.handshake().mayInitiate(nowNs)) {
                return;
            }
            final StaticIdentity id = identity();
            peer.handshake().markHandshakeSent(nowNs);
            if (!noise.createInitiation(peer, id, core.indexTable(), wallClock.epochNanos(), buf, 0)) {
                counters.drop(noise.lastFailure());
                return;
            }
            peer.cookie().addMacs(buf, 0, InitiationMessage.LENGTH, nowNs);
            final PeerTimers t = peer.timers();
            t.onAnyAuthenticatedPacketTraversal(nowNs);
            t.onAnyAuthenticatedPacketSent(nowNs);
            peer.handshake().markHandshakeSent(nowNs);
            send(peer, InitiationMessage.LENGTH, out);
            counters.event(CounterEvent.HANDSHAKE_INITIATION_SENT);
            t.onHandshakeInitiated(nowNs);
        }
    }

    /**
     * Sends {@code peer}'s staged packets with its current session, in staging order; without a usable
     * session starts a handshake instead and keeps them staged.
     */
    void sendStaged(final Peer peer, final long nowNs, final Output out) {
        synchronized (core) {
            if (peer.staged().isEmpty()) {
                return;
            }
            final Keypair kp = peer.keypairs().current();
            if (kp == null || !kp.isSendValid()) {
                initiateHandshake(peer, nowNs, out);
                return;
            }
            if (nowNs - kp.createdNs() >= REJECT_AFTER_TIME_NS) {
                kp.invalidateSending();
                initiateHandshake(peer, nowNs, out);
                return;
            }
            final PeerTimers t = peer.timers();
            final int mtu = core.mtu();
            boolean any = false;
            boolean data = false;
            int len;
            while ((len = peer.staged().peekLength()) >= 0) {
                final long counter = kp.nextSendCounter();
                if (!Keypair.isSendCounterUsable(counter)) {
                    kp.invalidateSending();
                    initiateHandshake(peer, nowNs, out);
                    break;
                }
                if (!any) {
                    t.onAnyAuthenticatedPacketTraversal(nowNs);
                    t.onAnyAuthenticatedPacketSent(nowNs);
                    any = true;
                }
                peer.staged().peek(buf, TransportMessage.DATA_OFFSET);
                final int n = TransportCodec.encapsulate(kp, counter, buf, 0, len, mtu);
                send(peer, n, out);
                peer.staged().pop();
                counters.event(CounterEvent.DATA_SENT);
                if (len == 0) {
                    counters.event(CounterEvent.KEEPALIVE_SENT);
                }
                data |= len > 0;
            }
            if (data) {
                t.onDataSent(nowNs);
            }
            if (any && kp.needsRekeyAfterSend(nowNs)) {
                initiateHandshake(peer, nowNs, out);
            }
        }
    }

    private void send(final Peer peer, final int length, final Output out) {
        final Endpoint e = peer.endpoint();
        if (e == null) {
            counters.drop(DropReason.NO_ENDPOINT);
            return;
        }
        peer.addTxBytes(length);
        out.sendDatagram(peer, e, buf, 0, length);
    }

    /** Our identity, rebuilt when the core's private key changed; null without one. */
    private StaticIdentity identity() {
        final byte[] pub = core.publicKey();
        if (pub == null) {
            if (identity != null) {
                identity.wipe();
            }
            identity = null;
            identityPublic = null;
            return null;
        }
        if (identity == null || !Arrays.equals(pub, identityPublic)) {
            final byte[] priv = core.privateKey();
            if (identity != null) {
                identity.wipe();
            }
            identity = StaticIdentity.of(priv);
            identityPublic = pub;
            ConstantTime.zero(priv);
        }
        return identity;
    }
}
