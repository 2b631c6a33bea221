package io.jwg.wg.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jwg.wg.config.TestKeys.FAKE_PUBLIC;
import static io.jwg.wg.config.TestKeys.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceConfigEditorTest {

    private static final Key A = key("a");
    private static final Key B = key("b");
    private static final Key C = key("c");

    private static IpPrefix ip(final String s) {
        return IpPrefix.parse(s);
    }

    private static DeviceConfig twoPeers() {
        final DeviceConfigEditor e = DeviceConfig.EMPTY.edit();
        e.createPeer(A).addAllowedIp(ip("192.0.2.0/24")).addAllowedIp(ip("2001:db8::/64"));
        e.createPeer(B).addAllowedIp(ip("198.51.100.0/24"));
        return e.build();
    }

    @Test
    void shouldKeepPeersAndAllowedIpsInInsertionOrder() {
        final DeviceConfig c = twoPeers();
        assertEquals(List.of(A, B), c.peers().stream().map(PeerConfig::publicKey).toList());
        assertEquals(List.of(ip("192.0.2.0/24"), ip("2001:db8::/64")), c.peer(A).allowedIps());
        final DeviceConfigEditor e = c.edit();
        e.removePeer(A);
        e.createPeer(A);
        assertEquals(List.of(B, A), e.build().peers().stream().map(PeerConfig::publicKey).toList());
    }

    @Test
    void shouldMoveAnAllowedIpToThePeerThatInsertsItLast() {
        final DeviceConfigEditor e = twoPeers().edit();
        e.peer(B).addAllowedIp(ip("192.0.2.0/24"));
        final DeviceConfig c = e.build();
        assertEquals(List.of(ip("2001:db8::/64")), c.peer(A).allowedIps());
        assertEquals(List.of(ip("198.51.100.0/24"), ip("192.0.2.0/24")), c.peer(B).allowedIps());
    }

    @Test
    void shouldRemoveAnAllowedIpOnlyFromItsOwner() {
        final DeviceConfigEditor e = twoPeers().edit();
        e.peer(B).removeAllowedIp(ip("192.0.2.0/24"));        // owned by A: no effect
        e.peer(A).removeAllowedIp(ip("198.51.100.0/24"));     // owned by B: no effect
        e.peer(A).removeAllowedIp(ip("2001:db8::/64"));
        final DeviceConfig c = e.build();
        assertEquals(List.of(ip("192.0.2.0/24")), c.peer(A).allowedIps());
        assertEquals(List.of(ip("198.51.100.0/24")), c.peer(B).allowedIps());
    }

    @Test
    void shouldFreeAllowedIpsOfRemovedAndClearedPeers() {
        final DeviceConfigEditor e = twoPeers().edit();
        e.peer(A).clearAllowedIps();
        e.removePeer(B);
        e.createPeer(C).addAllowedIp(ip("192.0.2.0/24")).addAllowedIp(ip("198.51.100.0/24"));
        final DeviceConfig c = e.build();
        assertEquals(List.of(), c.peer(A).allowedIps());
        assertEquals(2, c.peer(C).allowedIps().size());
    }

    @Test
    void shouldRemoveThePeerWithTheNewOwnPublicKey() {
        final Key priv = key("device-private").clampedAsPrivateKey();
        final Key pub = FAKE_PUBLIC.publicKey(priv);
        final DeviceConfigEditor e = DeviceConfig.EMPTY.edit();
        e.createPeer(A);
        e.createPeer(pub).addAllowedIp(ip("203.0.113.0/24"));
        e.privateKey(priv, pub);
        final DeviceConfig c = e.build();
        assertNull(c.peer(pub));
        assertEquals(pub, c.publicKey());
        assertThrows(IllegalArgumentException.class, () -> c.edit().createPeer(pub));
        // and the freed prefix can go elsewhere
        final DeviceConfigEditor e2 = c.edit();
        e2.peer(A).addAllowedIp(ip("203.0.113.0/24"));
        assertEquals(1, e2.build().peer(A).allowedIps().size());
    }

    @Test
    void shouldRejectInvariantViolationsAsProgrammerErrors() {
        final PeerConfig a1 = PeerConfig.of(A).withAllowedIps(List.of(ip("192.0.2.0/24")));
        final PeerConfig b1 = PeerConfig.of(B).withAllowedIps(List.of(ip("192.0.2.0/24")));
        assertThrows(IllegalArgumentException.class, () -> DeviceConfig.of(null, null, 0, 0, List.of(a1, b1)));
        assertThrows(IllegalArgumentException.class, () -> DeviceConfig.of(null, null, 0, 0, List.of(a1, a1)));
        assertThrows(IllegalArgumentException.class, () -> DeviceConfig.of(A, null, 0, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> DeviceConfig.of(Key.ZERO, B, 0, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> DeviceConfig.of(C, A, 0, 0, List.of(a1)));
        assertThrows(IllegalArgumentException.class, () -> DeviceConfig.of(null, null, 65536, 0, List.of()));
        assertThrows(IllegalArgumentException.class,
            () -> PeerConfig.of(A).withAllowedIps(List.of(ip("192.0.2.0/24"), ip("192.0.2.9/24"))));
        assertThrows(IllegalArgumentException.class, () -> PeerConfig.of(A).withPersistentKeepaliveSec(65536));
    }

    @Test
    void shouldNormalizeZeroPresharedKeyToNone() {
        assertFalse(PeerConfig.of(A).withPresharedKey(Key.ZERO).hasPresharedKey());
        assertTrue(PeerConfig.of(A).withPresharedKey(B).hasPresharedKey());
        assertFalse(PeerConfig.of(A).withPresharedKey(B).toString().contains(B.toBase64()));
    }

    @Test
    void shouldFailAfterUseOfARemovedPeerEditor() {
        final DeviceConfigEditor e = twoPeers().edit();
        final DeviceConfigEditor.PeerEditor a = e.peer(A);
        e.removePeer(A);
        assertThrows(IllegalStateException.class, () -> a.addAllowedIp(ip("203.0.113.0/24")));
    }

    @Test
    void shouldLeaveTheBaseUntouched() {
        final DeviceConfig base = twoPeers();
        final DeviceConfig copy = base.edit().build();
        final DeviceConfigEditor e = base.edit();
        e.peer(A).addAllowedIp(ip("203.0.113.0/24")).persistentKeepaliveSec(25);
        e.removePeer(B);
        e.listenPort(51820).fwmark(-1);
        e.build();
        assertEquals(copy, base);
        assertSame(base, e.base());
    }
}
