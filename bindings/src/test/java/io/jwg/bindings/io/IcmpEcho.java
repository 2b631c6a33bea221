package io.jwg.bindings.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Test helper: turns an IPv4 ICMP echo request into the echo reply, in place (RFC 791 / RFC 792 checksums). */
final class IcmpEcho {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private IcmpEcho() {
    }

    /** {@return whether the packet at {@code off} is an ICMP echo request to {@code dst}} */
    static boolean isEchoRequestTo(final MemorySegment m, final long off, final int len, final int dst) {
        if (len < 28 || (m.get(ValueLayout.JAVA_BYTE, off) & 0xF0) != 0x40) {
            return false;
        }
        int ihl = (m.get(ValueLayout.JAVA_BYTE, off) & 0x0F) * 4;
        return m.get(ValueLayout.JAVA_BYTE, off + 9) == 1 && m.get(U32, off + 16) == dst && len >= ihl + 8
                && m.get(ValueLayout.JAVA_BYTE, off + ihl) == 8;
    }

    /** Swaps the addresses, sets type 0 (echo reply), recomputes both checksums. */
    static void toReply(final MemorySegment m, final long off, final int len) {
        int ihl = (m.get(ValueLayout.JAVA_BYTE, off) & 0x0F) * 4;
        int src = m.get(U32, off + 12);
        m.set(U32, off + 12, m.get(U32, off + 16));
        m.set(U32, off + 16, src);
        m.set(ValueLayout.JAVA_BYTE, off + 8, (byte) 64);
        m.set(U16, off + 10, (short) 0);
        m.set(U16, off + 10, (short) checksum(m, off, ihl));
        long icmp = off + ihl;
        m.set(ValueLayout.JAVA_BYTE, icmp, (byte) 0);
        m.set(U16, icmp + 2, (short) 0);
        m.set(U16, icmp + 2, (short) checksum(m, icmp, len - ihl));
    }

    /** {@return the Internet checksum (RFC 1071) of {@code len} bytes} */
    static int checksum(final MemorySegment m, final long off, final int len) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            sum += Short.toUnsignedInt(m.get(U16, off + i));
        }
        if (i < len) {
            sum += (m.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
