package io.jwg.wg.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jwg.crypto.X25519;
import io.jwg.wg.config.DeviceConfig;
import io.jwg.wg.config.Endpoint;
import io.jwg.wg.config.IpPrefix;
import io.jwg.wg.config.Key;
import io.jwg.wg.config.PeerConfig;
import io.jwg.wg.config.PeerRuntime;
import io.jwg.wg.core.WallClock;
import io.jwg.wg.noise.Keypair;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real device class configured the way UAPI configures it ({@code apply} of whole
 * configurations), over in-memory TUNs and UDP: traffic, EADDRINUSE leaving everything unchanged,
 * and a listen-port change that keeps the session.
 */
class PipelineDeviceTest {
    static final int OUTER_A = 0xCB007101; // 203.0.113.1
    static final int OUTER_B = 0xCB007102; // 203.0.113.2
    static final int INNER_A = 0xC6336401; // 198.51.100.1
    static final int INNER_B = 0xC6336402; // 198.51.100.2

    private final ChannelNetwork net = new ChannelNetwork();
    private final long seed = System.nanoTime();
    private PipelineDevice a;
    private PipelineDevice b;
    private final ChannelTun tunA = new ChannelTun("a", 1420, 256);
    private final ChannelTun tunB = new ChannelTun("b", 1420, 256);

    @AfterEach
    void tearDown() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private PipelineDevice device(final ChannelTun tun, final int address, final long s) throws Exception {
        final int[] nextPort = {40000 + (int) (s & 0xFFF)};
        return new PipelineDevice(tun, (port, fwmark) -> new ChannelBind(net, address, port == 0 ? nextPort[0]++ : port, 256),
            TestNode.smallSettings(2), new ManualClock(), WallClock.SYSTEM, new Random(s));
    }

    private static Key[] keys(final long s) {
        final byte[] priv = new byte[32];
        final byte[] pub = new byte[32];
        X25519.generatePrivateKey(new Random(s), priv);
        X25519.publicKey(priv, pub);
        return new Key[] {Key.of(priv), Key.of(pub)};
    }

    private static byte[] v4(final int a) {
        return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }

    private static DeviceConfig config(final Key[] own, final int port, final Key[] peer, final int peerOuter,
                                       final int peerPort, final int peerInner) {
        final PeerConfig pc = new PeerConfig(peer[1], null, Endpoint.of(v4(peerOuter), null, peerPort), 0,
            List.of(IpPrefix.of(v4(peerInner), 32)));
        return DeviceConfig.of(own[0], own[1], port, 0, List.of(pc));
    }

    private void ping(final ChannelTun from, final ChannelTun to, final int src, final int dst, final long seq) {
        final long deadlineNs = System.nanoTime() + 20_000_000_000L;
        while (!from.inject(Packets.ipv4(src, dst, seq, 100))) {
            Thread.onSpinWait();
        }
        for (;;) {
            final byte[] p = to.takeOutbound(10_000_000L);
            if (p != null && Packets.seq(p) == seq) {
                return;
            }
            if (System.nanoTime() - deadlineNs > 0) {
                fail("packet " + seq + " not delivered, seed=" + seed + " a=" + a.dataPlane().counters() + " b="
                    + b.dataPlane().counters());
            }
        }
    }

    @Test
    void shouldCarryTrafficBothWaysAfterApplyingConfigurations() throws Exception {
        final Key[] ka = keys(seed);
        final Key[] kb = keys(seed + 1);
        a = device(tunA, OUTER_A, seed);
        b = device(tunB, OUTER_B, seed + 7);
        assertEquals(0, a.apply(config(ka, 51820, kb, OUTER_B, 51821, INNER_B)));
        assertEquals(0, b.apply(config(kb, 51821, ka, OUTER_A, 51820, INNER_A)));
        assertEquals(51820, a.listenPortInUse());
        for (int i = 0; i < 20; i++) {
            ping(tunA, tunB, INNER_A, INNER_B, i);
            ping(tunB, tunA, INNER_B, INNER_A, 1000 + i);
        }
        final PeerRuntime rt = a.runtime(kb[1]);
        assertNotNull(rt);
        assertTrue(rt.lastHandshakeEpochSec() > 0, "handshake time recorded");
        assertTrue(rt.rxBytes() > 0 && rt.txBytes() > 0);
        assertEquals(Endpoint.of(v4(OUTER_B), null, 51821), rt.endpoint());
    }

    @Test
    void shouldReturnEaddrinuseAndChangeNothingWhenTheListenPortIsTaken() throws Exception {
        final Key[] ka = keys(seed);
        final Key[] kb = keys(seed + 1);
        a = device(tunA, OUTER_A, seed);
        b = device(tunB, OUTER_B, seed + 7);
        assertEquals(0, a.apply(config(ka, 51820, kb, OUTER_B, 51821, INNER_B)));
        assertEquals(0, b.apply(config(kb, 51821, ka, OUTER_A, 51820, INNER_A)));
        ping(tunA, tunB, INNER_A, INNER_B, 1);
        try (ChannelBind squatter = new ChannelBind(net, OUTER_A, 51999, 4)) {
            final DeviceConfig before = a.config();
            final DeviceConfig wanted = before.edit().listenPort(51999).build();
            assertEquals(PipelineDevice.EADDRINUSE, a.apply(wanted));
            assertSame(before, a.config(), "configuration unchanged");
            assertEquals(51820, a.listenPortInUse());
            ping(tunA, tunB, INNER_A, INNER_B, 2);
        }
    }

    @Test
    void shouldKeepTheSessionAndRoamWhenTheListenPortChanges() throws Exception {
        final Key[] ka = keys(seed);
        final Key[] kb = keys(seed + 1);
        a = device(tunA, OUTER_A, seed);
        b = device(tunB, OUTER_B, seed + 7);
        assertEquals(0, a.apply(config(ka, 51820, kb, OUTER_B, 51821, INNER_B)));
        assertEquals(0, b.apply(config(kb, 51821, ka, OUTER_A, 51820, INNER_A)));
        ping(tunA, tunB, INNER_A, INNER_B, 1);
        ping(tunB, tunA, INNER_B, INNER_A, 2);
        final Keypair session = a.core().peers().get(0).keypairs().current();
        assertEquals(0, a.apply(a.config().edit().listenPort(52000).build()));
        assertEquals(52000, a.listenPortInUse());
        // a speaks first from its new port; b learns it by roaming and answers there.
        ping(tunA, tunB, INNER_A, INNER_B, 3);
        ping(tunB, tunA, INNER_B, INNER_A, 4);
        assertSame(session, a.core().peers().get(0).keypairs().current(), "no new handshake was needed");
        assertEquals(52000, b.runtime(ka[1]).endpoint().port());
    }
}
