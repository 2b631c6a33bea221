package io.jwg.wg.offload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Test model: a TCP or UDP packet over IPv4 or IPv6 described field by field, built into bytes with a naive
 * RFC 1071 checksum that shares no code with {@link Checksum}. The slow, obvious reference for the
 * splitter (split = one spec per MSS chunk) and the coalescer.
 */
final class RefPacket {

    static final int TCP = 6;
    static final int UDP = 17;
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int URG = 0x20;
    static final int ECE = 0x40;
    static final int CWR = 0x80;

    int version = 4;
    int protocol = TCP;
    byte[] src = {(byte) 198, 51, 100, 2};
    byte[] dst = {(byte) 198, 51, 100, 1};
    int sport = 40000;
    int dport = 5001;
    long seq;
    long ack = 1;
    int flags = ACK;
    int window = 512;
    byte[] tcpOptions = new byte[0];
    byte[] ipOptions = new byte[0];
    int tos;
    int ttl = 64;
    int id = 1;
    boolean df = true;
    int flowLabel;
    byte[] payload = new byte[0];

    RefPacket copy() {
        RefPacket c = new RefPacket();
        c.version = version;
        c.protocol = protocol;
        c.src = src.clone();
        c.dst = dst.clone();
        c.sport = sport;
        c.dport = dport;
        c.seq = seq;
        c.ack = ack;
        c.flags = flags;
        c.window = window;
        c.tcpOptions = tcpOptions.clone();
        c.ipOptions = ipOptions.clone();
        c.tos = tos;
        c.ttl = ttl;
        c.id = id;
        c.df = df;
        c.flowLabel = flowLabel;
        c.payload = payload.clone();
        return c;
    }

    int ipHeaderLength() {
        return version == 4 ? 20 + ipOptions.length : 40;
    }

    int l4HeaderLength() {
        return protocol == TCP ? 20 + tcpOptions.length : 8;
    }

    int headerLength() {
        return ipHeaderLength() + l4HeaderLength();
    }

    int length() {
        return headerLength() + payload.length;
    }

    /** The packet with every checksum complete. */
    byte[] build() {
        byte[] b = new byte[length()];
        int ih = ipHeaderLength();
        int l4len = l4HeaderLength() + payload.length;
        if (version == 4) {
            b[0] = (byte) (0x40 | ih / 4);
            b[1] = (byte) tos;
            put16(b, 2, b.length);
            put16(b, 4, id);
            put16(b, 6, df ? 0x4000 : 0);
            b[8] = (byte) ttl;
            b[9] = (byte) protocol;
            System.arraycopy(src, 0, b, 12, 4);
            System.arraycopy(dst, 0, b, 16, 4);
            System.arraycopy(ipOptions, 0, b, 20, ipOptions.length);
            put16(b, 10, ~naiveSum(b, 0, ih, 0) & 0xFFFF);
        } else {
            b[0] = (byte) (0x60 | tos >>> 4);
            b[1] = (byte) ((tos & 0xF) << 4 | flowLabel >>> 16 & 0xF);
            put16(b, 2, flowLabel & 0xFFFF);
            put16(b, 4, l4len);
            b[6] = (byte) protocol;
            b[7] = (byte) ttl;
            System.arraycopy(src, 0, b, 8, 16);
            System.arraycopy(dst, 0, b, 24, 16);
        }
        put16(b, ih, sport);
        put16(b, ih + 2, dport);
        if (protocol == TCP) {
            put32(b, ih + 4, seq);
            put32(b, ih + 8, ack);
            b[ih + 12] = (byte) (l4HeaderLength() / 4 << 4);
            b[ih + 13] = (byte) flags;
            put16(b, ih + 14, window);
            System.arraycopy(tcpOptions, 0, b, ih + 20, tcpOptions.length);
        } else {
            put16(b, ih + 4, l4len);
        }
        System.arraycopy(payload, 0, b, headerLength(), payload.length);
        int sum = naiveSum(b, ih, l4len, pseudoSum(l4len));
        int check = ~sum & 0xFFFF;
        if (protocol == UDP && check == 0) {
            check = 0xFFFF;
        }
        put16(b, ih + (protocol == TCP ? 16 : 6), check);
        return b;
    }

    /** The folded pseudo-header sum for an L4 length. */
    int pseudoSum(int l4len) {
        byte[] ph;
        if (version == 4) {
            ph = new byte[12];
            System.arraycopy(src, 0, ph, 0, 4);
            System.arraycopy(dst, 0, ph, 4, 4);
            ph[9] = (byte) protocol;
            put16(ph, 10, l4len);
        } else {
            ph = new byte[40];
            System.arraycopy(src, 0, ph, 0, 16);
            System.arraycopy(dst, 0, ph, 16, 16);
            put32(ph, 32, l4len);
            ph[39] = (byte) protocol;
        }
        return naiveSum(ph, 0, ph.length, 0);
    }

    /**
     * The super-packet as a TUN read presents it: IP lengths for the whole packet, L4 checksum field holding
     * the folded pseudo-header sum, preceded by a vnet header (NEEDS_CSUM, gso type, hdr_len = {@code hdrLen},
     * gso_size = {@code mss}).
     */
    byte[] tunRead(int mss, int hdrLen) {
        byte[] pkt = build();
        int ih = ipHeaderLength();
        int l4len = pkt.length - ih;
        put16(pkt, ih + (protocol == TCP ? 16 : 6), pseudoSum(l4len));
        int type = protocol == UDP ? 5 : version == 4 ? 1 : 4;
        if (protocol == TCP && (flags & CWR) != 0) {
            type |= 0x80;
        }
        byte[] out = new byte[10 + pkt.length];
        out[0] = 1;
        out[1] = (byte) type;
        putLe16(out, 2, hdrLen);
        putLe16(out, 4, mss);
        putLe16(out, 6, ih);
        putLe16(out, 8, protocol == TCP ? 16 : 6);
        System.arraycopy(pkt, 0, out, 10, pkt.length);
        return out;
    }

    /** Reference segmentation: one spec per {@code mss} chunk, fields as the kernel's GSO sets them. */
    List<RefPacket> segments(int mss) {
        List<RefPacket> out = new ArrayList<>();
        int n = Math.max(1, (payload.length + mss - 1) / mss);
        for (int i = 0; i < n; i++) {
            RefPacket s = copy();
            s.payload = Arrays.copyOfRange(payload, i * mss, Math.min(payload.length, (i + 1) * mss));
            s.id = id + i & 0xFFFF;
            if (protocol == TCP) {
                s.seq = seq + (long) i * mss & 0xFFFF_FFFFL;
                if (i != n - 1) {
                    s.flags &= ~(FIN | PSH);
                }
                if (i != 0) {
                    s.flags &= ~CWR;
                }
            }
            out.add(s);
        }
        return out;
    }

    /** RFC 1071 the slow way: big-endian 16-bit words, end-around carry after every addition. */
    static int naiveSum(byte[] b, int off, int len, int initial) {
        int sum = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xFF;
            int lo = i + 1 < len ? b[off + i + 1] & 0xFF : 0;
            sum += hi << 8 | lo;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum;
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void put32(byte[] b, int off, long v) {
        put16(b, off, (int) (v >>> 16));
        put16(b, off + 2, (int) v);
    }

    static void putLe16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static int get16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | b[off + 1] & 0xFF;
    }

    /** A random TCP or UDP flow spec: addresses, ports, options (TCP options only for TCP). */
    static RefPacket random(Random r, int version, int protocol) {
        RefPacket p = new RefPacket();
        p.version = version;
        p.protocol = protocol;
        if (version == 4) {
            p.src = new byte[] {(byte) 198, 51, 100, (byte) (2 + r.nextInt(200))};
            p.dst = new byte[] {(byte) 203, 0, 113, (byte) (1 + r.nextInt(200))};
        } else {
            p.src = new byte[16];
            p.dst = new byte[16];
            r.nextBytes(p.src);
            r.nextBytes(p.dst);
            p.src[0] = 0x20;
            p.src[1] = 0x01;
            p.dst[0] = 0x20;
            p.dst[1] = 0x01;
            p.flowLabel = r.nextInt(1 << 20);
        }
        p.sport = 1024 + r.nextInt(60000);
        p.dport = 1 + r.nextInt(65535);
        p.seq = r.nextInt() & 0xFFFF_FFFFL;
        p.ack = r.nextInt() & 0xFFFF_FFFFL;
        p.window = r.nextInt(65536);
        p.tos = r.nextInt(256);
        p.ttl = 1 + r.nextInt(255);
        p.id = r.nextInt(65536);
        p.df = r.nextBoolean();
        if (protocol == TCP) {
            p.tcpOptions = new byte[4 * r.nextInt(11)];
            r.nextBytes(p.tcpOptions);
        }
        return p;
    }

    @Override
    public String toString() {
        return "v" + version + (protocol == TCP ? " tcp" : " udp") + " " + sport + "->" + dport + " seq=" + seq
                + " flags=0x" + Integer.toHexString(flags) + " id=" + id + " len=" + payload.length;
    }
}
