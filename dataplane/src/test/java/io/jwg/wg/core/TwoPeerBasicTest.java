package io.jwg.wg.core;

import static io.jwg.wg.core.TestNet.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.wg.noise.Keypair;
import io.jwg.wg.protocol.ProtocolConstants;
import io.jwg.wg.stats.CounterEvent;
import org.junit.jupiter.api.Test;

class TwoPeerBasicTest {
    @Test
    void shouldHandshakeAndExchangeDataBothWays() {
        final TestNet net = new TestNet(1);
        final byte[] first = Packets.ipv4(net.a.tunnelIp, net.b.tunnelIp, 100, 7);
        net.a.dev.onTunPacket(java.lang.foreign.MemorySegment.ofArray(first), 0, first.length, net.clock.now(), net.a);
        assertEquals(1, net.a.countSent(ProtocolConstants.MESSAGE_HANDSHAKE_INITIATION));
        net.pump();
        assertEquals(1, net.b.countSent(ProtocolConstants.MESSAGE_HANDSHAKE_RESPONSE));
        assertEquals(1, net.b.tun.size(), "staged packet delivered after the handshake");
        assertArrayEquals(first, net.b.tun.get(0));

        final Keypair aCurrent = net.a.peer.keypairs().current();
        assertNotNull(aCurrent);
        assertTrue(aCurrent.isInitiator());
        assertSame(net.b.peer.keypairs().current().peer(), net.b.peer);
        assertNull(net.b.peer.keypairs().next(), "first data under next confirmed the session");
        assertEquals(aCurrent.remoteIndex(), net.b.peer.keypairs().current().localIndex());
        assertEquals(aCurrent.localIndex(), net.b.peer.keypairs().current().remoteIndex());

        net.b.sendTo(net.a, 60);
        net.pump();
        assertEquals(1, net.a.tun.size());
        assertEquals(60, net.a.tun.get(0).length, "padding trimmed to the IP total length");

        for (int i = 0; i < 50; i++) {
            net.a.sendTo(net.b, 40 + i);
            net.b.sendTo(net.a, 1000 + i);
        }
        net.pump();
        assertEquals(51, net.b.tun.size());
        assertEquals(51, net.a.tun.size());
        assertEquals(0, net.a.dev.counters().totalDrops(), net.a.dev.counters().toString());
        assertEquals(0, net.b.dev.counters().totalDrops(), net.b.dev.counters().toString());
        assertEquals(FakeClock.WALL_BASE_NS + net.clock.now(), net.a.peer.lastHandshakeWallNs());
        assertEquals(FakeClock.WALL_BASE_NS + net.clock.now(), net.b.peer.lastHandshakeWallNs());
        assertTrue(net.a.peer.txBytes() > 0 && net.a.peer.rxBytes() > 0);
        assertEquals(net.a.peer.txBytes(), net.b.peer.rxBytes(), "rx/tx count whole messages, handshakes included");
        assertEquals(net.b.peer.txBytes(), net.a.peer.rxBytes());
        assertEquals(net.b.endpoint.toString(), net.a.peer.endpoint().toString());
        assertEquals(net.a.endpoint.toString(), net.b.peer.endpoint().toString(), "responder learned the endpoint");
    }

    @Test
    void shouldSendKeepaliveForKeyConfirmationWhenNothingIsStaged() {
        final TestNet net = new TestNet(2);
        net.a.dev.setPersistentKeepalive(net.a.peer, 25, net.clock.now(), net.a);
        net.pump();
        // Turning persistent keepalive on sent a keepalive at once; without a session that staged it and initiated.
        assertEquals(1, net.a.countSent(ProtocolConstants.MESSAGE_HANDSHAKE_INITIATION));
        assertEquals(1, net.b.countSent(ProtocolConstants.MESSAGE_HANDSHAKE_RESPONSE));
        assertTrue(net.a.countSent(ProtocolConstants.MESSAGE_DATA) >= 1);
        assertEquals(32, net.a.sentOfType(ProtocolConstants.MESSAGE_DATA).get(0).bytes().length);
        assertNotNull(net.b.peer.keypairs().current(), "keepalive confirmed the responder's next keypair");
        assertEquals(0, net.b.tun.size(), "keepalives are not delivered");
        assertEquals(1, net.b.dev.counters().get(CounterEvent.KEEPALIVE_RECEIVED));
        net.advance(s(1));
        assertEquals(0, net.b.dev.counters().totalDrops());
    }
}
