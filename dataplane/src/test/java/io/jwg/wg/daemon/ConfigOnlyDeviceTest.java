package io.jwg.wg.daemon;

import io.jwg.wg.config.ConfigChange;
import io.jwg.wg.config.DeviceConfig;
import io.jwg.wg.config.Endpoint;
import io.jwg.wg.config.PeerRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

import static io.jwg.wg.config.TestKeys.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigOnlyDeviceTest {

    private ConfigOnlyDevice device;

    @BeforeEach
    void setUp() throws Exception {
        device = ConfigOnlyDevice.open();
    }

    @AfterEach
    void tearDown() {
        device.close();
    }

    private int setPort(final int port) {
        return device.apply(device.config().edit().listenPort(port).build());
    }

    @Test
    void shouldBindARandomPortAtStartAndTheConfiguredOneLater() throws Exception {
        final int random = device.listenPortInUse();
        assertTrue(random > 0);
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(0));
            final int free = ((InetSocketAddress) probe.getLocalAddress()).getPort();
            probe.close();
            assertEquals(0, setPort(free));
            assertEquals(free, device.listenPortInUse());
        }
        assertEquals(0, setPort(0));
        assertNotEquals(0, device.listenPortInUse());
    }

    @Test
    void shouldReturnEaddrinuseAndKeepEverythingWhenThePortIsTaken() throws Exception {
        try (DatagramChannel other = DatagramChannel.open()) {
            other.bind(new InetSocketAddress(0));
            final int taken = ((InetSocketAddress) other.getLocalAddress()).getPort();
            final DeviceConfig before = device.config();
            final int bound = device.listenPortInUse();
            final DeviceConfig next = before.edit().listenPort(taken).build();
            assertEquals(ConfigOnlyDevice.EADDRINUSE, device.apply(next));
            assertSame(before, device.config());
            assertEquals(bound, device.listenPortInUse());
        }
    }

    @Test
    void shouldReportIdleRuntimeWithTheConfiguredEndpoint() {
        final var e = device.config().edit();
        e.createPeer(key("a")).endpoint(Endpoint.parse("192.0.2.1:51820"));
        assertEquals(0, device.apply(e.build()));
        assertEquals(PeerRuntime.idle(Endpoint.parse("192.0.2.1:51820")), device.runtime(key("a")));
        assertNull(device.runtime(key("b")));
    }

    @Test
    void shouldRejectAChangeComputedAgainstAnotherConfiguration() {
        final DeviceConfig other = DeviceConfig.EMPTY.edit().fwmark(1).build();
        assertThrows(IllegalStateException.class,
            () -> device.apply(ConfigChange.between(other, other.edit().fwmark(2).build())));
    }
}
