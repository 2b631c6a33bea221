package io.jwg.wg.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AllowedIpsTest {
    private static final String A = "peer-a";
    private static final String B = "peer-b";
    private static final String C = "peer-c";

    private static int v4(final String dotted) {
        final byte[] b = Prefix.parse(dotted + "/32").addressBytes();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    private static String lookup(final AllowedIps<String> t, final String addr) {
        final Prefix p = Prefix.parse(addr);
        return p.v6() ? t.lookupV6(p.hi(), p.lo()) : t.lookupV4(v4(addr));
    }

    @Test
    void shouldPickLongestPrefix() {
        final AllowedIps<String> t = new AllowedIps<>();
        t.insert(Prefix.parse("192.0.2.0/24"), A);
        t.insert(Prefix.parse("192.0.2.128/25"), B);
        t.insert(Prefix.parse("192.0.2.200/32"), C);
        assertEquals(A, lookup(t, "192.0.2.1"));
        assertEquals(B, lookup(t, "192.0.2.129"));
        assertEquals(C, lookup(t, "192.0.2.200"));
        assertNull(lookup(t, "198.51.100.1"));
    }

    @Test
    void shouldMaskHostBitsOnInsert() {
        final AllowedIps<String> t = new AllowedIps<>();
        t.insert(Prefix.parse("192.0.2.77/24"), A);
        assertEquals(List.of(Prefix.parse("192.0.2.0/24")), t.prefixesOf(A));
        assertEquals("192.0.2.0/24", t.prefixesOf(A).get(0).toString());
        assertEquals(A, lookup(t, "192.0.2.5"));
        t.insert(Prefix.parse("2001:db8::1234/32"), A);
        assertEquals("2001:db8::/32", t.prefixesOf(A).get(1).toString());
    }

    @Test
    void shouldAllowDefaultRoutes() {
        final AllowedIps<String> t = new AllowedIps<>();
        t.insert(Prefix.parse("0.0.0.0/0"), A);
        t.insert(Prefix.parse("::/0"), B);
        assertEquals(A, lookup(t, "203.0.113.9"));
        assertEquals(B, lookup(t, "2001:db8::9"));
        t.insert(Prefix.parse("203.0.113.0/24"), C);
        assertEquals(C, lookup(t, "203.0.113.9"));
        assertEquals(A, lookup(t, "198.18.0.1"));
        assertTrue(t.remove(Prefix.parse("203.0.113.0/24"), C));
        assertEquals(A, lookup(t, "203.0.113.9"));
    }

    @Test
    void shouldMovePrefixToNewOwnerOnInsert() {
        final AllowedIps<String> t = new AllowedIps<>();
        t.insert(Prefix.parse("198.51.100.0/24"), A);
        assertEquals(A, t.insert(Prefix.parse("198.51.100.0/24"), B));
        assertEquals(B, lookup(t, "198.51.100.7"));
        assertEquals(List.of(), t.prefixesOf(A));
        assertEquals(List.of(Prefix.parse("198.51.100.0/24")), t.prefixesOf(B));
        assertEquals(1, t.size());
    }

    @Test
    void shouldRemoveByPrefixOnlyWhenOwned() {
        final AllowedIps<String> t = new AllowedIps<>();
        t.insert(Prefix.parse("198.51.100.0/24"), A);
        assertFalse(t.remove(Prefix.parse("198.51.100.0/24"), B));
        assertEquals(A, lookup(t, "198.51.100.7"));
        assertFalse(t.remove(Prefix.parse("198.51.100.0/25"), A));
        assertTrue(t.remove(Prefix.parse("198.51.100.0/24"), A));
        assertNull(lookup(t, "198.51.100.7"));
    }

    @Test
    void shouldRemoveAllPrefixesOfAPeer() {
        final AllowedIps<String> t = new AllowedIps<>();
        t.insert(Prefix.parse("198.51.100.0/24"), A);
        t.insert(Prefix.parse("198.51.100.128/25"), B);
        t.insert(Prefix.parse("2001:db8:1::/48"), A);
        t.insert(Prefix.parse("203.0.113.3/32"), A);
        assertEquals(3, t.removeAll(A));
        assertNull(lookup(t, "198.51.100.7"));
        assertEquals(B, lookup(t, "198.51.100.200"));
        assertNull(lookup(t, "2001:db8:1::1"));
        assertNull(lookup(t, "203.0.113.3"));
        assertEquals(1, t.size());
    }

    @Test
    void shouldListPrefixesPerPeerInInsertionOrder() {
        final AllowedIps<String> t = new AllowedIps<>();
        t.insert(Prefix.parse("2001:db8::/64"), A);
        t.insert(Prefix.parse("192.0.2.0/24"), A);
        t.insert(Prefix.parse("198.18.0.0/15"), B);
        assertEquals(List.of(Prefix.parse("2001:db8::/64"), Prefix.parse("192.0.2.0/24")), t.prefixesOf(A));
        assertEquals(List.of(Prefix.parse("198.18.0.0/15")), t.prefixesOf(B));
        assertEquals(List.of(), t.prefixesOf(C));
    }

    /** Pitfall (protocol.md 1.13, 1.16): the source check is lookup equality, not containment. */
    @Test
    void shouldAttributeSourceToMoreSpecificPeerNotToCoveringPeer() {
        final AllowedIps<String> t = new AllowedIps<>();
        t.insert(Prefix.parse("198.51.100.0/24"), A);
        t.insert(Prefix.parse("198.51.100.64/26"), B);
        final MemorySegment pkt = MemorySegment.ofArray(new byte[20]);
        pkt.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        pkt.set(io.jwg.wg.protocol.WireLayouts.BE_INT, 12, v4("198.51.100.70"));
        pkt.set(io.jwg.wg.protocol.WireLayouts.BE_INT, 16, v4("198.51.100.5"));
        assertEquals(B, t.lookupSrc(pkt, 0, 20));
        assertEquals(A, t.lookupDst(pkt, 0, 20));
        assertNull(t.lookupSrc(pkt, 0, 19));
    }

    @Test
    void shouldLookUpIpv6PacketAddresses() {
        final AllowedIps<String> t = new AllowedIps<>();
        t.insert(Prefix.parse("2001:db8:a::/48"), A);
        t.insert(Prefix.parse("2001:db8:b::1/128"), B);
        final byte[] b = new byte[40];
        b[0] = 0x60;
        System.arraycopy(Prefix.parse("2001:db8:b::1/128").addressBytes(), 0, b, 8, 16);
        System.arraycopy(Prefix.parse("2001:db8:a::99/128").addressBytes(), 0, b, 24, 16);
        final MemorySegment pkt = MemorySegment.ofArray(b);
        assertEquals(B, t.lookupSrc(pkt, 0, 40));
        assertEquals(A, t.lookupDst(pkt, 0, 40));
        assertEquals(A, t.lookup(pkt, 24, true));
        assertNull(t.lookupDst(pkt, 0, 39));
        b[0] = 0x50;
        assertNull(t.lookupDst(pkt, 0, 40));
    }

    @Test
    void shouldLookUpPacketsInBatchesOfMixedFamilies() {
        final AllowedIps<String> t = new AllowedIps<>();
        t.insert(Prefix.parse("198.51.100.0/24"), A);
        t.insert(Prefix.parse("2001:db8:b::/48"), B);
        final byte[] b = new byte[100];
        b[0] = 0x45;
        System.arraycopy(Prefix.parse("198.51.100.9/32").addressBytes(), 0, b, 16, 4);
        b[40] = 0x60;
        System.arraycopy(Prefix.parse("2001:db8:b::5/128").addressBytes(), 0, b, 40 + 24, 16);
        final MemorySegment seg = MemorySegment.ofArray(b);
        final AllowedIps.Batch<String> batch = t.newBatch(4);
        batch.addDst(seg, 0, 20);
        batch.addDst(seg, 40, 40);
        batch.addDst(seg, 0, 19);
        batch.addSrc(seg, 40, 40);
        batch.lookup();
        assertEquals(A, batch.result(0));
        assertEquals(B, batch.result(1));
        assertNull(batch.result(2), "too short");
        assertNull(batch.result(3));
        batch.clear();
        assertEquals(0, batch.size());
    }

    @Test
    void shouldRejectBadPrefixes() {
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("192.0.2.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("2001:db8::/129"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("example.com/24"));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("192.0.2.0/x"));
    }

    private static Prefix randomPrefix(final Random rnd, final boolean v6, final List<Prefix> pool) {
        // Half the time derive from an existing prefix so that nesting and sharing are common.
        if (!pool.isEmpty() && rnd.nextBoolean()) {
            final Prefix base = pool.get(rnd.nextInt(pool.size()));
            if (base.v6() == v6) {
                final int max = v6 ? 128 : 32;
                final int len = Math.min(max, Math.max(0, base.length() + rnd.nextInt(17) - 8));
                return new Prefix(v6, base.hi() ^ (rnd.nextInt(4) == 0 ? rnd.nextLong() >>> base.length() : 0),
                        base.lo() ^ (rnd.nextInt(4) == 0 ? rnd.nextLong() : 0), len);
            }
        }
        final int len = v6 ? rnd.nextInt(129) : rnd.nextInt(33);
        return new Prefix(v6, rnd.nextLong(), rnd.nextLong(), len);
    }

    private static void checkRandomLookups(final AllowedIps<String> t, final SlowAllowedIps<String> ref,
                                           final Random rnd, final List<Prefix> pool, final String ctx) {
        final AllowedIps.Batch<String> batch = t.newBatch(300);
        final String[] expected = new String[300];
        final MemorySegment addr = MemorySegment.ofArray(new byte[16 * 300]);
        for (int i = 0; i < 300; i++) {
            final boolean v6 = rnd.nextBoolean();
            long hi = rnd.nextLong();
            long lo = rnd.nextLong();
            if (!pool.isEmpty() && rnd.nextInt(3) > 0) {
                final Prefix p = pool.get(rnd.nextInt(pool.size()));
                if (p.v6() == v6) {
                    hi = p.hi() | (hi & ~Prefix.maskHi(p.length()));
                    lo = p.lo() | (lo & ~Prefix.maskLo(p.length()));
                }
            }
            if (!v6) {
                hi &= 0xFFFF_FFFF_0000_0000L;
                lo = 0;
            }
            expected[i] = ref.lookup(v6, hi, lo);
            final String actual = v6 ? t.lookupV6(hi, lo) : t.lookupV4((int) (hi >>> 32));
            assertSame(expected[i], actual, ctx + " lookup " + new Prefix(v6, hi, lo, v6 ? 128 : 32));
            if (v6) {
                addr.set(io.jwg.wg.protocol.WireLayouts.BE_LONG, 16L * i, hi);
                addr.set(io.jwg.wg.protocol.WireLayouts.BE_LONG, 16L * i + 8, lo);
            } else {
                addr.set(io.jwg.wg.protocol.WireLayouts.BE_INT, 16L * i, (int) (hi >>> 32));
            }
            assertEquals(i, batch.add(addr, 16L * i, v6));
            assertSame(expected[i], t.lookup(addr, 16L * i, v6), ctx);
        }
        batch.lookup();
        for (int i = 0; i < 300; i++) {
            assertSame(expected[i], batch.result(i), ctx + " batch entry " + i);
        }
    }

    @Test
    void shouldMatchSlowReferenceUnderRandomInsertsMovesAndRemovals() {
        final long seed = System.nanoTime();
        final Random rnd = new Random(seed);
        final String[] owners = {"p0", "p1", "p2", "p3", "p4", "p5"};
        for (int round = 0; round < 12; round++) {
            final AllowedIps<String> t = new AllowedIps<>();
            final SlowAllowedIps<String> ref = new SlowAllowedIps<>();
            final List<Prefix> pool = new ArrayList<>();
            for (int op = 0; op < 1500; op++) {
                final String ctx = "seed " + seed + " round " + round + " op " + op;
                final int kind = rnd.nextInt(20);
                if (kind < 12) {
                    final Prefix p = randomPrefix(rnd, rnd.nextBoolean(), pool);
                    final String owner = owners[rnd.nextInt(owners.length)];
                    t.insert(p, owner);
                    ref.insert(p, owner);
                    pool.add(p);
                } else if (kind < 18 && !pool.isEmpty()) {
                    final Prefix p = pool.get(rnd.nextInt(pool.size()));
                    final String owner = owners[rnd.nextInt(owners.length)];
                    assertEquals(ref.remove(p, owner), t.remove(p, owner), ctx + " remove " + p);
                } else if (kind == 18) {
                    final String owner = owners[rnd.nextInt(owners.length)];
                    ref.removeAll(owner);
                    t.removeAll(owner);
                }
                if (op % 50 == 0) {
                    checkRandomLookups(t, ref, rnd, pool, ctx);
                    assertEquals(ref.size(), t.size(), ctx);
                    for (final String o : owners) {
                        assertEquals(new HashSet<>(ref.prefixesOf(o)), new HashSet<>(t.prefixesOf(o)), ctx + " " + o);
                    }
                }
            }
            checkRandomLookups(t, ref, rnd, pool, "seed " + seed + " round " + round + " end");
            // Drain completely: the trie must end empty.
            for (final String o : owners) {
                t.removeAll(o);
                ref.removeAll(o);
            }
            assertEquals(0, t.size());
            checkRandomLookups(t, ref, rnd, pool, "seed " + seed + " round " + round + " drained");
        }
    }

    @Test
    void shouldCollapseAndSplitLeavesWithDeepHostRoutes() {
        final AllowedIps<String> t = new AllowedIps<>();
        final SlowAllowedIps<String> ref = new SlowAllowedIps<>();
        final String[] owners = {A, B, C};
        final List<Prefix> ps = new ArrayList<>();
        // Host routes sharing long common prefixes force splits at every level, removals collapse them.
        for (int i = 0; i < 128; i++) {
            final Prefix p = Prefix.parse("2001:db8::" + Integer.toHexString(i) + "/128");
            ps.add(p);
            t.insert(p, owners[i % 3]);
            ref.insert(p, owners[i % 3]);
        }
        t.insert(Prefix.parse("2001:db8::/120"), C);
        ref.insert(Prefix.parse("2001:db8::/120"), C);
        final Random rnd = new Random(1);
        for (int i = 0; i < 128; i++) {
            final Prefix p = ps.get(i);
            assertTrue(t.remove(p, owners[i % 3]));
            ref.remove(p, owners[i % 3]);
            checkRandomLookups(t, ref, rnd, ps, "after removing " + p);
        }
    }
}
