package io.jwg.wg.core;

import static io.jwg.wg.core.TestNet.s;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_DATA;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_HANDSHAKE_COOKIE;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_HANDSHAKE_INITIATION;
import static io.jwg.wg.protocol.ProtocolConstants.MESSAGE_HANDSHAKE_RESPONSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.crypto.X25519;
import io.jwg.wg.noise.Keypair;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.peer.PeerKey;
import io.jwg.wg.protocol.InitiationMessage;
import io.jwg.wg.protocol.ProtocolConstants;
import io.jwg.wg.routing.Prefix;
import io.jwg.wg.stats.CounterEvent;
import io.jwg.wg.stats.DropReason;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Protocol rules and the pitfalls of protocol.md 1.16, on two in-memory peers. */
class TwoPeerProtocolTest {
    private static TestNet established(final long seed) {
        final TestNet net = new TestNet(seed);
        net.a.sendTo(net.b, 100);
        net.pump();
        assertNotNull(net.b.peer.keypairs().current());
        return net;
    }

    private static DropReason deliver(final TestNet.Node to, final byte[] bytes, final Endpoint source, final TestNet net) {
        final byte[] copy = bytes.clone();
        return to.dev.onDatagram(MemorySegment.ofArray(copy), 0, copy.length, source, net.clock.now(), to);
    }

    private static Endpoint ep(final String ip, final int port) {
        return Endpoint.ofV4(Packets.v4(ip), port);
    }

    // ------------------------------------------------------------------ roaming

    @Test
    void shouldRoamToSourceOfAuthenticatedDataOnly() {
        final TestNet net = established(30);
        final Endpoint moved = ep("203.0.113.5", 4000);
        net.a.endpoint = moved;
        net.a.sendTo(net.b, 100);
        net.pump();
        assertTrue(net.b.peer.endpoint().sameRemote(moved), "B follows A to its new address");
        net.b.sendTo(net.a, 100);
        net.pump();
        assertEquals(1, net.a.tun.size(), "B's reply reached A at the new address");

        // A forged transport packet (bad tag) from elsewhere must not move the endpoint.
        final List<TestNet.Datagram> data = net.a.sentOfType(MESSAGE_DATA);
        final byte[] forged = data.get(data.size() - 1).bytes().clone();
        forged[forged.length - 1] ^= 1;
        assertEquals(DropReason.BAD_TAG, deliver(net.b, forged, ep("203.0.113.66", 1), net));
        assertTrue(net.b.peer.endpoint().sameRemote(moved));
        // A replayed (authentic) packet from elsewhere must not move it either.
        assertEquals(DropReason.REPLAY, deliver(net.b, data.get(data.size() - 1).bytes(), ep("203.0.113.67", 1), net));
        assertTrue(net.b.peer.endpoint().sameRemote(moved));
    }

    // ------------------------------------------------------------------ cookies and rate limiting under load

    @Test
    void shouldCompleteHandshakeThroughCookieReplyUnderLoad() {
        final TestNet net = new TestNet(32);
        net.b.dev.loadDetector().force(true);
        net.a.sendTo(net.b, 100);
        net.pump();
        assertEquals(1, net.b.dev.counters().get(DropReason.COOKIE_REQUIRED));
        assertEquals(1, net.b.countSent(MESSAGE_HANDSHAKE_COOKIE));
        assertEquals(0, net.b.countSent(MESSAGE_HANDSHAKE_RESPONSE), "not processed without a cookie");
        assertEquals(1, net.a.dev.counters().get(CounterEvent.COOKIE_REPLY_RECEIVED));
        assertTrue(net.a.peer.cookie().hasFreshCookie(net.clock.now()));
        final byte[] first = net.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION).get(0).bytes();
        assertTrue(isZero(first, InitiationMessage.MAC2_OFFSET, 16), "no cookie yet: mac2 zero");

        net.advance(s(5.5));
        final List<TestNet.Datagram> inits = net.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION);
        assertEquals(2, inits.size(), "the retransmission timer retried");
        assertFalse(isZero(inits.get(1).bytes(), InitiationMessage.MAC2_OFFSET, 16), "retry carries mac2");
        assertEquals(1, net.b.countSent(MESSAGE_HANDSHAKE_RESPONSE));
        assertEquals(1, net.b.tun.size(), "handshake completed under load");
    }

    @Test
    void shouldRateLimitHandshakesPerSourceUnderLoad() {
        final TestNet net = new TestNet(33);
        net.b.dev.loadDetector().force(true);
        net.drop = d -> d.from() == net.a && d.type() == MESSAGE_HANDSHAKE_INITIATION
                && !isZero(d.bytes(), InitiationMessage.MAC2_OFFSET, 16);
        net.a.sendTo(net.b, 100);
        net.pump();
        net.advance(s(5.5));
        final byte[] withCookie = net.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION).get(1).bytes();
        for (int i = 0; i < 10; i++) {
            deliver(net.b, withCookie, net.a.endpoint, net);
        }
        // Burst of 5 from one source: 1 processed + 4 replays, then 5 rate limited.
        assertEquals(5, net.b.dev.counters().get(DropReason.RATE_LIMITED));
        assertEquals(4, net.b.dev.counters().get(DropReason.HANDSHAKE_REPLAY));
        assertEquals(1, net.b.countSent(MESSAGE_HANDSHAKE_RESPONSE));
        // Tokens refill at 20/s.
        net.clock.advance(s(0.05));
        deliver(net.b, withCookie, net.a.endpoint, net);
        assertEquals(5, net.b.dev.counters().get(DropReason.RATE_LIMITED));
        assertEquals(5, net.b.dev.counters().get(DropReason.HANDSHAKE_REPLAY));
        // Without load nothing is rate limited.
        net.b.dev.loadDetector().force(false);
        net.clock.advance(s(2));
        for (int i = 0; i < 10; i++) {
            deliver(net.b, withCookie, net.a.endpoint, net);
        }
        assertEquals(5, net.b.dev.counters().get(DropReason.RATE_LIMITED));
    }

    @Test
    void shouldEnterUnderLoadWhenHandshakesFlood() {
        final TestNet net = new TestNet(34);
        net.a.sendTo(net.b, 100);
        final byte[] init = net.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION).get(0).bytes();
        final int threshold = io.jwg.wg.protocol.ImplementationLimits.UNDER_LOAD_HANDSHAKE_THRESHOLD;
        for (int i = 0; i < threshold + 10; i++) {
            deliver(net.b, init, net.a.endpoint, net);
        }
        assertEquals(11, net.b.dev.counters().get(DropReason.COOKIE_REQUIRED), "cookie replies once the threshold is hit");
        assertEquals(11, net.b.countSent(MESSAGE_HANDSHAKE_COOKIE));
        // Under load is held for 1 s after the last time the condition held.
        net.clock.advance(s(1.5));
        deliver(net.b, init, net.a.endpoint, net);
        assertEquals(11, net.b.dev.counters().get(DropReason.COOKIE_REQUIRED));
    }

    private static boolean isZero(final byte[] b, final int off, final int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ replay and flood

    @Test
    void shouldDropReplayedTransportPacket() {
        final TestNet net = established(35);
        final byte[] data = net.a.sentOfType(MESSAGE_DATA).get(0).bytes();
        assertEquals(DropReason.REPLAY, deliver(net.b, data, net.a.endpoint, net));
        assertEquals(1, net.b.tun.size());
    }

    @Test
    void shouldDropReplayedAndFloodingInitiations() {
        final TestNet net = established(36);
        final byte[] first = net.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION).get(0).bytes();
        assertEquals(DropReason.HANDSHAKE_REPLAY, deliver(net.b, first, net.a.endpoint, net));
        // A new initiation 17 ms later: newer TAI64N (2^24 ns granularity) but within 20 ms.
        net.clock.advance(s(0.017));
        net.a.dev.down();
        net.a.dev.up(net.clock.now(), net.a);
        net.drop = d -> d.type() == MESSAGE_HANDSHAKE_INITIATION;
        net.a.sendTo(net.b, 100);
        final List<TestNet.Datagram> inits = net.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION);
        assertEquals(2, inits.size());
        assertEquals(DropReason.HANDSHAKE_FLOOD, deliver(net.b, inits.get(1).bytes(), net.a.endpoint, net));
        // The same message 20 ms after the last consumed one is accepted.
        net.clock.advance(s(0.004));
        assertNull(deliver(net.b, inits.get(1).bytes(), net.a.endpoint, net));
        assertEquals(2, net.b.countSent(MESSAGE_HANDSHAKE_RESPONSE));
    }

    // ------------------------------------------------------------------ cryptokey routing on receive

    @Test
    void shouldDropInnerPacketsWhoseSourceDoesNotRouteBackToTheSender() {
        final TestNet net = established(37);
        final byte[] spoof = Packets.ipv4("198.51.100.99", net.b.tunnelIp, 80, 1);
        net.a.dev.onTunPacket(MemorySegment.ofArray(spoof), 0, spoof.length, net.clock.now(), net.a);
        net.pump();
        assertEquals(1, net.b.dev.counters().get(DropReason.SOURCE_NOT_ALLOWED));
        assertEquals(1, net.b.tun.size());
    }

    @Test
    void shouldDropMalformedInnerPacketsAndTrimPadding() {
        final TestNet net = established(39);
        final byte[] lying = Packets.ipv4(net.a.tunnelIp, net.b.tunnelIp, 100, 1);
        lying[2] = 0;
        lying[3] = (byte) 200;
        net.a.dev.onTunPacket(MemorySegment.ofArray(lying), 0, lying.length, net.clock.now(), net.a);
        net.pump();
        assertEquals(1, net.b.dev.counters().get(DropReason.BAD_INNER_PACKET));
        final byte[] shortLen = Packets.ipv4(net.a.tunnelIp, net.b.tunnelIp, 100, 1);
        shortLen[3] = 50;
        net.a.dev.onTunPacket(MemorySegment.ofArray(shortLen), 0, shortLen.length, net.clock.now(), net.a);
        net.pump();
        assertEquals(2, net.b.tun.size());
        assertEquals(50, net.b.tun.get(1).length, "trimmed to the IP total length");
    }

    @Test
    void shouldCarryIpv6() {
        final TestNet net = established(40);
        net.a.dev.addAllowedIp(net.a.peer, Prefix.parse("2001:db8:b::/48"));
        net.b.dev.addAllowedIp(net.b.peer, Prefix.parse("2001:db8:a::1/128"));
        final byte[] p = Packets.ipv6("2001:db8:a::1", "2001:db8:b::7", 333, 3);
        net.a.dev.onTunPacket(MemorySegment.ofArray(p), 0, p.length, net.clock.now(), net.a);
        net.pump();
        assertTrue(Arrays.equals(p, net.b.tun.get(net.b.tun.size() - 1)));
    }

    @Test
    void shouldDropOutboundPacketsWithoutRouteOrEndpoint() {
        final TestNet net = new TestNet(41);
        final byte[] p = Packets.ipv4(net.a.tunnelIp, "203.0.113.1", 60, 0);
        assertEquals(DropReason.NO_ROUTE, net.a.dev.onTunPacket(MemorySegment.ofArray(p), 0, p.length, 0, net.a));
        final byte[] toA = Packets.ipv4(net.b.tunnelIp, net.a.tunnelIp, 60, 0);
        assertEquals(DropReason.NO_ENDPOINT, net.b.dev.onTunPacket(MemorySegment.ofArray(toA), 0, toA.length, 0, net.b));
        assertEquals(DropReason.BAD_OUTBOUND_PACKET, net.a.dev.onTunPacket(MemorySegment.ofArray(p), 0, 19, 0, net.a));
        assertTrue(net.a.sent.isEmpty() && net.b.sent.isEmpty());
    }

    // ------------------------------------------------------------------ keys

    @Test
    void shouldMixPresharedKeyAndFailOnMismatch() {
        final byte[] psk = new byte[32];
        new Random(5).nextBytes(psk);
        final TestNet ok = new TestNet(42);
        ok.a.dev.setPresharedKey(ok.a.peer, psk);
        ok.b.dev.setPresharedKey(ok.b.peer, psk);
        ok.a.sendTo(ok.b, 100);
        ok.pump();
        assertEquals(1, ok.b.tun.size());

        final TestNet bad = new TestNet(43);
        bad.a.dev.setPresharedKey(bad.a.peer, psk);
        bad.a.sendTo(bad.b, 100);
        bad.pump();
        assertEquals(0, bad.b.tun.size());
        assertEquals(1, bad.a.dev.counters().get(DropReason.HANDSHAKE_DECRYPT_FAILED));
        assertNull(bad.a.peer.keypairs().current());
    }

    @Test
    void shouldKeepSessionWhenPresharedKeyChanges() {
        final TestNet net = established(44);
        final byte[] psk = new byte[32];
        Arrays.fill(psk, (byte) 7);
        net.a.dev.setPresharedKey(net.a.peer, psk);
        net.b.dev.setPresharedKey(net.b.peer, psk);
        net.a.sendTo(net.b, 100);
        net.pump();
        assertEquals(2, net.b.tun.size(), "session not torn down");
        net.advance(ProtocolConstants.REKEY_AFTER_TIME_NS + s(1));
        net.a.sendTo(net.b, 100);
        net.pump();
        assertEquals(2, net.b.countSent(MESSAGE_HANDSHAKE_RESPONSE), "next handshake with the new PSK works");
        assertEquals(0, net.a.dev.counters().totalDrops());
    }

    @Test
    void shouldApplyPrivateKeyChangeSideEffects() {
        final TestNet net = established(45);
        final Keypair before = net.b.peer.keypairs().current();
        // Same key again: nothing happens.
        net.b.dev.setPrivateKey(net.b.privateKey);
        assertTrue(before.isSendValid());
        // A peer whose public key is the new own public key is removed.
        final byte[] newPriv = new byte[32];
        new Random(77).nextBytes(newPriv);
        final byte[] newPub = new byte[32];
        X25519.publicKey(newPriv, newPub);
        assertNotNull(net.b.dev.addPeer(PeerKey.of(newPub)));
        net.b.dev.setPrivateKey(newPriv);
        assertNull(net.b.dev.peer(PeerKey.of(newPub)));
        assertFalse(before.isSendValid(), "current keypair stops sending");
        // Receiving with it still works.
        net.a.sendTo(net.b, 100);
        net.pump();
        assertEquals(2, net.b.tun.size());
        // B now handshakes with its new static key, which A does not know.
        net.b.sendTo(net.a, 100);
        net.pump();
        assertEquals(1, net.a.dev.counters().get(DropReason.UNKNOWN_PEER));
        assertEquals(0, net.a.tun.size());
        // Adding our own public key as a peer is ignored.
        assertNull(net.b.dev.addPeer(PeerKey.of(newPub)));
    }

    /** An all-zero DH result (low-order ephemeral point) is refused, as in the kernel and wireguard-go. */
    @Test
    void shouldRefuseLowOrderEphemeralKeys() {
        final TestNet net = new TestNet(54);
        net.drop = d -> true;
        net.a.sendTo(net.b, 100);
        final byte[] init = net.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION).get(0).bytes().clone();
        Arrays.fill(init, io.jwg.wg.protocol.InitiationMessage.EPHEMERAL_OFFSET,
                io.jwg.wg.protocol.InitiationMessage.EPHEMERAL_OFFSET + 32, (byte) 0);
        new io.jwg.wg.cookie.PeerCookie(net.b.publicKey).addMacs(MemorySegment.ofArray(init), 0, init.length, 0);
        assertEquals(DropReason.HANDSHAKE_DECRYPT_FAILED, deliver(net.b, init, net.a.endpoint, net));
        assertTrue(net.b.sent.isEmpty());

        net.drop = d -> d.type() == MESSAGE_HANDSHAKE_RESPONSE;
        net.clock.advance(s(6));
        net.a.dev.initiateHandshake(net.a.peer, net.clock.now(), net.a);
        net.pump();
        final byte[] resp = net.b.sentOfType(MESSAGE_HANDSHAKE_RESPONSE).get(0).bytes().clone();
        Arrays.fill(resp, io.jwg.wg.protocol.ResponseMessage.EPHEMERAL_OFFSET,
                io.jwg.wg.protocol.ResponseMessage.EPHEMERAL_OFFSET + 32, (byte) 0);
        new io.jwg.wg.cookie.PeerCookie(net.a.publicKey).addMacs(MemorySegment.ofArray(resp), 0, resp.length, 0);
        assertEquals(DropReason.HANDSHAKE_DECRYPT_FAILED, deliver(net.a, resp, net.b.endpoint, net));
        assertNull(net.a.peer.keypairs().current());
    }

    @Test
    void shouldListLowOrderPeerButNeverHandshakeWithIt() {
        final TestNet net = new TestNet(46);
        final Peer low = net.a.dev.addPeer(PeerKey.of(new byte[32]));
        assertNotNull(low);
        assertTrue(net.a.dev.peers().contains(low));
        net.a.dev.addAllowedIp(low, Prefix.parse("203.0.113.0/24"));
        net.a.dev.setEndpoint(low, ep("192.0.2.9", 1));
        final byte[] p = Packets.ipv4(net.a.tunnelIp, "203.0.113.1", 60, 0);
        net.a.dev.onTunPacket(MemorySegment.ofArray(p), 0, p.length, net.clock.now(), net.a);
        assertEquals(1, net.a.dev.counters().get(DropReason.NO_IDENTITY));
        assertTrue(net.a.sent.isEmpty());
    }

    @Test
    void shouldRekeyAfterRekeyAfterMessages() {
        final TestNet net = established(48);
        net.advance(s(6));
        final Keypair kp = net.a.peer.keypairs().current();
        kp.reserveSendCounters(ProtocolConstants.REKEY_AFTER_MESSAGES - kp.sendCounter() + 1);
        net.a.sendTo(net.b, 100);
        assertEquals(2, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION));
    }

    // ------------------------------------------------------------------ lifecycle

    @Test
    void shouldClearSessionsOnDownAndSendPersistentKeepaliveOnUp() {
        final TestNet net = established(49);
        net.a.peer.timers().setPersistentKeepalive(25, net.clock.now());
        net.a.dev.down();
        assertNull(net.a.peer.keypairs().current());
        assertEquals(0, net.a.dev.indexTable().size());
        final byte[] p = Packets.ipv4(net.a.tunnelIp, net.b.tunnelIp, 60, 0);
        net.a.dev.onTunPacket(MemorySegment.ofArray(p), 0, p.length, net.clock.now(), net.a);
        assertEquals(1, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION), "nothing sent while down");
        net.clock.advance(s(1));
        net.a.dev.up(net.clock.now(), net.a);
        assertEquals(2, net.a.countSent(MESSAGE_HANDSHAKE_INITIATION), "keepalive on up needs a handshake first");
        net.pump();
        assertNotNull(net.a.peer.keypairs().current());
    }

    @Test
    void shouldForgetEverythingAboutRemovedPeer() {
        final TestNet net = established(50);
        final Peer removed = net.b.peer;
        assertTrue(net.b.dev.removePeer(removed.publicKey()));
        assertEquals(0, net.b.dev.indexTable().size());
        assertTrue(removed.isRemoved());
        assertEquals(List.of(), net.b.dev.allowedIps(removed));
        final byte[] p = Packets.ipv4(net.b.tunnelIp, net.a.tunnelIp, 60, 0);
        assertEquals(DropReason.NO_ROUTE, net.b.dev.onTunPacket(MemorySegment.ofArray(p), 0, p.length, 0, net.b));
        net.a.sendTo(net.b, 100);
        net.pump();
        assertEquals(1, net.b.dev.counters().get(DropReason.UNKNOWN_INDEX));
        assertFalse(net.b.dev.removePeer(removed.publicKey()));
    }

    @Test
    void shouldDropInitiationFromUnknownPeerSilently() {
        final TestNet net = new TestNet(51);
        final TestNet other = new TestNet(60);
        // other.a is configured with B's key but B does not know other.a.
        final Peer towardsB = other.a.dev.addPeer(PeerKey.of(net.b.publicKey));
        other.a.dev.addAllowedIp(towardsB, Prefix.parse("203.0.113.0/24"));
        other.a.dev.setEndpoint(towardsB, net.b.endpoint);
        final byte[] p = Packets.ipv4(other.a.tunnelIp, "203.0.113.1", 60, 0);
        other.a.dev.onTunPacket(MemorySegment.ofArray(p), 0, p.length, 0, other.a);
        final List<TestNet.Datagram> inits = new ArrayList<>(other.a.sentOfType(MESSAGE_HANDSHAKE_INITIATION));
        assertEquals(1, inits.size());
        assertEquals(DropReason.UNKNOWN_PEER, deliver(net.b, inits.get(0).bytes(), other.a.endpoint, net));
        assertTrue(net.b.sent.isEmpty());
    }

    @Test
    void shouldDropDuplicateResponse() {
        final TestNet net = established(53);
        final byte[] response = net.b.sentOfType(MESSAGE_HANDSHAKE_RESPONSE).get(0).bytes();
        assertEquals(DropReason.UNKNOWN_INDEX, deliver(net.a, response, net.b.endpoint, net));
        assertSame(net.a.peer.keypairs().current(), net.a.peer.keypairs().current());
    }
}
