package io.jwg.wg.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jwg.wg.noise.Keypair;
import io.jwg.wg.pipeline.StageCounters;
import io.jwg.wg.protocol.ProtocolConstants;
import io.jwg.wg.stats.CounterEvent;
import io.jwg.wg.stats.DropReason;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two (or three) complete jwg devices in one JVM, connected by in-memory TUNs and an in-memory
 * UDP network, each running the full multi-threaded pipeline: handshake, data both ways with order
 * preserved under parallel workers, rekey under a pushed clock, and drop counters.
 */
class DataPlaneInMemoryTest {
    static final int OUTER_A = 0xCB007101; // 203.0.113.1
    static final int OUTER_B = 0xCB007102; // 203.0.113.2
    static final int OUTER_C = 0xCB007103; // 203.0.113.3
    static final int INNER_A = 0xC6336401; // 198.51.100.1
    static final int INNER_B = 0xC6336402; // 198.51.100.2
    static final int INNER_C = 0xC6336403; // 198.51.100.3

    private final ChannelNetwork net = new ChannelNetwork();
    private final ManualClock clock = new ManualClock();
    private final long seed = System.nanoTime();
    private TestNode a;
    private TestNode b;
    private TestNode c;

    @AfterEach
    void tearDown() {
        for (TestNode n : new TestNode[] {a, b, c}) {
            if (n != null) {
                n.close();
            }
        }
    }

    private void twoNodes(final int workers) {
        twoNodes(workers, PipelineSettings.INLINE_UNIT_PACKETS_DEFAULT);
    }

    private void twoNodes(final int workers, final int inlineUnitPackets) {
        System.out.println(getClass().getSimpleName() + " seed=" + seed);
        a = new TestNode("a", net, OUTER_A, 51820, INNER_A, clock, seed);
        b = new TestNode("b", net, OUTER_B, 51821, INNER_B, clock, seed + 1);
        a.connect(b);
        b.connect(a);
        a.start(TestNode.smallSettings(workers, inlineUnitPackets));
        b.start(TestNode.smallSettings(workers, inlineUnitPackets));
    }

    /**
     * Injects {@code count} packets of random sizes into {@code from}'s TUN, at most {@code window}
     * outstanding, and checks that {@code to}'s TUN emits exactly the same bytes in the same order.
     */
    private void transfer(final TestNode from, final TestNode to, final int count, final int window,
                          final long firstSeq) {
        final SplittableRandom r = new SplittableRandom(seed ^ firstSeq);
        final byte[][] expected = new byte[count][];
        int sent = 0;
        int received = 0;
        final long deadlineNs = System.nanoTime() + 60_000_000_000L;
        while (received < count) {
            while (sent < count && sent - received < window) {
                final byte[] p = Packets.ipv4(from.innerAddress, to.innerAddress, firstSeq + sent, 8 + r.nextInt(1380));
                if (!from.tun.inject(p)) {
                    break;
                }
                expected[sent++] = p;
            }
            final byte[] got = to.tun.takeOutbound(5_000_000L);
            if (got != null) {
                if (Packets.seq(got) != firstSeq + received) {
                    fail("out of order or lost: expected seq " + (firstSeq + received) + " got " + Packets.seq(got)
                        + " seed=" + seed + "\n from=" + from.plane.counters() + "\n to=" + to.plane.counters()
                        + "\n fromCore=" + from.core.counters() + "\n toCore=" + to.core.counters()
                        + "\n lost=" + from.bind.lost() + "/" + to.bind.lost() + "/" + from.tun.lost() + "/" + to.tun.lost());
                }
                assertArrayEquals(expected[received], got, "packet " + received + " seed=" + seed);
                received++;
            }
            if (System.nanoTime() - deadlineNs > 0) {
                fail("transfer stalled at " + received + "/" + count + " seed=" + seed + "\n from=" + from.plane.counters()
                    + "\n to=" + to.plane.counters() + "\n fromCore=" + from.core.counters() + "\n toCore="
                    + to.core.counters());
            }
        }
    }

    private static long initiations(final TestNode n) {
        return n.core.counters().get(CounterEvent.HANDSHAKE_INITIATION_SENT)
            + n.plane.counters().get(CounterEvent.HANDSHAKE_INITIATION_SENT);
    }

    @Test
    void shouldHandshakeAndCarryDataBothWaysInOrderWithTwoWorkers() {
        // Every unit through the parallel workers (no run-to-completion), so order rests on the queues.
        twoNodes(2, 0);
        transfer(a, b, 3_000, 64, 0);
        transfer(b, a, 3_000, 64, 1_000_000);
        assertEquals(1, initiations(a), "one handshake, started by a");
        assertEquals(0, initiations(b), "b never initiated");
        assertNotNull(a.peerFor(b).keypairs().current());
        assertNotNull(b.peerFor(a).keypairs().current());
        final StageCounters ca = a.plane.counters();
        final StageCounters cb = b.plane.counters();
        assertEquals(3_000, cb.rxPackets());
        assertEquals(3_000, ca.rxPackets());
        assertEquals(0, ca.protocol().totalDrops() + cb.protocol().totalDrops(), ca + " " + cb);
        assertEquals(0, a.plane.agentErrors() + b.plane.agentErrors());
    }

    @Test
    void shouldCarryDataInOrderWithOneWorkerAndRunToCompletionAtLightLoad() {
        twoNodes(1, 64);
        transfer(a, b, 1_000, 32, 0);
        transfer(b, a, 1_000, 32, 50_000);
    }

    @Test
    void shouldKeepPerPeerOrderWithThreePeersInterleaved() {
        System.out.println(getClass().getSimpleName() + " seed=" + seed);
        a = new TestNode("a", net, OUTER_A, 51820, INNER_A, clock, seed);
        b = new TestNode("b", net, OUTER_B, 51821, INNER_B, clock, seed + 1);
        c = new TestNode("c", net, OUTER_C, 51822, INNER_C, clock, seed + 2);
        a.connect(b);
        a.connect(c);
        b.connect(a);
        c.connect(a);
        a.start(TestNode.smallSettings(2, 0));
        b.start(TestNode.smallSettings(1, 0));
        c.start(TestNode.smallSettings(1, 0));
        final int perPeer = 1_500;
        final SplittableRandom r = new SplittableRandom(seed);
        int toB = 0;
        int toC = 0;
        long gotB = 0;
        long gotC = 0;
        final long deadlineNs = System.nanoTime() + 60_000_000_000L;
        while (gotB < perPeer || gotC < perPeer) {
            final boolean pickB = r.nextBoolean();
            if (pickB && toB < perPeer && toB - gotB < 48) {
                if (a.tun.inject(Packets.ipv4(INNER_A, INNER_B, toB, 8 + r.nextInt(600)))) {
                    toB++;
                }
            } else if (!pickB && toC < perPeer && toC - gotC < 48) {
                if (a.tun.inject(Packets.ipv4(INNER_A, INNER_C, toC, 8 + r.nextInt(600)))) {
                    toC++;
                }
            }
            byte[] p;
            while ((p = b.tun.takeOutbound(0)) != null) {
                assertEquals(gotB++, Packets.seq(p), "b order, seed=" + seed + " a=" + a.plane.counters()
                    + " b=" + b.plane.counters());
            }
            while ((p = c.tun.takeOutbound(0)) != null) {
                assertEquals(gotC++, Packets.seq(p), "c order, seed=" + seed + " a=" + a.plane.counters()
                    + " c=" + c.plane.counters());
            }
            if (toB - gotB >= 48 && toC - gotC >= 48 || toB == perPeer && toC == perPeer) {
                Thread.onSpinWait();
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            if (System.nanoTime() - deadlineNs > 0) {
                fail("stalled b=" + gotB + " c=" + gotC + " seed=" + seed + " a=" + a.plane.counters());
            }
        }
    }

    @Test
    void shouldRekeyWhenTheClockPassesRekeyAfterTimeAndKeepDelivering() {
        twoNodes(2);
        transfer(a, b, 200, 32, 0);
        final Keypair first = a.peerFor(b).keypairs().current();
        clock.advance(ProtocolConstants.REKEY_AFTER_TIME_NS + 1_000_000_000L);
        // Sending on an old key makes the initiator start a new handshake; data keeps flowing meanwhile.
        transfer(a, b, 400, 32, 10_000);
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (a.peerFor(b).keypairs().current() == first && System.nanoTime() - deadlineNs < 0) {
            transfer(a, b, 10, 8, 20_000 + (System.nanoTime() & 0xFFFF) * 16);
        }
        final Keypair second = a.peerFor(b).keypairs().current();
        assertNotSame(first, second, "rekeyed");
        assertEquals(2, initiations(a), "second handshake");
        transfer(a, b, 300, 32, 50_000);
        transfer(b, a, 300, 32, 60_000);
    }

    @Test
    void shouldCountDropsForUnroutableGarbageAndReplayedPackets() throws Exception {
        twoNodes(2);
        transfer(a, b, 50, 16, 0);
        // No route: a destination no peer owns.
        a.tun.inject(Packets.ipv4(INNER_A, 0xC6336463, 1, 64));
        // Garbage from an unknown sender: bad type, bad length.
        try (ChannelBind evil = new ChannelBind(net, 0xCB007163, 40000, 16);
             io.jwg.bindings.io.PacketPool pool = new io.jwg.bindings.io.PacketPool(4, 2048)) {
            final var eio = evil.open(false, pool, 4);
            final var batch = new io.jwg.bindings.io.DatagramBatch(pool, 4);
            final int s1 = pool.acquire();
            pool.memory().set(java.lang.foreign.ValueLayout.JAVA_INT, pool.slotOffset(s1), 7);
            batch.add(s1, pool.slotOffset(s1), 64);
            batch.setRemoteIpv4(0, OUTER_B, b.port);
            final int s2 = pool.acquire();
            pool.memory().set(java.lang.foreign.ValueLayout.JAVA_INT, pool.slotOffset(s2), 4);
            batch.add(s2, pool.slotOffset(s2), 20);
            batch.setRemoteIpv4(1, OUTER_B, b.port);
            eio.send(batch);
            batch.clear();
        }
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() - deadlineNs < 0 && (a.plane.counters().get(DropReason.NO_ROUTE) < 1
            || b.plane.counters().get(DropReason.BAD_TYPE) < 1 || b.plane.counters().get(DropReason.BAD_LENGTH) < 1)) {
            Thread.sleep(5);
        }
        assertEquals(1, a.plane.counters().get(DropReason.NO_ROUTE));
        assertEquals(1, b.plane.counters().get(DropReason.BAD_TYPE));
        assertEquals(1, b.plane.counters().get(DropReason.BAD_LENGTH));
        assertTrue(b.plane.counters().rxPackets() >= 50);
    }

    @Test
    void shouldDropInFlightPacketsAndLeakNothingWhenThePeerIsRemovedMidTransfer() throws Exception {
        twoNodes(2);
        transfer(a, b, 100, 32, 0);
        // Keep a's pipeline busy, then remove b while units are in flight on both sides.
        for (int i = 0; i < 400; i++) {
            a.tun.inject(Packets.ipv4(INNER_A, INNER_B, 1_000 + i, 1_200));
        }
        assertTrue(a.core.removePeer(io.jwg.wg.peer.PeerKey.of(b.publicKey)));
        final long deadlineNs = System.nanoTime() + 20_000_000_000L;
        String occupancy = a.plane.occupancy();
        // Every unit returns to its pool once in-flight work drains; nothing is stuck in a peer queue.
        while ((a.tun.pendingInbound() > 0 || !occupancy.startsWith("units free 128/128 128/128"))
            && System.nanoTime() - deadlineNs < 0) {
            Thread.sleep(10);
            occupancy = a.plane.occupancy();
        }
        assertTrue(occupancy.startsWith("units free 128/128 128/128"), occupancy);
        assertEquals(0, a.plane.agentErrors() + b.plane.agentErrors());
        // Packets for the removed peer now have no route. Baseline once the reader has settled (the
        // counter unchanged for 200 ms with nothing left in the TUN inbox).
        long noRoute = -1;
        for (long seen = a.plane.counters().get(DropReason.NO_ROUTE); seen != noRoute;) {
            noRoute = seen;
            Thread.sleep(200);
            seen = a.tun.pendingInbound() > 0 ? -2 : a.plane.counters().get(DropReason.NO_ROUTE);
        }
        a.tun.inject(Packets.ipv4(INNER_A, INNER_B, 9_999, 64));
        final long deadline2 = System.nanoTime() + 10_000_000_000L;
        while (a.plane.counters().get(DropReason.NO_ROUTE) == noRoute && System.nanoTime() - deadline2 < 0) {
            Thread.sleep(5);
        }
        assertEquals(noRoute + 1, a.plane.counters().get(DropReason.NO_ROUTE));
    }

    /**
     * A flood of initiations with a valid mac1 (so each costs B a Diffie-Hellman unless B is under
     * load) must not delay the established session: the handshake queue is bounded and processed on
     * the control thread, the data path never waits for it.
     */
    @Test
    void shouldKeepDeliveringToAnEstablishedPeerDuringAHandshakeFlood() throws Exception {
        twoNodes(2);
        transfer(a, b, 50, 16, 0);
        final Keypair session = b.peerFor(a).keypairs().current();
        final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicLong flooded = new java.util.concurrent.atomic.AtomicLong();
        final Thread attacker = new Thread(() -> {
            try (ChannelBind evil = new ChannelBind(net, 0xCB007163, 40000, 16);
                 io.jwg.bindings.io.PacketPool pool = new io.jwg.bindings.io.PacketPool(64, 256)) {
                final var udp = evil.open(false, pool, 16);
                final var batch = new io.jwg.bindings.io.DatagramBatch(pool, 16);
                final io.jwg.wg.cookie.PeerCookie macs = new io.jwg.wg.cookie.PeerCookie(b.publicKey);
                final SplittableRandom r = new SplittableRandom(seed);
                final int len = io.jwg.wg.protocol.InitiationMessage.LENGTH;
                for (int round = 0; round < 400 && !stop.get(); round++) {
                    for (int i = 0; i < 16; i++) {
                        final int slot = pool.acquire();
                        final long off = pool.slotOffset(slot);
                        for (int k = 0; k < len; k++) {
                            pool.memory().set(java.lang.foreign.ValueLayout.JAVA_BYTE, off + k, (byte) r.nextInt());
                        }
                        pool.memory().set(java.lang.foreign.ValueLayout.JAVA_INT, off, 1);
                        macs.addMacs(pool.memory(), off, len, System.nanoTime());
                        final int e = batch.add(slot, off, len);
                        batch.setRemoteIpv4(e, OUTER_B, b.port);
                    }
                    flooded.addAndGet(udp.send(batch));
                    batch.clear();
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            }
        }, "attacker");
        attacker.start();
        try {
            transfer(a, b, 1_500, 32, 10_000);
            transfer(b, a, 500, 32, 20_000);
        } finally {
            stop.set(true);
            attacker.join(30_000);
        }
        assertTrue(flooded.get() > 0);
        assertSame(session, b.peerFor(a).keypairs().current(), "the flood did not disturb the session");
        final long answered = b.core.counters().get(DropReason.HANDSHAKE_DECRYPT_FAILED)
            + b.core.counters().get(DropReason.COOKIE_REQUIRED) + b.core.counters().get(DropReason.RATE_LIMITED);
        assertTrue(b.plane.handshakesProcessed() > 0 && answered > 0, "flood reached the handshake worker: "
            + b.core.counters() + " " + b.plane.counters());
        System.out.println("flood: sent=" + flooded.get() + " processed=" + b.plane.handshakesProcessed()
            + " queueFull=" + b.plane.counters().get(io.jwg.wg.pipeline.PipelineDrop.HANDSHAKE_QUEUE_FULL)
            + " core=" + b.core.counters());
    }

    @Test
    void shouldCarryIpv6InnerPacketsAndDropSpoofedSources() throws Exception {
        twoNodes(2, 0);
        a.core.addAllowedIp(a.peerFor(b), io.jwg.wg.routing.Prefix.v6(0x2001_0db8_0000_0000L, 2, 128));
        b.core.addAllowedIp(b.peerFor(a), io.jwg.wg.routing.Prefix.v6(0x2001_0db8_0000_0000L, 1, 128));
        final SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            final byte[] p = Packets.ipv6(1, 2, i, 8 + r.nextInt(1300));
            while (!a.tun.inject(p)) {
                Thread.onSpinWait();
            }
            final byte[] got = b.tun.takeOutbound(10_000_000_000L);
            assertArrayEquals(p, got, "ipv6 packet " + i + " seed=" + seed);
        }
        // A source b does not route back to a (crypto-RP filter): a sends it, b drops it.
        a.core.addAllowedIp(a.peerFor(b), io.jwg.wg.routing.Prefix.v6(0x2001_0db8_0000_0000L, 9, 128));
        a.tun.inject(Packets.ipv6(7, 9, 999, 64));
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (b.plane.counters().get(DropReason.SOURCE_NOT_ALLOWED) == 0 && System.nanoTime() - deadlineNs < 0) {
            Thread.sleep(5);
        }
        assertEquals(1, b.plane.counters().get(DropReason.SOURCE_NOT_ALLOWED));
    }
}
