package io.jwg.wg.uapi;

import io.jwg.wg.config.DeviceConfig;
import io.jwg.wg.config.Endpoint;
import io.jwg.wg.config.IpPrefix;
import io.jwg.wg.config.Key;
import io.jwg.wg.config.PeerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static io.jwg.wg.config.TestKeys.FAKE_PUBLIC;
import static io.jwg.wg.config.TestKeys.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UapiSetTest {

    private static final Key A = key("a");
    private static final Key B = key("b");
    private static final Key C = key("c");
    private static final Key PRIV = key("priv");

    private TestDevice device;
    private UapiService service;

    @BeforeEach
    void setUp() {
        device = new TestDevice();
        service = new UapiService(device, FAKE_PUBLIC);
    }

    /** Runs the request body (lines joined by '\n', no set=1, no blank line) and returns the errno. */
    private int set(final String body) {
        return service.set(body.isEmpty() ? List.of() : Arrays.asList(body.split("\n", -1)));
    }

    private static String lines(final String... l) {
        return String.join("\n", l);
    }

    private DeviceConfig cfg() {
        return device.config();
    }

    private static IpPrefix ip(final String s) {
        return IpPrefix.parse(s);
    }

    @Test
    void shouldSetEveryDeviceKey() {
        assertEquals(0, set(lines("private_key=" + PRIV.toHex(), "listen_port=51820", "fwmark=4294967295")));
        assertEquals(PRIV.clampedAsPrivateKey(), cfg().privateKey());
        assertEquals(FAKE_PUBLIC.publicKey(PRIV), cfg().publicKey());
        assertEquals(51820, cfg().listenPort());
        assertEquals(-1, cfg().fwmark());
        assertEquals(0, set(lines("fwmark=0", "listen_port=0")));
        assertEquals(0, cfg().fwmark());
        assertEquals(0, cfg().listenPort());
        assertEquals(0, set("private_key=" + "0".repeat(64)));
        assertNull(cfg().privateKey());
        assertNull(cfg().publicKey());
    }

    @Test
    void shouldSetEveryPeerKey() {
        final Key psk = key("psk");
        assertEquals(0, set(lines("public_key=" + A.toHex(), "protocol_version=1", "preshared_key=" + psk.toHex(),
            "endpoint=[2001:db8::7]:51820", "persistent_keepalive_interval=25", "allowed_ip=192.0.2.0/24",
            "allowed_ip=2001:db8::/32")));
        final PeerConfig p = cfg().peer(A);
        assertNotNull(p);
        assertEquals(psk, p.presharedKey());
        assertEquals(Endpoint.parse("[2001:db8::7]:51820"), p.endpoint());
        assertEquals(25, p.persistentKeepaliveSec());
        assertEquals(List.of(ip("192.0.2.0/24"), ip("2001:db8::/32")), p.allowedIps());
        assertEquals(0, set(lines("public_key=" + A.toHex(), "preshared_key=" + "0".repeat(64),
            "persistent_keepalive_interval=0", "replace_allowed_ips=true", "allowed_ip=198.51.100.0/24")));
        final PeerConfig q = cfg().peer(A);
        assertFalse(q.hasPresharedKey());
        assertEquals(0, q.persistentKeepaliveSec());
        assertEquals(List.of(ip("198.51.100.0/24")), q.allowedIps());
        assertEquals(p.endpoint(), q.endpoint());
    }

    @Test
    void shouldStoreThePrivateKeyClampedAndAcceptUppercaseHex() {
        final byte[] ff = new byte[32];
        Arrays.fill(ff, (byte) 0xff);
        assertEquals(0, set("private_key=" + Key.of(ff).toHex().toUpperCase()));
        assertEquals("f8" + "ff".repeat(30) + "7f", cfg().privateKey().toHex());
    }

    @Test
    void shouldRemoveAllowedIpsWithTheMinusForm() {
        set(lines("public_key=" + A.toHex(), "allowed_ip=192.0.2.0/24", "allowed_ip=198.51.100.0/24",
            "public_key=" + B.toHex(), "allowed_ip=203.0.113.0/24"));
        assertEquals(0, set(lines("public_key=" + A.toHex(), "allowed_ip=-192.0.2.77/24",
            "allowed_ip=-203.0.113.0/24", "allowed_ip=-2001:db8::/32")));
        assertEquals(List.of(ip("198.51.100.0/24")), cfg().peer(A).allowedIps());
        assertEquals(List.of(ip("203.0.113.0/24")), cfg().peer(B).allowedIps(), "B's prefix is not A's to remove");
        assertEquals(UapiErrno.EINVAL, set(lines("public_key=" + A.toHex(), "allowed_ip=--192.0.2.0/24")));
        assertEquals(UapiErrno.EINVAL, set(lines("public_key=" + A.toHex(), "allowed_ip=-")));
    }

    @Test
    void shouldMoveAllowedIpsBetweenPeers() {
        assertEquals(0, set(lines("public_key=" + A.toHex(), "allowed_ip=192.0.2.0/24",
            "public_key=" + B.toHex(), "allowed_ip=192.0.2.1/24")));
        assertEquals(List.of(), cfg().peer(A).allowedIps());
        assertEquals(List.of(ip("192.0.2.0/24")), cfg().peer(B).allowedIps());
    }

    @Test
    void shouldReplacePeers() {
        set(lines("public_key=" + A.toHex(), "public_key=" + B.toHex()));
        assertEquals(0, set(lines("replace_peers=true", "public_key=" + C.toHex())));
        assertEquals(List.of(C), cfg().peers().stream().map(PeerConfig::publicKey).toList());
        assertEquals(0, set("replace_peers=true"));
        assertTrue(cfg().peers().isEmpty());
    }

    @Test
    void shouldMarkPeersRecreatedByReplacePeers() {
        set(lines("public_key=" + A.toHex(), "endpoint=192.0.2.1:1"));
        assertEquals(0, set(lines("replace_peers=true", "public_key=" + A.toHex(), "endpoint=192.0.2.1:1")));
        final var ch = device.applied.get(device.applied.size() - 1);
        assertEquals(List.of(A), ch.removedPeers());
        assertEquals(1, ch.addedPeers().size());
    }

    @Test
    void shouldRemoveAPeerAndIgnoreTheRestOfItsSection() {
        set(lines("public_key=" + A.toHex(), "allowed_ip=192.0.2.0/24", "public_key=" + B.toHex()));
        assertEquals(0, set(lines("public_key=" + A.toHex(), "remove=true", "allowed_ip=198.51.100.0/24",
            "endpoint=192.0.2.1:1")));
        assertNull(cfg().peer(A));
        assertNotNull(cfg().peer(B));
        // removing an unknown peer is not an error (and does not create it)
        assertEquals(0, set(lines("public_key=" + C.toHex(), "remove=true")));
        assertNull(cfg().peer(C));
        // the ignored lines are still checked
        assertEquals(UapiErrno.EINVAL, set(lines("public_key=" + B.toHex(), "remove=true", "endpoint=nonsense")));
        assertNotNull(cfg().peer(B), "a failing request removes nothing");
    }

    @Test
    void shouldUpdateOnlyExistingPeersWithUpdateOnly() {
        set(lines("public_key=" + A.toHex()));
        assertEquals(0, set(lines("public_key=" + A.toHex(), "update_only=true", "persistent_keepalive_interval=7",
            "public_key=" + B.toHex(), "update_only=true", "persistent_keepalive_interval=9",
            "allowed_ip=192.0.2.0/24")));
        assertEquals(7, cfg().peer(A).persistentKeepaliveSec());
        assertNull(cfg().peer(B));
        // update_only after lines that were applied to a just-created peer drops the peer again
        assertEquals(0, set(lines("public_key=" + C.toHex(), "allowed_ip=198.51.100.0/24", "update_only=true")));
        assertNull(cfg().peer(C));
        assertEquals(UapiErrno.EINVAL, set(lines("public_key=" + A.toHex(), "update_only=yes")));
    }

    @Test
    void shouldIgnoreAPeerSectionWithTheDevicesOwnPublicKey() {
        final Key own = FAKE_PUBLIC.publicKey(PRIV);
        assertEquals(0, set(lines("private_key=" + PRIV.toHex(), "public_key=" + own.toHex(),
            "allowed_ip=192.0.2.0/24", "endpoint=192.0.2.1:1", "public_key=" + A.toHex())));
        assertNull(cfg().peer(own));
        assertEquals(List.of(A), cfg().peers().stream().map(PeerConfig::publicKey).toList());
        assertEquals(UapiErrno.EINVAL, set(lines("public_key=" + own.toHex(), "allowed_ip=bad")));
    }

    @Test
    void shouldRemoveThePeerWithTheNewOwnPublicKeyWhenThePrivateKeyChanges() {
        final Key own = FAKE_PUBLIC.publicKey(PRIV);
        set(lines("public_key=" + own.toHex(), "allowed_ip=192.0.2.0/24", "public_key=" + A.toHex()));
        assertNotNull(cfg().peer(own));
        assertEquals(0, set("private_key=" + PRIV.toHex()));
        assertNull(cfg().peer(own));
        assertNotNull(cfg().peer(A));
    }

    @Test
    void shouldFailWithEinvalForUnknownKeysAndDeviceKeysInAPeerSection() {
        assertEquals(UapiErrno.EINVAL, set("bogus=1"));
        assertEquals(UapiErrno.EINVAL, set("=1"));
        assertEquals(UapiErrno.EINVAL, set("protocol_version=1"));  // a peer key in the device section
        assertEquals(UapiErrno.EINVAL, set("last_handshake_time_sec=0"));
        assertEquals(UapiErrno.EINVAL, set(lines("public_key=" + A.toHex(), "listen_port=1")));
        assertEquals(UapiErrno.EINVAL, set(lines("public_key=" + A.toHex(), "private_key=" + PRIV.toHex())));
        assertEquals(UapiErrno.EINVAL, set(lines("public_key=" + A.toHex(), "replace_peers=true")));
        assertEquals(UapiErrno.EINVAL, set(lines("public_key=" + A.toHex(), "rx_bytes=0")));
        assertTrue(device.applied.isEmpty());
    }

    @Test
    void shouldFailWithEprotoForALineWithoutEquals() {
        assertEquals(UapiErrno.EPROTO, set("listen_port"));
        assertEquals(UapiErrno.EPROTO, set(lines("public_key=" + A.toHex(), "remove")));
        assertEquals(UapiErrno.EPROTO, set(" "));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "private_key=", "private_key=abc", "private_key= 000000000000000000000000000000000000000000000000000000000000000",
        "listen_port=", "listen_port=65536", "listen_port=-1", "listen_port=+1", "listen_port= 1", "listen_port=1 ",
        "listen_port=0x10", "fwmark=4294967296", "fwmark=-1", "fwmark=", "fwmark=0x1",
        "replace_peers=false", "replace_peers=TRUE", "replace_peers=",
        "public_key=", "public_key=xyz",
        "PEER preshared_key=", "PEER preshared_key=00",
        "PEER endpoint=", "PEER endpoint=example.com:51820", "PEER endpoint=192.0.2.1", "PEER endpoint=2001:db8::1:1",
        "PEER persistent_keepalive_interval=65536", "PEER persistent_keepalive_interval=-1",
        "PEER persistent_keepalive_interval=",
        "PEER replace_allowed_ips=false", "PEER remove=false", "PEER remove=", "PEER update_only=1",
        "PEER allowed_ip=", "PEER allowed_ip=192.0.2.0", "PEER allowed_ip=192.0.2.0/33", "PEER allowed_ip=::/129",
        "PEER allowed_ip=192.0.2.0/24 ", "PEER allowed_ip=fe80::%eth0/64",
        "PEER protocol_version=0", "PEER protocol_version=2", "PEER protocol_version=",
    })
    void shouldFailWithEinvalForBadValues(final String line) {
        final String body = line.startsWith("PEER ") ? "public_key=" + A.toHex() + "\n" + line.substring(5) : line;
        assertEquals(UapiErrno.EINVAL, set(body), body);
        assertSame(DeviceConfig.EMPTY, cfg(), "nothing applied for " + body);
    }

    @Test
    void shouldLeaveTheConfigurationIdenticalWhenALineInTheMiddleFails() {
        set(lines("private_key=" + PRIV.toHex(), "listen_port=1000", "public_key=" + A.toHex(),
            "allowed_ip=192.0.2.0/24", "public_key=" + B.toHex(), "endpoint=192.0.2.1:5"));
        final DeviceConfig before = cfg();
        final int applied = device.applied.size();
        assertEquals(UapiErrno.EINVAL, set(lines("listen_port=2000", "replace_peers=true",
            "public_key=" + C.toHex(), "allowed_ip=192.0.2.0/24",
            "public_key=" + A.toHex(), "remove=true",
            "public_key=" + B.toHex(), "persistent_keepalive_interval=70000",
            "public_key=" + key("d").toHex())));
        assertSame(before, cfg());
        assertEquals(applied, device.applied.size());
    }

    @Test
    void shouldReturnTheDevicesErrnoAndKeepTheConfigurationWhenApplyFails() {
        set("listen_port=1000");
        final DeviceConfig before = cfg();
        device.failWith = UapiErrno.EADDRINUSE;
        assertEquals(UapiErrno.EADDRINUSE, set(lines("listen_port=2000", "public_key=" + A.toHex())));
        assertSame(before, cfg());
    }

    @Test
    void shouldNotApplyAnEmptyChange() {
        set("listen_port=1000");
        final int n = device.applied.size();
        assertEquals(0, set("listen_port=1000"));
        assertEquals(0, set(""));
        assertEquals(n, device.applied.size());
    }

    @Test
    void shouldPreferAnEarlierLineErrorOverAReadError() {
        assertEquals(UapiErrno.EINVAL, service.set(List.of("bogus=1"), UapiErrno.EIO));
        assertEquals(UapiErrno.EIO, service.set(List.of("listen_port=5"), UapiErrno.EIO));
        assertEquals(0, cfg().listenPort());
    }

    @Test
    void shouldReportTheFailingLineNumber() {
        final UapiSet.Outcome o = UapiSet.interpret(List.of("listen_port=1", "public_key=" + A.toHex(), "x=y"),
            DeviceConfig.EMPTY, FAKE_PUBLIC);
        assertEquals(UapiErrno.EINVAL, o.errno());
        assertEquals(3, o.lineNumber());
        assertNull(o.change());
        assertFalse(o.ok());
    }
}
