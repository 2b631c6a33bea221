package io.jwg.wg.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndpointTest {

    /** Input and Go's netip.ParseAddrPort(...).String(). */
    @ParameterizedTest
    @CsvSource({
        "192.0.2.1:51820, 192.0.2.1:51820",
        "192.0.2.1:0, 192.0.2.1:0",
        "192.0.2.1:065535, 192.0.2.1:65535",
        "[2001:db8::1]:51820, [2001:db8::1]:51820",
        "[2001:DB8:0::1]:1, [2001:db8::1]:1",
        "[::ffff:192.0.2.1]:7, [::ffff:192.0.2.1]:7",
        "[fe80::1%eth0]:51820, [fe80::1%eth0]:51820",
        "[fe80::1%2]:51820, [fe80::1%2]:51820",
    })
    void shouldParseAndPrintLikeGoAddrPort(final String in, final String out) {
        final Endpoint e = Endpoint.parse(in);
        assertNotNull(e, in);
        assertEquals(out, e.toString());
        assertEquals(e, Endpoint.parse(out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", "192.0.2.1", "192.0.2.1:", "192.0.2.1:65536", "192.0.2.1:-1", "192.0.2.1:+1",
        "192.0.2.1: 1", "[192.0.2.1]:1", "2001:db8::1:51820", "[2001:db8::1]", "[2001:db8::1]:", "[2001:db8::1:1",
        "2001:db8::1]:1", "[fe80::1%]:1", "example.com:51820", "localhost:1", "192.0.2.1%eth0:1", "[]:1", "[::1]x:1"})
    void shouldRejectWhatGoRejects(final String in) {
        assertNull(Endpoint.parse(in), in);
    }

    @Test
    void shouldConvertToAndFromJdkSocketAddressesWithoutLookup() throws Exception {
        final Endpoint v4 = Endpoint.parse("203.0.113.5:4242");
        final InetSocketAddress s4 = v4.toSocketAddress();
        assertInstanceOf(Inet4Address.class, s4.getAddress());
        assertEquals(4242, s4.getPort());
        assertEquals(v4, Endpoint.of(s4));
        final Endpoint v6 = Endpoint.parse("[2001:db8::5]:4242");
        final InetSocketAddress s6 = v6.toSocketAddress();
        assertInstanceOf(Inet6Address.class, s6.getAddress());
        assertEquals(v6, Endpoint.of(s6));
        final Endpoint lo = Endpoint.parse("[fe80::1%lo]:1");
        assertEquals("lo", Endpoint.of(lo.toSocketAddress()).zone());
        assertTrue(Endpoint.parse("[::ffff:192.0.2.1]:7").toSocketAddress().getAddress().getAddress().length >= 4);
    }
}
