package io.jwg.wg.offload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Test input for the coalescer: a random batch from a few TCP and UDP flows with the events that must stop
 * or allow a merge (short segments, PSH, FIN, pure ACKs, SYN/RST/URG, sequence gaps, TTL/ack/window changes,
 * CWR, IPv4 options and identification gaps, WireGuard padding), plus packets with no flow (non-IP bytes,
 * IPv4 fragments).
 */
final class MixedTraffic {

    final List<byte[]> wire = new ArrayList<>();
    final List<RefPacket> specList = new ArrayList<>();
    final List<byte[]> rawList = new ArrayList<>();
    RefPacket[] specs;
    byte[][] raw;

    private static final class Flow {
        RefPacket template;
        int mss;
    }

    static MixedTraffic generate(Random r, int count) {
        MixedTraffic t = new MixedTraffic();
        int nFlows = 1 + r.nextInt(8);
        Flow[] flows = new Flow[nFlows];
        for (int i = 0; i < nFlows; i++) {
            Flow f = new Flow();
            int protocol = r.nextInt(3) == 0 ? RefPacket.UDP : RefPacket.TCP;
            f.template = RefPacket.random(r, r.nextBoolean() ? 4 : 6, protocol);
            f.template.flags = RefPacket.ACK | (r.nextInt(5) == 0 ? RefPacket.ECE : 0);
            f.mss = 1 + r.nextInt(r.nextBoolean() ? 1400 : 100);
            flows[i] = f;
        }
        while (t.wire.size() < count) {
            int kind = r.nextInt(100);
            if (kind < 3) {
                byte[] junk = new byte[r.nextInt(80)];
                r.nextBytes(junk);
                if (junk.length > 0) {
                    junk[0] &= 0x3F; // not IPv4 or IPv6
                }
                t.add(junk, null, junk);
                continue;
            }
            Flow f = flows[r.nextInt(nFlows)];
            RefPacket p = f.template.copy();
            if (kind < 5) {
                p.version = 4;
                p.src = Arrays.copyOf(p.src, 4);
                p.dst = Arrays.copyOf(p.dst, 4);
                p.payload = new byte[r.nextInt(200)];
                byte[] b = p.build();
                b[6] |= 0x20; // more fragments: no L4 header to trust
                t.add(b, null, b);
                continue;
            }
            t.add(flowPacket(r, f, p), p);
        }
        t.specs = t.specList.toArray(new RefPacket[0]);
        t.raw = t.rawList.toArray(new byte[0][]);
        return t;
    }

    /** Next packet of flow {@code f} (mutating the flow's state), built from the copy {@code p}. */
    private static byte[] flowPacket(Random r, Flow f, RefPacket p) {
        RefPacket tpl = f.template;
        int e = r.nextInt(100);
        int size = f.mss;
        if (e < 10) {
            size = r.nextInt(f.mss + 1); // short (or empty)
        } else if (e < 13) {
            size = f.mss + 1 + r.nextInt(50); // longer than the first
        }
        p.payload = new byte[size];
        r.nextBytes(p.payload);
        if (p.protocol == RefPacket.TCP) {
            if (e >= 13 && e < 18) {
                p.flags |= RefPacket.PSH;
            } else if (e < 20) {
                p.flags |= RefPacket.FIN;
            } else if (e < 25) {
                p.payload = new byte[0]; // pure ACK
            } else if (e < 27) {
                p.flags |= new int[] {RefPacket.SYN, RefPacket.RST, RefPacket.URG}[r.nextInt(3)];
            } else if (e < 30) {
                p.seq = tpl.seq + 1 + r.nextInt(3000) & 0xFFFF_FFFFL; // gap
            } else if (e < 32) {
                tpl.ack = tpl.ack + 1 + r.nextInt(10000) & 0xFFFF_FFFFL;
                p.ack = tpl.ack;
            } else if (e < 34) {
                tpl.window = r.nextInt(65536);
                p.window = tpl.window;
            } else if (e < 36) {
                p.flags |= RefPacket.CWR;
            }
            tpl.seq = p.seq + p.payload.length & 0xFFFF_FFFFL;
        }
        if (e >= 36 && e < 38) {
            p.ttl = tpl.ttl == 255 ? 1 : tpl.ttl + 1;
        } else if (e >= 38 && e < 40 && p.version == 4) {
            p.ipOptions = new byte[] {1, 1, 1, 0};
        }
        if (p.version == 4) {
            if (e >= 40 && e < 42) {
                tpl.id = tpl.id + 1 + r.nextInt(5) & 0xFFFF; // identification gap
            }
            p.id = tpl.id;
            tpl.id = tpl.id + 1 & 0xFFFF;
        }
        byte[] b = p.build();
        if (r.nextInt(3) == 0) {
            b = Arrays.copyOf(b, (b.length + 15) & -16); // WireGuard pads plaintext to 16 bytes
        }
        return b;
    }

    private void add(byte[] onWire, RefPacket spec, byte[] passThrough) {
        wire.add(onWire);
        specList.add(spec);
        rawList.add(passThrough);
    }

    private void add(byte[] onWire, RefPacket spec) {
        add(onWire, spec, null);
    }
}
