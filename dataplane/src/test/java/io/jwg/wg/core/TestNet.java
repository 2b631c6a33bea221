package io.jwg.wg.core;

import io.jwg.crypto.X25519;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.peer.PeerKey;
import io.jwg.wg.routing.Prefix;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Two {@link DeviceCore}s wired back to back in memory with a fake clock: a datagram one sends is
 * queued and handed to the device whose endpoint it is addressed to when the test pumps. Time moves
 * only through {@link #advanceTo}, which fires timers at their exact deadlines.
 */
final class TestNet {
    /** One datagram in flight. */
    record Datagram(Node from, Endpoint source, Endpoint destination, byte[] bytes, long sentAtNs) {
        int type() {
            return bytes.length >= 4 ? bytes[0] : -1;
        }
    }

    /** One side: a device plus what it delivered and sent. */
    final class Node implements Output {
        final String name;
        final DeviceCore dev;
        Endpoint endpoint;
        final String tunnelIp;
        final byte[] privateKey = new byte[32];
        final byte[] publicKey = new byte[32];
        final List<byte[]> tun = new ArrayList<>();
        final List<Datagram> sent = new ArrayList<>();
        Peer peer;

        Node(final String name, final long seed, final Endpoint endpoint, final String tunnelIp) {
            this.name = name;
            final Random rnd = new Random(seed);
            this.dev = new DeviceCore(rnd, clock);
            this.endpoint = endpoint;
            this.tunnelIp = tunnelIp;
            X25519.generatePrivateKey(rnd, privateKey);
            X25519.publicKey(privateKey, publicKey);
            dev.setPrivateKey(privateKey);
        }

        @Override
        public void sendDatagram(final Peer p, final Endpoint destination, final MemorySegment seg, final long off,
                                 final int length) {
            final byte[] copy = seg.asSlice(off, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            final Datagram d = new Datagram(this, endpoint, destination.frozenCopy(), copy, clock.now());
            sent.add(d);
            if (!drop.test(d)) {
                inflight.add(d);
            }
        }

        @Override
        public void deliverToTun(final MemorySegment seg, final long off, final int length) {
            tun.add(seg.asSlice(off, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }

        /** Sends an inner packet from this node's tunnel address to the other's. */
        void sendTo(final Node other, final int length) {
            final byte[] p = Packets.ipv4(tunnelIp, other.tunnelIp, length, length);
            dev.onTunPacket(MemorySegment.ofArray(p), 0, p.length, clock.now(), this);
        }

        long countSent(final int type) {
            return sent.stream().filter(d -> d.type() == type).count();
        }

        List<Datagram> sentOfType(final int type) {
            return sent.stream().filter(d -> d.type() == type).toList();
        }
    }

    final FakeClock clock = new FakeClock(1_000_000_000L);
    final ArrayDeque<Datagram> inflight = new ArrayDeque<>();
    Predicate<Datagram> drop = d -> false;
    final Node a;
    final Node b;

    TestNet(final long seed) {
        a = new Node("A", seed, Endpoint.ofV4(Packets.v4("192.0.2.1"), 51820), "198.51.100.1");
        b = new Node("B", seed + 1, Endpoint.ofV4(Packets.v4("192.0.2.2"), 51820), "198.51.100.2");
        a.peer = a.dev.addPeer(PeerKey.of(b.publicKey));
        b.peer = b.dev.addPeer(PeerKey.of(a.publicKey));
        a.dev.addAllowedIp(a.peer, Prefix.parse(b.tunnelIp + "/32"));
        b.dev.addAllowedIp(b.peer, Prefix.parse(a.tunnelIp + "/32"));
        // A knows where B is; B learns A's endpoint from A's handshake (roaming).
        a.dev.setEndpoint(a.peer, b.endpoint);
    }

    Node nodeAt(final Endpoint e) {
        if (a.endpoint.sameRemote(e)) {
            return a;
        }
        if (b.endpoint.sameRemote(e)) {
            return b;
        }
        return null;
    }

    /** Delivers queued datagrams (and whatever they trigger) until the network is quiet. */
    void pump() {
        int guard = 0;
        while (!inflight.isEmpty()) {
            if (++guard > 100_000) {
                throw new AssertionError("network does not settle");
            }
            final Datagram d = inflight.poll();
            final Node to = nodeAt(d.destination());
            if (to == null) {
                continue;
            }
            final byte[] copy = d.bytes().clone();
            to.dev.onDatagram(MemorySegment.ofArray(copy), 0, copy.length, d.source(), clock.now(), to);
        }
    }

    /** Advances time to {@code targetNs}, firing every timer at its deadline and pumping after each step. */
    void advanceTo(final long targetNs) {
        while (true) {
            pump();
            a.dev.tick(clock.now(), a);
            b.dev.tick(clock.now(), b);
            pump();
            final long next = Math.min(a.dev.nextDeadlineNs(), b.dev.nextDeadlineNs());
            if (next == Long.MAX_VALUE || next - targetNs > 0) {
                break;
            }
            if (next - clock.now() <= 0) {
                throw new AssertionError("timer deadline " + next + " not after now " + clock.now());
            }
            clock.set(next);
        }
        clock.set(targetNs);
        a.dev.tick(clock.now(), a);
        b.dev.tick(clock.now(), b);
        pump();
    }

    void advance(final long ns) {
        advanceTo(clock.now() + ns);
    }

    static long s(final double seconds) {
        return (long) (seconds * 1_000_000_000L);
    }
}
