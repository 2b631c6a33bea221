package io.jwg.wg.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.bindings.io.PacketBatch;
import io.jwg.bindings.io.SyscallTunIo;
import io.jwg.bindings.io.TunDevice;
import io.jwg.bindings.libc.errno_h;
import io.jwg.bindings.tun.if_tun_h;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Proves the super-packet's checksum seed, {@code csum_start/csum_offset} and {@code gso_size} mean to the
 * kernel what {@link GroCoalescer} intends. Local delivery cannot show it (the stack trusts NEEDS_CSUM), so
 * here the namespace forwards: a coalesced super-packet written to {@code jot0} (vnet header) is routed out of
 * {@code jot1}, a TUN without a vnet header and so without offloads, where the kernel must segment it and
 * finish every checksum in software from our seed. Every packet read from {@code jot1} must carry the
 * original segment's payload, a decremented TTL and checksums the naive reference accepts.
 */
class TunOffloadForwardingTest {

    private static OffloadNetNs ns;
    private final Random random = new Random();

    @BeforeAll
    static void createNamespace() throws Exception {
        if (OffloadNetNs.available()) {
            ns = OffloadNetNs.create("fwd");
            OffloadNetNs.run("ip", "netns", "exec", ns.name(), "sysctl", "-q", "-w", "net.ipv4.ip_forward=1",
                    "net.ipv6.conf.all.forwarding=1");
        }
    }

    @AfterAll
    static void removeNamespace() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"4, 6", "6, 6", "4, 17", "6, 17"})
    void shouldForwardSuperPacketAsCorrectlyChecksummedSegments(final int version, final int protocol) throws Exception {
        assumeTrue(ns != null, "needs root, ip(8) and /dev/net/tun to create a namespace and TUNs");
        int offloads = if_tun_h.TUN_F_CSUM | if_tun_h.TUN_F_TSO4 | if_tun_h.TUN_F_TSO6;
        TunDevice in = ns.call(() -> TunDevice.open("jot0", true, offloads, false));
        TunDevice out = ns.call(() -> TunDevice.open("jot1", false, 0, false));
        try (TunTcpPeer peer = new TunTcpPeer(in); out) {
            ns.ip("addr", "add", "198.51.100.1/24", "dev", "jot0");
            ns.ip("addr", "add", "2001:db8:5::1/64", "dev", "jot0", "nodad");
            ns.ip("addr", "add", "203.0.113.1/24", "dev", "jot1");
            ns.ip("addr", "add", "2001:db8:6::1/64", "dev", "jot1", "nodad");
            ns.ip("link", "set", "jot0", "up");
            ns.ip("link", "set", "jot1", "up");

            List<RefPacket> segments = segments(version, protocol, 25, 1000, 377);
            List<byte[]> wire = new ArrayList<>();
            for (RefPacket s : segments) {
                wire.add(s.build());
            }
            long supers = peer.gro.superPackets();
            assertEquals(1, peer.send(wire), "one super-packet written");
            assertEquals(supers + 1, peer.gro.superPackets());

            List<byte[]> forwarded = readForwarded(new SyscallTunIo(out, peer.pool, TunTcpPeer.HEADROOM), peer,
                    segments.size(), segments.get(0));
            assertEquals(segments.size(), forwarded.size(), "segments forwarded out of jot1");
            for (int i = 0; i < segments.size(); i++) {
                RefPacket expected = segments.get(i).copy();
                expected.ttl = 63; // the forwarding hop
                byte[] got = forwarded.get(i);
                verifyChecksums(expected, got);
                byte[] want = expected.build();
                if (version == 4) {
                    // the kernel numbers the segments from the super-packet's identification
                    assertEquals(RefPacket.get16(want, 4), RefPacket.get16(got, 4), "IPv4 id of segment " + i);
                }
                assertArrayEquals(want, got, "segment " + i);
            }
        }
    }

    /** {@code n} consecutive segments of one flow from 198.51.100.2 / 2001:db8:5::2 to .7 beyond jot1. */
    private List<RefPacket> segments(final int version, final int protocol, final int n, final int size, final int last) {
        RefPacket t = new RefPacket();
        t.version = version;
        t.protocol = protocol;
        t.src = version == 4 ? new byte[] {(byte) 198, 51, 100, 2} : addr6(5, 2);
        t.dst = version == 4 ? new byte[] {(byte) 203, 0, 113, 7} : addr6(6, 7);
        t.sport = 40000 + random.nextInt(10000);
        t.dport = 5001;
        t.seq = random.nextInt() & 0xFFFF_FFFFL;
        t.ack = random.nextInt() & 0xFFFF_FFFFL;
        t.window = 1000;
        t.ttl = 64;
        t.df = true;
        t.id = random.nextInt(65536);
        if (protocol == RefPacket.TCP) {
            t.tcpOptions = new byte[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}; // NOP NOP timestamps
        }
        List<RefPacket> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RefPacket s = t.copy();
            s.payload = new byte[i == n - 1 ? last : size];
            random.nextBytes(s.payload);
            s.seq = t.seq + (long) i * size & 0xFFFF_FFFFL;
            s.id = t.id + i & 0xFFFF;
            s.flags = RefPacket.ACK | (i == n - 1 ? RefPacket.PSH : 0);
            out.add(s);
        }
        return out;
    }

    private static byte[] addr6(final int net, final int host) {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[5] = (byte) net;
        a[15] = (byte) host;
        return a;
    }

    /** Reads packets to the flow's destination from {@code io} until {@code n} arrived or 5 s passed. */
    private static List<byte[]> readForwarded(final SyscallTunIo io, final TunTcpPeer peer, final int n,
                                              final RefPacket flow) {
        List<byte[]> got = new ArrayList<>();
        PacketBatch batch = new PacketBatch(peer.pool, 32);
        long deadline = System.nanoTime() + 5_000_000_000L;
        try (io) {
            while (got.size() < n && System.nanoTime() - deadline < 0) {
                int r = io.read(batch, 20_000_000L);
                if (r < 0) {
                    assertEquals(-errno_h.EAGAIN, r, "jot1 read");
                    continue;
                }
                for (int i = 0; i < batch.count(); i++) {
                    byte[] p = batch.memory().asSlice(batch.offset(i), batch.length(i))
                            .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    int dstAt = flow.version == 4 ? 16 : 24;
                    if (p.length > dstAt + flow.dst.length && (p[0] >> 4 & 0xF) == flow.version
                            && Arrays.equals(p, dstAt, dstAt + flow.dst.length, flow.dst, 0, flow.dst.length)) {
                        got.add(p);
                    }
                }
                batch.clear();
            }
        } finally {
            batch.clear();
        }
        return got;
    }

    private static void verifyChecksums(final RefPacket flow, final byte[] p) {
        int ih = flow.ipHeaderLength();
        if (flow.version == 4) {
            assertEquals(0xFFFF, RefPacket.naiveSum(p, 0, ih, 0), "IPv4 header checksum");
        }
        int l4 = p.length - ih;
        assertEquals(0xFFFF, RefPacket.naiveSum(p, ih, l4, flow.pseudoSum(l4)), "L4 checksum from the kernel");
        assertTrue(l4 > 0);
    }
}
