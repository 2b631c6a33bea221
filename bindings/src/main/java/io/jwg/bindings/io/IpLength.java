package io.jwg.bindings.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Stateless: truncation check for TUN reads. A TUN read into a too-small buffer returns the bytes copied,
 * not the packet's length, so a read that filled the buffer is truncated exactly when the IP header
 * declares more bytes (IPv4 total length, IPv6 40 + payload length).
 */
final class IpLength {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private IpLength() {
    }

    /** {@return whether the {@code len}-byte read at {@code off} into a {@code cap}-byte buffer lost bytes} */
    static boolean isTruncated(final MemorySegment m, final long off, final int len, final int cap) {
        if (len < cap || len < 20) {
            return false;
        }
        int version = (m.get(ValueLayout.JAVA_BYTE, off) >> 4) & 0xF;
        if (version == 4) {
            return Short.toUnsignedInt(m.get(U16, off + 2)) > len;
        }
        if (version == 6 && len >= 40) {
            return 40 + Short.toUnsignedInt(m.get(U16, off + 4)) > len;
        }
        return false;
    }
}
