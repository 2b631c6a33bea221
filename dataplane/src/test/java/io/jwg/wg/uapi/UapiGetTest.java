package io.jwg.wg.uapi;

import io.jwg.wg.config.DeviceConfig;
import io.jwg.wg.config.DeviceConfigEditor;
import io.jwg.wg.config.Endpoint;
import io.jwg.wg.config.IpPrefix;
import io.jwg.wg.config.Key;
import io.jwg.wg.config.PeerRuntime;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.jwg.wg.config.TestKeys.FAKE_PUBLIC;
import static io.jwg.wg.config.TestKeys.key;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UapiGetTest {

    @Test
    void shouldRenderAnEmptyDeviceAsJustErrnoZero() {
        assertEquals("errno=0\n\n", UapiGet.render(DeviceConfig.EMPTY, 0, k -> null));
    }

    @Test
    void shouldRenderEveryKeyInWireguardGoOrder() {
        final Key priv = key("priv").clampedAsPrivateKey();
        final Key a = key("a");
        final Key b = key("b");
        final Key psk = key("psk");
        final DeviceConfigEditor e = DeviceConfig.EMPTY.edit();
        e.privateKey(priv, FAKE_PUBLIC.publicKey(priv)).listenPort(0).fwmark(0xffff_fffe);
        e.createPeer(a).presharedKey(psk).endpoint(Endpoint.parse("[2001:db8::1]:51820"))
            .persistentKeepaliveSec(25).addAllowedIp(IpPrefix.parse("198.51.100.0/24"))
            .addAllowedIp(IpPrefix.parse("2001:db8:1::/48"));
        e.createPeer(b);
        final DeviceConfig c = e.build();
        final Map<Key, PeerRuntime> rt = Map.of(a, new PeerRuntime(1_700_000_000L, 123_456_789L, 1000, -1L,
            Endpoint.parse("203.0.113.9:4000")));
        final String expected = ""
            + "private_key=" + priv.toHex() + "\n"
            + "listen_port=40000\n"
            + "fwmark=4294967294\n"
            + "public_key=" + a.toHex() + "\n"
            + "preshared_key=" + psk.toHex() + "\n"
            + "protocol_version=1\n"
            + "endpoint=203.0.113.9:4000\n"
            + "last_handshake_time_sec=1700000000\n"
            + "last_handshake_time_nsec=123456789\n"
            + "tx_bytes=18446744073709551615\n"
            + "rx_bytes=1000\n"
            + "persistent_keepalive_interval=25\n"
            + "allowed_ip=198.51.100.0/24\n"
            + "allowed_ip=2001:db8:1::/48\n"
            + "public_key=" + b.toHex() + "\n"
            + "preshared_key=" + "0".repeat(64) + "\n"
            + "protocol_version=1\n"
            + "last_handshake_time_sec=0\n"
            + "last_handshake_time_nsec=0\n"
            + "tx_bytes=0\n"
            + "rx_bytes=0\n"
            + "persistent_keepalive_interval=0\n"
            + "errno=0\n\n";
        assertEquals(expected, UapiGet.render(c, 40000, rt::get));
    }

    @Test
    void shouldReportTheConfiguredPortAndEndpointWhenNothingIsBoundOrLearned() {
        final DeviceConfigEditor e = DeviceConfig.EMPTY.edit();
        e.listenPort(51820);
        e.createPeer(key("a")).endpoint(Endpoint.parse("192.0.2.1:51820"));
        final String out = UapiGet.render(e.build(), 0, k -> null);
        assertEquals("listen_port=51820\n", out.substring(0, out.indexOf('\n') + 1));
        assertEquals(1, out.lines().filter(l -> l.equals("endpoint=192.0.2.1:51820")).count());
    }
}
