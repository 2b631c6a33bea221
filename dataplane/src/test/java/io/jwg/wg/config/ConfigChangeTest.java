package io.jwg.wg.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jwg.wg.config.TestKeys.FAKE_PUBLIC;
import static io.jwg.wg.config.TestKeys.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigChangeTest {

    private static final Key A = key("a");
    private static final Key B = key("b");
    private static final Key C = key("c");

    private static IpPrefix ip(final String s) {
        return IpPrefix.parse(s);
    }

    private static DeviceConfig base() {
        final DeviceConfigEditor e = DeviceConfig.EMPTY.edit();
        e.listenPort(51820);
        e.createPeer(A).addAllowedIp(ip("192.0.2.0/24")).endpoint(Endpoint.parse("203.0.113.1:1"));
        e.createPeer(B).addAllowedIp(ip("198.51.100.0/24"));
        return e.build();
    }

    @Test
    void shouldBeEmptyWhenNothingChanges() {
        final DeviceConfig b = base();
        assertTrue(ConfigChange.between(b, b).isEmpty());
        assertTrue(b.edit().change().isEmpty());
    }

    @Test
    void shouldListRemovedAddedAndUpdatedPeers() {
        final DeviceConfigEditor e = base().edit();
        e.removePeer(B);
        e.createPeer(C).addAllowedIp(ip("198.51.100.0/24"));
        e.peer(A).persistentKeepaliveSec(25).addAllowedIp(ip("203.0.113.0/24")).presharedKey(key("psk"));
        final ConfigChange ch = e.change();
        assertEquals(List.of(B), ch.removedPeers());
        assertEquals(List.of(C), ch.addedPeers().stream().map(PeerConfig::publicKey).toList());
        assertEquals(1, ch.updatedPeers().size());
        final ConfigChange.PeerUpdate u = ch.updatedPeers().get(0);
        assertEquals(A, u.publicKey());
        assertTrue(u.persistentKeepaliveChanged());
        assertTrue(u.persistentKeepaliveTurnedOn());
        assertTrue(u.presharedKeyChanged());
        assertFalse(u.endpointChanged());
        assertEquals(List.of(ip("203.0.113.0/24")), u.addedAllowedIps());
        assertEquals(List.of(), u.removedAllowedIps());
        assertFalse(ch.listenPortChanged());
        assertFalse(ch.privateKeyChanged());
    }

    @Test
    void shouldTreatARecreatedPeerAsRemovedAndAdded() {
        final DeviceConfigEditor e = base().edit();
        e.removeAllPeers();
        e.createPeer(A).addAllowedIp(ip("192.0.2.0/24")).endpoint(Endpoint.parse("203.0.113.1:1"));
        final ConfigChange ch = e.change();
        assertEquals(List.of(A, B), ch.removedPeers());
        assertEquals(List.of(A), ch.addedPeers().stream().map(PeerConfig::publicKey).toList());
        assertTrue(ch.updatedPeers().isEmpty());
        // a plain diff of the same snapshots cannot see it
        assertEquals(List.of(B), ConfigChange.between(ch.previous(), ch.next()).removedPeers());
    }

    @Test
    void shouldReportAnExplicitEndpointSetEvenIfTheValueIsUnchanged() {
        final DeviceConfigEditor e = base().edit();
        e.peer(A).endpoint(Endpoint.parse("203.0.113.1:1"));
        final ConfigChange ch = e.change();
        assertFalse(ch.isEmpty());
        assertEquals(1, ch.updatedPeers().size());
        assertTrue(ch.updatedPeers().get(0).endpointSet());
        assertTrue(ch.updatedPeers().get(0).endpointChanged());
    }

    @Test
    void shouldReportDeviceFieldChanges() {
        final Key priv = key("p").clampedAsPrivateKey();
        final DeviceConfigEditor e = base().edit();
        e.privateKey(priv, FAKE_PUBLIC.publicKey(priv)).listenPort(0).fwmark(51820);
        final ConfigChange ch = e.change();
        assertTrue(ch.privateKeyChanged());
        assertTrue(ch.listenPortChanged());
        assertTrue(ch.fwmarkChanged());
        assertTrue(ch.removedPeers().isEmpty() && ch.addedPeers().isEmpty() && ch.updatedPeers().isEmpty());
    }

    @Test
    void shouldShowAnAllowedIpMoveOnBothPeers() {
        final DeviceConfigEditor e = base().edit();
        e.peer(B).addAllowedIp(ip("192.0.2.0/24"));
        final ConfigChange ch = e.change();
        assertEquals(2, ch.updatedPeers().size());
        assertEquals(List.of(ip("192.0.2.0/24")), ch.updatedPeers().get(0).removedAllowedIps());
        assertEquals(List.of(ip("192.0.2.0/24")), ch.updatedPeers().get(1).addedAllowedIps());
    }
}
