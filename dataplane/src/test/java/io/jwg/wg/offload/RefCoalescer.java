package io.jwg.wg.offload;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The slow, obvious GRO reference: works on {@link RefPacket} specs (null = a packet with no TCP/UDP flow),
 * lists and a hash map, with the rules of {@link GroCoalescer}'s javadoc written out one by one.
 */
final class RefCoalescer {

    /** One output: the input indices it holds, in order. */
    static final class Out {
        final List<Integer> packets = new ArrayList<>();
        boolean open;
        long nextSeq;
        int payload;
    }

    private final int maxFlows;
    private final boolean udp;
    private final int maxBytes;
    private int superSlots;

    RefCoalescer(int maxFlows, boolean udp, int maxBytes, int superSlots) {
        this.maxFlows = maxFlows;
        this.udp = udp;
        this.maxBytes = maxBytes;
        this.superSlots = superSlots;
    }

    static String flowKey(RefPacket p) {
        return p.version + "/" + p.protocol + "/" + Arrays.toString(p.src) + "/" + Arrays.toString(p.dst) + "/" + p.sport + "/" + p.dport;
    }

    boolean candidate(RefPacket p) {
        if (p == null || p.payload.length == 0 || p.version == 4 && p.ipOptions.length != 0) {
            return false;
        }
        if (p.protocol == RefPacket.TCP) {
            return (p.flags & (RefPacket.SYN | RefPacket.RST | RefPacket.URG | RefPacket.ACK)) == RefPacket.ACK;
        }
        return udp;
    }

    List<Out> coalesce(RefPacket[] specs) {
        List<Out> outs = new ArrayList<>();
        Map<String, Out> flows = new HashMap<>(); // value null: tracked flow without an open output
        for (int i = 0; i < specs.length; i++) {
            RefPacket p = specs[i];
            String key = p == null ? null : flowKey(p);
            boolean tracked = key != null && flows.containsKey(key);
            Out open = tracked ? flows.get(key) : null;
            if (!candidate(p)) {
                if (open != null) {
                    open.open = false;
                    flows.put(key, null);
                }
                outs.add(single(i));
                continue;
            }
            if (open != null && canAppend(open, specs, p)) {
                if (open.packets.size() == 1) {
                    superSlots--;
                }
                open.packets.add(i);
                open.payload += p.payload.length;
                open.nextSeq = open.nextSeq + p.payload.length & 0xFFFF_FFFFL;
                RefPacket first = specs[open.packets.get(0)];
                if (p.protocol == RefPacket.TCP && (p.flags & (RefPacket.PSH | RefPacket.FIN)) != 0
                        || p.protocol == RefPacket.UDP && open.packets.size() == 64
                        || p.payload.length < first.payload.length) {
                    open.open = false;
                }
                continue;
            }
            if (open != null) {
                open.open = false;
            }
            Out o = single(i);
            o.payload = p.payload.length;
            o.nextSeq = p.seq + p.payload.length & 0xFFFF_FFFFL;
            o.open = p.protocol == RefPacket.UDP || (p.flags & (RefPacket.PSH | RefPacket.FIN)) == 0;
            outs.add(o);
            if (tracked) {
                flows.put(key, o);
            } else if (flows.size() < maxFlows) {
                flows.put(key, o);
            } else {
                o.open = false;
            }
        }
        return outs;
    }

    private static Out single(int i) {
        Out o = new Out();
        o.packets.add(i);
        return o;
    }

    private boolean canAppend(Out o, RefPacket[] specs, RefPacket p) {
        RefPacket f = specs[o.packets.get(0)];
        if (!o.open || o.packets.size() == 1 && superSlots == 0) {
            return false;
        }
        if (p.headerLength() != f.headerLength() || p.payload.length > f.payload.length) {
            return false;
        }
        int total = f.headerLength() + o.payload + p.payload.length;
        if (total > maxBytes || total - (f.version == 6 ? 40 : 0) > 65535) {
            return false;
        }
        if (p.tos != f.tos || p.ttl != f.ttl) {
            return false;
        }
        if (f.version == 4) {
            if (p.df != f.df || !f.df && p.id != (f.id + o.packets.size() & 0xFFFF)) {
                return false;
            }
        } else if (p.flowLabel != f.flowLabel) {
            return false;
        }
        if (p.protocol == RefPacket.UDP) {
            return true;
        }
        return p.seq == o.nextSeq && p.ack == f.ack && p.window == f.window
                && (p.flags & ~(RefPacket.PSH | RefPacket.FIN)) == (f.flags & ~(RefPacket.CWR | RefPacket.PSH | RefPacket.FIN))
                && Arrays.equals(p.tcpOptions, f.tcpOptions);
    }

    /** The bytes an output must have: vnet header + super-packet, or a zero vnet header + the packet. */
    static byte[] expectedBytes(Out o, RefPacket[] specs, byte[][] raw) {
        if (o.packets.size() == 1) {
            int i = o.packets.get(0);
            byte[] pkt = specs[i] != null ? specs[i].build() : raw[i];
            byte[] b = new byte[10 + pkt.length];
            System.arraycopy(pkt, 0, b, 10, pkt.length);
            return b;
        }
        RefPacket first = specs[o.packets.get(0)];
        RefPacket last = specs[o.packets.get(o.packets.size() - 1)];
        RefPacket s = first.copy();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i : o.packets) {
            payload.writeBytes(specs[i].payload);
        }
        s.payload = payload.toByteArray();
        s.flags = first.flags | last.flags & (RefPacket.PSH | RefPacket.FIN);
        return s.tunRead(first.payload.length, s.headerLength());
    }
}
