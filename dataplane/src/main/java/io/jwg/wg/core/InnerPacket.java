package io.jwg.wg.core;

import io.jwg.wg.protocol.WireLayouts;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Checks of a decrypted inner packet before it may reach the TUN device (kernel
 * {@code wg_packet_consume_data_done}; protocol.md 1.4): IP version 4 or 6, a sane header, and a
 * total length not beyond the decrypted bytes (padding is trimmed to it). Stateless.
 */
public final class InnerPacket {
    private InnerPacket() {
    }

    /** Minimum IPv4 header. */
    public static final int IPV4_HEADER_LENGTH = 20;
    /** Fixed IPv6 header. */
    public static final int IPV6_HEADER_LENGTH = 40;

    /**
     * The inner packet's length according to its IP header, if the {@code available} decrypted bytes
     * at {@code off} hold a well-formed IPv4/IPv6 packet of that length; otherwise -1.
     */
    public static int validLength(final MemorySegment seg, final long off, final int available) {
        if (available < 1) {
            return -1;
        }
        final int first = seg.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
        final int version = first >>> 4;
        final int length;
        if (version == 4) {
            if (available < IPV4_HEADER_LENGTH) {
                return -1;
            }
            final int ihlBytes = (first & 0x0F) * 4;
            length = seg.get(WireLayouts.BE_SHORT, off + 2) & 0xFFFF;
            if (ihlBytes < IPV4_HEADER_LENGTH || length < ihlBytes) {
                return -1;
            }
        } else if (version == 6) {
            if (available < IPV6_HEADER_LENGTH) {
                return -1;
            }
            length = (seg.get(WireLayouts.BE_SHORT, off + 4) & 0xFFFF) + IPV6_HEADER_LENGTH;
        } else {
            return -1;
        }
        return length <= available ? length : -1;
    }

    /** Whether an outbound packet is an IPv4/IPv6 packet long enough to carry its addresses. */
    public static boolean isRoutable(final MemorySegment seg, final long off, final int length) {
        if (length < 1) {
            return false;
        }
        final int version = (seg.get(ValueLayout.JAVA_BYTE, off) & 0xF0) >>> 4;
        return (version == 4 && length >= IPV4_HEADER_LENGTH) || (version == 6 && length >= IPV6_HEADER_LENGTH);
    }
}
