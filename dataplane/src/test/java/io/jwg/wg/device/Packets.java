package io.jwg.wg.device;

import java.nio.ByteBuffer;

/** Inner IPv4 test packets carrying a sequence number. */
final class Packets {
    private Packets() {
    }

    /** An IPv4 packet src -> dst, protocol 253, {@code payload} bytes (>= 8) starting with {@code seq}. */
    static byte[] ipv4(final int src, final int dst, final long seq, final int payload) {
        final byte[] p = new byte[20 + payload];
        final ByteBuffer b = ByteBuffer.wrap(p);
        b.put((byte) 0x45).put((byte) 0).putShort((short) p.length).putInt(0).put((byte) 64).put((byte) 253)
            .putShort((short) 0).putInt(src).putInt(dst).putLong(seq);
        for (int i = 28; i < p.length; i++) {
            p[i] = (byte) (seq * 31 + i);
        }
        return p;
    }

    /**
     * An IPv6 packet 2001:db8::{@code src} -> 2001:db8::{@code dst}, next header 253, {@code payload}
     * bytes (>= 8) starting with {@code seq}.
     */
    static byte[] ipv6(final int src, final int dst, final long seq, final int payload) {
        final byte[] p = new byte[40 + payload];
        final ByteBuffer b = ByteBuffer.wrap(p);
        b.putInt(0x6000_0000).putShort((short) payload).put((byte) 253).put((byte) 64);
        b.putLong(0x2001_0db8_0000_0000L).putLong(src).putLong(0x2001_0db8_0000_0000L).putLong(dst).putLong(seq);
        for (int i = 48; i < p.length; i++) {
            p[i] = (byte) (seq * 17 + i);
        }
        return p;
    }

    static long seq(final byte[] packet) {
        return ByteBuffer.wrap(packet).getLong((packet[0] & 0xF0) == 0x60 ? 40 : 20);
    }
}
