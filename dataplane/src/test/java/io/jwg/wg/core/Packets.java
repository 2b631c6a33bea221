package io.jwg.wg.core;

import io.jwg.wg.routing.Prefix;

import java.nio.ByteBuffer;

/** Builds inner IP packets for tests. */
final class Packets {
    private Packets() {
    }

    static int v4(final String dotted) {
        final byte[] b = Prefix.parse(dotted + "/32").addressBytes();
        return ByteBuffer.wrap(b).getInt();
    }

    /** An IPv4/UDP-ish packet of {@code totalLength} bytes (>= 20) with the given addresses; payload filled with {@code fill}. */
    static byte[] ipv4(final String src, final String dst, final int totalLength, final int fill) {
        final byte[] p = new byte[totalLength];
        final ByteBuffer b = ByteBuffer.wrap(p);
        b.put(0, (byte) 0x45);
        b.putShort(2, (short) totalLength);
        b.put(8, (byte) 64);
        b.put(9, (byte) 17);
        b.putInt(12, v4(src));
        b.putInt(16, v4(dst));
        for (int i = 20; i < totalLength; i++) {
            p[i] = (byte) (fill + i);
        }
        return p;
    }

    /** An IPv6 packet with {@code payloadLength} payload bytes. */
    static byte[] ipv6(final String src, final String dst, final int payloadLength, final int fill) {
        final byte[] p = new byte[40 + payloadLength];
        final ByteBuffer b = ByteBuffer.wrap(p);
        b.put(0, (byte) 0x60);
        b.putShort(4, (short) payloadLength);
        b.put(6, (byte) 17);
        b.put(7, (byte) 64);
        System.arraycopy(Prefix.parse(src + "/128").addressBytes(), 0, p, 8, 16);
        System.arraycopy(Prefix.parse(dst + "/128").addressBytes(), 0, p, 24, 16);
        for (int i = 40; i < p.length; i++) {
            p[i] = (byte) (fill + i);
        }
        return p;
    }
}
