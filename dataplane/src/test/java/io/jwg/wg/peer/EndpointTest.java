package io.jwg.wg.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EndpointTest {
    @Test
    void shouldReplacePeerEndpointOnlyWhenSourceChanges() {
        final Peer p = new Peer(PeerKey.of(new byte[32]), new Random(1), k -> { });
        final Endpoint rx = Endpoint.mutable();
        rx.setV4(0xC0000201, 51820);
        assertTrue(p.updateEndpointFrom(rx));
        final Endpoint stored = p.endpoint();
        assertTrue(stored.isFrozen());
        assertNotSame(rx, stored);
        rx.setV4(0xC0000201, 51820);
        assertFalse(p.updateEndpointFrom(rx), "same source: no change, no allocation");
        assertSame(stored, p.endpoint());
        rx.setV4(0xC0000201, 51821);
        assertTrue(p.updateEndpointFrom(rx));
        assertEquals("192.0.2.1:51821", p.endpoint().toString());
    }

    @Test
    void shouldRoundTripSocketAddressesAndPrintUapiForm() {
        final Endpoint v6 = Endpoint.of(new InetSocketAddress("2001:db8::1", 443));
        assertEquals("[2001:db8:0:0:0:0:0:1]:443", v6.toString());
        assertEquals(new InetSocketAddress("2001:db8::1", 443), v6.toInetSocketAddress());
        final Endpoint v4 = Endpoint.of(new InetSocketAddress("198.51.100.7", 7));
        assertEquals("198.51.100.7:7", v4.toString());
        final byte[] out = new byte[18];
        assertEquals(6, v4.writeAddressAndPort(out, 0));
        assertArrayEquals(new byte[] {(byte) 198, 51, 100, 7, 0, 7}, java.util.Arrays.copyOf(out, 6));
        assertEquals(18, v6.writeAddressAndPort(out, 0));
    }

    @Test
    void shouldRefuseMutatingFrozenEndpoints() {
        final Endpoint e = Endpoint.ofV4(1, 2);
        assertThrows(IllegalStateException.class, () -> e.setV4(3, 4));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.ofV4(1, 70000));
        final Endpoint sticky = Endpoint.mutable().setV4(1, 2).setSource(5L << 32, 0, 3);
        final Endpoint frozen = sticky.frozenCopy();
        assertTrue(frozen.hasSource());
        assertFalse(frozen.withoutSource().hasSource());
        assertTrue(frozen.withoutSource().sameRemote(frozen));
        assertFalse(frozen.withoutSource().sameAs(frozen));
    }
}
