package io.jwg.wg.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.routing.Prefix;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandshakeRateLimiterTest {
    private static Endpoint v4(final String ip, final int port) {
        return Endpoint.ofV4((int) (Prefix.parse(ip + "/32").hi() >>> 32), port);
    }

    private static Endpoint v6(final String ip) {
        final Prefix p = Prefix.parse(ip + "/128");
        return Endpoint.ofV6(p.hi(), p.lo(), 1);
    }

    private static int allowedOf(final HandshakeRateLimiter rl, final Endpoint e, final int n, final long now) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            if (rl.allow(e, now)) {
                ok++;
            }
        }
        return ok;
    }

    @Test
    void shouldAllowBurstOfFiveThenTwentyPerSecond() {
        final HandshakeRateLimiter rl = new HandshakeRateLimiter();
        final Endpoint e = v4("192.0.2.1", 1);
        assertEquals(5, allowedOf(rl, e, 100, 0));
        assertFalse(rl.allow(e, 49_999_999L));
        assertTrue(rl.allow(e, 100_000_000L), "one token per 50 ms");
        // One second later: 20 tokens earned, but the bucket holds only 5.
        assertEquals(5, allowedOf(rl, e, 100, 1_100_000_000L));
    }

    @Test
    void shouldKeyIpv4ByAddressAndIpv6ByPrefix64() {
        final HandshakeRateLimiter rl = new HandshakeRateLimiter();
        assertEquals(5, allowedOf(rl, v4("192.0.2.1", 1), 10, 0));
        assertEquals(0, allowedOf(rl, v4("192.0.2.1", 2), 10, 0), "port does not matter");
        assertEquals(5, allowedOf(rl, v4("192.0.2.2", 1), 10, 0));
        assertEquals(5, allowedOf(rl, v6("2001:db8:1:2::1"), 10, 0));
        assertEquals(0, allowedOf(rl, v6("2001:db8:1:2:ffff::9"), 10, 0), "same /64 shares a bucket");
        assertEquals(5, allowedOf(rl, v6("2001:db8:1:3::1"), 10, 0));
    }

    @Test
    void shouldKeyIpv4MappedIpv6SourcesAsIpv4() {
        final HandshakeRateLimiter rl = new HandshakeRateLimiter();
        assertEquals(5, allowedOf(rl, Endpoint.ofV6(0, 0x0000_FFFF_C000_0201L, 1), 10, 0));
        assertEquals(5, allowedOf(rl, Endpoint.ofV6(0, 0x0000_FFFF_C000_0202L, 1), 10, 0), "not one bucket for all of IPv4");
        assertEquals(0, allowedOf(rl, v4("192.0.2.1", 9), 10, 0), "same source as plain IPv4");
    }

    @Test
    void shouldForgetIdleSourcesAndRefuseNewOnesWhenFull() {
        final HandshakeRateLimiter rl = new HandshakeRateLimiter(100);
        for (int i = 0; i < 100; i++) {
            assertTrue(rl.allow(Endpoint.ofV4(0xC6120000 + i, 1), 0));
        }
        assertFalse(rl.allow(Endpoint.ofV4(0xC6120000 + 1000, 1), 1), "table full");
        assertTrue(rl.allow(Endpoint.ofV4(0xC6120000 + 5, 1), 2), "known sources still pass");
        assertEquals(100, rl.size());
        assertTrue(rl.allow(Endpoint.ofV4(0xC6120000 + 1000, 1), 2_000_000_000L), "idle entries swept");
        assertEquals(1, rl.size());
    }

    @Test
    void shouldKeepLiveEntriesThroughSweepsWithCollisions() {
        final HandshakeRateLimiter rl = new HandshakeRateLimiter(4096);
        final Random rnd = new Random(9);
        final int[] addrs = new int[3000];
        long now = 0;
        for (int i = 0; i < addrs.length; i++) {
            addrs[i] = rnd.nextInt();
            rl.allow(Endpoint.ofV4(addrs[i], 1), now);
        }
        // Keep every other source busy across sweeps; each must stay limited (its bucket is not reset).
        for (int round = 0; round < 5; round++) {
            now += 600_000_000L;
            for (int i = 0; i < addrs.length; i += 2) {
                for (int k = 0; k < 6; k++) {
                    rl.allow(Endpoint.ofV4(addrs[i], 1), now);
                }
            }
        }
        for (int i = 0; i < addrs.length; i += 2) {
            assertFalse(rl.allow(Endpoint.ofV4(addrs[i], 1), now), "busy source " + i + " kept its empty bucket");
        }
        assertEquals(addrs.length / 2, rl.size(), "idle half swept");
    }
}
