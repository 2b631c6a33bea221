package io.jwg.wg.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.bindings.io.TunDevice;
import io.jwg.bindings.tun.if_tun_h;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real kernel judges our virtio headers and checksums. In a namespace this test creates, a TUN
 * {@code jot0} with IFF_VNET_HDR and TUNSETOFFLOAD(CSUM|TSO4|TSO6) holds 198.51.100.1/24 and
 * 2001:db8:5::1/64; a Java {@link ServerSocket} listens there, and {@link TunTcpPeer} plays a handcrafted
 * TCP peer at .2 / ::2 on the other side of the TUN:
 * <ul>
 *   <li>RX: after a handshake, data segments go through {@link GroCoalescer} and are written as
 *       super-packets; the socket must read exactly the bytes (an EINVAL or a bad header would lose them);</li>
 *   <li>TX: the socket sends 64 KB; the kernel hands up TSO super-packets, which {@link GsoSplitter} splits;
 *       every segment's checksums are checked with the naive reference and the payload reassembled.</li>
 * </ul>
 */
class TunOffloadKernelTest {

    private static final byte[] SERVER4 = {(byte) 198, 51, 100, 1};
    private static final byte[] PEER4 = {(byte) 198, 51, 100, 2};
    private static final byte[] SERVER6 = v6(1);
    private static final byte[] PEER6 = v6(2);
    private static final int MSS = 1200;

    private static OffloadNetNs ns;
    private TunTcpPeer peer;
    private final Random random = new Random();

    private static byte[] v6(final int last) {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[5] = 5;
        a[15] = (byte) last;
        return a;
    }

    @BeforeAll
    static void createNamespace() throws Exception {
        if (OffloadNetNs.available()) {
            ns = OffloadNetNs.create("tun");
        }
    }

    @AfterAll
    static void removeNamespace() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @BeforeEach
    void openTun() throws Exception {
        assumeTrue(ns != null, "needs root, ip(8) and /dev/net/tun to create a namespace and a TUN");
        int offloads = if_tun_h.TUN_F_CSUM | if_tun_h.TUN_F_TSO4 | if_tun_h.TUN_F_TSO6;
        TunDevice dev = ns.call(() -> TunDevice.open("jot0", true, offloads, false));
        peer = new TunTcpPeer(dev);
        assertEquals(offloads, dev.offloads(), dev.toString());
        ns.ip("addr", "add", "198.51.100.1/24", "dev", "jot0");
        ns.ip("addr", "add", "2001:db8:5::1/64", "dev", "jot0", "nodad");
        ns.ip("link", "set", "jot0", "up");
    }

    @AfterEach
    void closeTun() {
        if (peer != null) {
            peer.close(); // the device goes with its last queue
        }
    }

    /** One TCP connection seen from the handcrafted peer. */
    private final class Conn {
        final int version;
        final int peerPort = 40000 + random.nextInt(20000);
        final int serverPort;
        final long isn = random.nextInt() & 0xFFFF_FFFFL;
        long serverIsn;
        int serverWindow;

        Conn(final int version, final int serverPort) {
            this.version = version;
            this.serverPort = serverPort;
        }

        RefPacket packet(final int flags, final long seq, final long ack, final byte[] payload) {
            RefPacket p = new RefPacket();
            p.version = version;
            p.src = version == 4 ? PEER4 : PEER6;
            p.dst = version == 4 ? SERVER4 : SERVER6;
            p.sport = peerPort;
            p.dport = serverPort;
            p.flags = flags;
            p.seq = seq & 0xFFFF_FFFFL;
            p.ack = ack & 0xFFFF_FFFFL;
            p.window = 65535;
            p.payload = payload;
            p.id = random.nextInt(65536);
            return p;
        }

        /** SYN (MSS option), SYN-ACK read back from the TUN, ACK: both of ours pass through the coalescer. */
        void handshake() throws Exception {
            RefPacket syn = packet(RefPacket.SYN, isn, 0, new byte[0]);
            syn.tcpOptions = new byte[] {2, 4, (byte) (MSS >>> 8), (byte) MSS};
            assertEquals(1, peer.send(List.of(syn.build())));
            boolean got = peer.receive(5000, (mem, vnet, p, len) -> {
                Tcp t = Tcp.parse(mem, p, len);
                if (t != null && t.dport == peerPort && t.flags == (RefPacket.SYN | RefPacket.ACK)) {
                    serverIsn = t.seq;
                    serverWindow = t.window;
                    return true;
                }
                return false;
            });
            assertTrue(got, "SYN-ACK from the kernel");
            assertEquals(1, peer.send(List.of(packet(RefPacket.ACK, isn + 1, serverIsn + 1, new byte[0]).build())));
        }
    }

    private ServerSocket listen(final int version) throws Exception {
        return ns.call(() -> {
            ServerSocket ss = new ServerSocket();
            ss.bind(new InetSocketAddress(InetAddress.getByAddress(version == 4 ? SERVER4 : SERVER6), 0));
            ss.setSoTimeout(5000);
            return ss;
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void shouldDeliverCoalescedSuperPacketsToSocket(final int firstVersion) throws Exception {
        try (ServerSocket ss4 = listen(4); ServerSocket ss6 = listen(6)) {
            Conn a = new Conn(firstVersion, (firstVersion == 4 ? ss4 : ss6).getLocalPort());
            Conn b = new Conn(10 - firstVersion, (firstVersion == 4 ? ss6 : ss4).getLocalPort());
            a.handshake();
            b.handshake();
            try (Socket sa = (firstVersion == 4 ? ss4 : ss6).accept(); Socket sb = (firstVersion == 4 ? ss6 : ss4).accept()) {
                int segsA = Math.min(44, a.serverWindow / 1000);
                int segsB = Math.min(30, b.serverWindow / 1000);
                byte[] dataA = new byte[segsA * 1000 - 123]; // last segment shorter
                byte[] dataB = new byte[segsB * 1000];
                random.nextBytes(dataA);
                random.nextBytes(dataB);
                List<byte[]> batch = interleave(segments(a, dataA), segments(b, dataB));
                long supers = peer.gro.superPackets();
                assertEquals(2, peer.send(batch), "two super-packets, one per flow");
                assertEquals(supers + 2, peer.gro.superPackets());
                assertArrayEquals(dataA, readExactly(sa, dataA.length));
                assertArrayEquals(dataB, readExactly(sb, dataB.length));
            }
        }
    }

    private List<byte[]> segments(final Conn c, final byte[] data) {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < data.length; off += 1000) {
            int len = Math.min(1000, data.length - off);
            int flags = RefPacket.ACK | (off + len == data.length ? RefPacket.PSH : 0);
            byte[] payload = java.util.Arrays.copyOfRange(data, off, off + len);
            RefPacket p = c.packet(flags, c.isn + 1 + off, c.serverIsn + 1, payload);
            p.df = true;
            out.add(p.build());
        }
        return out;
    }

    private List<byte[]> interleave(final List<byte[]> x, final List<byte[]> y) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < x.size() || j < y.size()) {
            if (j >= y.size() || i < x.size() && random.nextBoolean()) {
                out.add(x.get(i++));
            } else {
                out.add(y.get(j++));
            }
        }
        return out;
    }

    private static byte[] readExactly(final Socket s, final int n) throws Exception {
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(b, got, n - got);
            assertTrue(r > 0, "socket read after " + got + " of " + n + " bytes");
            got += r;
        }
        return b;
    }

    /** The TCP fields the peer needs from a packet read from the TUN (null if not TCP). */
    record Tcp(int version, int ipHeader, int sport, int dport, long seq, long ack, int flags, int window,
               int header, int length) {
        static Tcp parse(final MemorySegment m, final long p, final int len) {
            if (len < 20) {
                return null;
            }
            int version = InetHeaders.ipVersion(m, p);
            int ih;
            int proto;
            if (version == 4) {
                ih = (InetHeaders.u8(m, p) & 0xF) * 4;
                proto = InetHeaders.u8(m, p + 9);
            } else if (version == 6 && len >= 60) {
                ih = 40;
                proto = InetHeaders.u8(m, p + 6);
            } else {
                return null;
            }
            if (proto != RefPacket.TCP || len < ih + 20) {
                return null;
            }
            long t = p + ih;
            return new Tcp(version, ih, InetHeaders.u16(m, t), InetHeaders.u16(m, t + 2),
                    Integer.toUnsignedLong(InetHeaders.u32(m, t + 4)), Integer.toUnsignedLong(InetHeaders.u32(m, t + 8)),
                    InetHeaders.u8(m, t + 13), InetHeaders.u16(m, t + 14), ih + (InetHeaders.u8(m, t + 12) >>> 4) * 4, len);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void shouldDeliverUdpSuperPacketAsSeparateDatagrams(final int version) throws Exception {
        try (DatagramSocket ds = ns.call(() -> new DatagramSocket(
                new InetSocketAddress(InetAddress.getByAddress(version == 4 ? SERVER4 : SERVER6), 0)))) {
            ds.setSoTimeout(5000);
            List<byte[]> datagrams = new ArrayList<>();
            List<byte[]> payloads = new ArrayList<>();
            int id = random.nextInt(65536);
            for (int i = 0; i < 20; i++) {
                RefPacket p = new RefPacket();
                p.version = version;
                p.protocol = RefPacket.UDP;
                p.src = version == 4 ? PEER4 : PEER6;
                p.dst = version == 4 ? SERVER4 : SERVER6;
                p.sport = 50000;
                p.dport = ds.getLocalPort();
                p.id = id + i & 0xFFFF;
                p.payload = new byte[i == 19 ? 333 : 1000];
                random.nextBytes(p.payload);
                payloads.add(p.payload);
                datagrams.add(p.build());
            }
            long supers = peer.gro.superPackets();
            assertEquals(1, peer.send(datagrams), "one UDP_L4 super-packet");
            assertEquals(supers + 1, peer.gro.superPackets());
            byte[] buf = new byte[2000];
            for (byte[] expected : payloads) {
                DatagramPacket dp = new DatagramPacket(buf, buf.length);
                ds.receive(dp);
                assertArrayEquals(expected, java.util.Arrays.copyOf(buf, dp.getLength()));
            }
        }
    }

    /**
     * Records what {@link VirtioNetHeader} documents: tun accepts DATA_VALID in a written header (no EINVAL)
     * but still verifies the checksum, so a corrupted SYN gets no SYN-ACK while a correct one does.
     */
    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void shouldAcceptDataValidButStillVerifyChecksums(final int version) throws Exception {
        try (ServerSocket ss = listen(version)) {
            Conn c = new Conn(version, ss.getLocalPort());
            RefPacket syn = c.packet(RefPacket.SYN, c.isn, 0, new byte[0]);
            byte[] bad = syn.build();
            int ih = syn.ipHeaderLength();
            bad[ih + 16] ^= 0x5A;
            assertEquals(bad.length, peer.sendRaw(VirtioNetHeader.F_DATA_VALID, bad), "DATA_VALID write accepted");
            assertTrue(!peer.receive(700, (mem, vnet, p, len) -> isSynAckTo(mem, p, len, c)),
                    "a SYN with a bad checksum must be dropped despite DATA_VALID");
            assertEquals(bad.length, peer.sendRaw(VirtioNetHeader.F_DATA_VALID, syn.build()));
            assertTrue(peer.receive(5000, (mem, vnet, p, len) -> isSynAckTo(mem, p, len, c)), "SYN-ACK to the good SYN");
        }
    }

    private static boolean isSynAckTo(final MemorySegment mem, final long p, final int len, final Conn c) {
        Tcp t = Tcp.parse(mem, p, len);
        return t != null && t.dport == c.peerPort && t.flags == (RefPacket.SYN | RefPacket.ACK);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void shouldSplitKernelTsoSuperPacketsIntoValidSegments(final int version) throws Exception {
        try (ServerSocket ss = listen(version)) {
            Conn c = new Conn(version, ss.getLocalPort());
            c.handshake();
            byte[] sent = new byte[64 * 1024];
            random.nextBytes(sent);
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            try (Socket s = ss.accept()) {
                Thread writer = new Thread(() -> {
                    try {
                        s.getOutputStream().write(sent);
                        s.shutdownOutput();
                    } catch (Throwable t) {
                        writerFailure.set(t);
                    }
                }, "tso-writer");
                writer.start();
                TsoReceiver rx = new TsoReceiver(c, sent.length);
                boolean done = peer.receive(15_000, rx::onPacket);
                writer.join(5000);
                assertTrue(writerFailure.get() == null, () -> "writer: " + writerFailure.get());
                assertTrue(done, "received " + rx.rcvNxt + " of " + sent.length + " bytes and the FIN");
                assertArrayEquals(sent, rx.data);
                assertTrue(rx.gsoPackets > 0, "the kernel sent TSO super-packets");
                assertTrue(rx.maxSegments > 1, "a super-packet held several segments");
                assertTrue(rx.segments > rx.gsoPackets);
            }
        }
    }

    /** The peer's receive side: split, verify every segment with the naive reference, reassemble, ACK. */
    private final class TsoReceiver {
        final Conn c;
        final byte[] data;
        final MemorySegment out = MemorySegment.ofArray(new byte[64 * 2048]);
        final long[] offsets = new long[64];
        final int[] lengths = new int[64];
        int rcvNxt;
        boolean fin;
        int gsoPackets;
        int maxSegments;
        int segments;

        TsoReceiver(final Conn c, final int size) {
            this.c = c;
            this.data = new byte[size];
            for (int i = 0; i < 64; i++) {
                offsets[i] = i * 2048L;
            }
        }

        boolean onPacket(final MemorySegment mem, final long vnet, final long p, final int len) throws Exception {
            Tcp t = Tcp.parse(mem, p, len);
            if (t == null || t.dport != c.peerPort) {
                return false;
            }
            int n = GsoSplitter.split(mem, vnet, p, len, out, offsets, lengths, 64, 2048);
            assertTrue(n > 0, () -> "split of a kernel packet: " + OffloadResult.of(n));
            if (VirtioNetHeader.gsoType(mem, vnet) != VirtioNetHeader.GSO_NONE) {
                gsoPackets++;
                maxSegments = Math.max(maxSegments, n);
                assertEquals(MSS, VirtioNetHeader.gsoSize(mem, vnet), "gso_size = the MSS we announced");
            }
            for (int i = 0; i < n; i++) {
                byte[] seg = out.asSlice(offsets[i], lengths[i]).toArray(ValueLayout.JAVA_BYTE);
                verify(seg);
                Tcp st = Tcp.parse(MemorySegment.ofArray(seg), 0, seg.length);
                int at = (int) (st.seq() - c.serverIsn - 1);
                int payload = seg.length - st.header();
                assertTrue(payload <= MSS);
                assertTrue(at >= 0 && at + payload <= data.length, "sequence inside the stream: " + at);
                System.arraycopy(seg, st.header(), data, at, payload);
                if (at <= rcvNxt) {
                    rcvNxt = Math.max(rcvNxt, at + payload);
                }
                if ((st.flags() & RefPacket.FIN) != 0 && at + payload == data.length) {
                    fin = true;
                }
                segments++;
            }
            long ack = c.serverIsn + 1 + rcvNxt + (fin && rcvNxt == data.length ? 1 : 0);
            peer.send(List.of(c.packet(RefPacket.ACK, c.isn + 1, ack, new byte[0]).build()));
            return fin && rcvNxt == data.length;
        }

        /** IPv4 header checksum and TCP checksum by the naive RFC 1071 sum of {@link RefPacket}. */
        private void verify(final byte[] seg) {
            int ih = c.version == 4 ? (seg[0] & 0xF) * 4 : 40;
            if (c.version == 4) {
                assertEquals(0xFFFF, RefPacket.naiveSum(seg, 0, ih, 0), "IPv4 header checksum");
                assertEquals(seg.length, RefPacket.get16(seg, 2));
            } else {
                assertEquals(seg.length - 40, RefPacket.get16(seg, 4));
            }
            RefPacket addrs = new RefPacket();
            addrs.version = c.version;
            addrs.src = c.version == 4 ? SERVER4 : SERVER6;
            addrs.dst = c.version == 4 ? PEER4 : PEER6;
            int sum = RefPacket.naiveSum(seg, ih, seg.length - ih, addrs.pseudoSum(seg.length - ih));
            assertEquals(0xFFFF, sum, "TCP checksum");
        }
    }
}
