package io.jwg.wg.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpPrefixTest {

    /** Input and the text Go's netip.ParsePrefix(...).Masked().String() gives. */
    @ParameterizedTest
    @CsvSource({
        "192.0.2.1/32, 192.0.2.1/32",
        "192.0.2.77/24, 192.0.2.0/24",
        "198.51.100.255/25, 198.51.100.128/25",
        "0.0.0.0/0, 0.0.0.0/0",
        "203.0.113.9/0, 0.0.0.0/0",
        "::/0, ::/0",
        "2001:db8::1/128, 2001:db8::1/128",
        "2001:DB8:0:0:0:0:0:1/128, 2001:db8::1/128",
        "2001:db8:1:2:3:4:5:6/32, 2001:db8::/32",
        "2001:0db8:0000:0000:0001:0000:0000:0001/128, 2001:db8::1:0:0:1/128",
        "2001:db8:0:0:1:0:0:0/128, 2001:db8:0:0:1::/128",
        "2001:db8:0:1:0:0:0:1/128, 2001:db8:0:1::1/128",
        "2001:db8:1:0:1:0:1:0/128, 2001:db8:1:0:1:0:1:0/128",
        "::ffff:198.51.100.7/128, ::ffff:198.51.100.7/128",
        "::ffff:198.51.100.7/120, ::ffff:198.51.100.0/120",
        "::198.51.100.7/128, ::c633:6407/128",
        "1:2:3:4:5:6:198.51.100.7/128, 1:2:3:4:5:6:c633:6407/128",
        "fe80::/10, fe80::/10",
        "1::/16, 1::/16",
        "0:0:0:0:0:0:0:1/128, ::1/128",
    })
    void shouldParseNormalizeAndPrintLikeGoNetip(final String in, final String out) {
        final IpPrefix p = IpPrefix.parse(in);
        assertNotNull(p, in);
        assertEquals(out, p.toString());
        assertEquals(p, IpPrefix.parse(out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "192.0.2.1", "192.0.2.1/", "192.0.2.1/33", "192.0.2.1/-1", "192.0.2.1/+1",
        "192.0.2.1/ 1", " 192.0.2.1/1", "192.0.2.1/1 ", "192.0.2.01/32", "192.0.2/24", "192.0.2.1.1/32",
        "256.0.2.1/32", "192.0.2.1/024", "2001:db8::/129", "2001:db8::1%eth0/128", "2001:db8:::1/128",
        ":1/128", "1:/128", "1:2:3:4:5:6:7:8:9/128", "1:2:3:4:5:6:7::8/128", "12345::/16",
        "::ffff:1.2.3/128", "1.2.3.4::/64", "::1.2.3.4:1/128", "example.com/32", "localhost/32", "[::1]/128"})
    void shouldRejectWhatGoRejects(final String in) {
        assertNull(IpPrefix.parse(in), in);
    }

    @Test
    void shouldMatchJdkParsingAndRoundTripWithRandomIpv6() throws Exception {
        final long seed = System.nanoTime();
        final Random rnd = new Random(seed);
        for (int i = 0; i < 3000; i++) {
            final byte[] a = new byte[16];
            // many zero groups so "::" compression is exercised
            for (int g = 0; g < 8; g++) {
                if (rnd.nextInt(3) != 0) {
                    final int v = rnd.nextBoolean() ? rnd.nextInt(0x10000) : rnd.nextInt(16);
                    a[2 * g] = (byte) (v >> 8);
                    a[2 * g + 1] = (byte) v;
                }
            }
            final String text = IpText.format(a);
            final byte[] back = IpText.parseIpv6(text, 0, text.length());
            assertArrayEquals(a, back, "seed " + seed + " text " + text);
            // the JDK parses IPv6 literals numerically (no lookup for a literal with ':')
            final byte[] jdk = InetAddress.getByName(text).getAddress();
            if (jdk.length == 16) {
                assertArrayEquals(a, jdk, "seed " + seed + " text " + text);
            } else {
                assertTrue(IpText.isIpv4Mapped(a), "seed " + seed + " text " + text);
            }
            assertFalse(text.contains(":::"), text);
            final int bits = rnd.nextInt(129);
            final IpPrefix p = IpPrefix.of(a, bits);
            assertEquals(p, IpPrefix.parse(p.toString()), "seed " + seed);
            assertTrue(p.contains(IpPrefix.of(a, 128)), "seed " + seed);
        }
    }

    @Test
    void shouldTellFamilyAndContainment() {
        final IpPrefix net = IpPrefix.parse("198.51.100.0/24");
        assertTrue(net.isIpv4());
        assertEquals(24, net.bits());
        assertTrue(net.contains(IpPrefix.parse("198.51.100.7/32")));
        assertFalse(net.contains(IpPrefix.parse("198.51.101.7/32")));
        assertFalse(net.contains(IpPrefix.parse("198.51.0.0/16")));
        assertFalse(net.contains(IpPrefix.parse("::/0")));
        assertFalse(IpPrefix.parse("::ffff:198.51.100.0/120").isIpv4());
    }
}
