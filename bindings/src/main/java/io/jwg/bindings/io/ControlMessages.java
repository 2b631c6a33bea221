package io.jwg.bindings.io;

import io.jwg.bindings.libc.cmsghdr;
import io.jwg.bindings.libc.in6_pktinfo;
import io.jwg.bindings.libc.in_addr;
import io.jwg.bindings.libc.in_pktinfo;
import io.jwg.bindings.libc.socket_h;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Stateless: reads and writes the ancillary data of UDP datagrams (IP_PKTINFO, IPV6_PKTINFO, UDP_GRO,
 * UDP_SEGMENT) between a control buffer and a {@link DatagramBatch} entry. All sizes come from the
 * generated bindings (CMSG_LEN/CMSG_SPACE evaluated by the C probe).
 */
final class ControlMessages {

    /** Control bytes a receive needs: one pktinfo of either family plus UDP_GRO's int. */
    static final int RX_BYTES = Math.max(socket_h.CMSG_SPACE_IN_PKTINFO, socket_h.CMSG_SPACE_IN6_PKTINFO)
            + socket_h.CMSG_SPACE_INT;
    /** Control bytes a send needs: one pktinfo plus UDP_SEGMENT's u16. */
    static final int TX_BYTES = Math.max(socket_h.CMSG_SPACE_IN_PKTINFO, socket_h.CMSG_SPACE_IN6_PKTINFO)
            + socket_h.CMSG_SPACE_U16;

    private static final int HDR = socket_h.CMSG_HDR_LEN;
    private static final int ALIGN = socket_h.CMSG_ALIGN_BYTES;

    private ControlMessages() {
    }

    /**
     * Parses {@code length} control bytes at {@code offset} of {@code ctl} into entry {@code i}: local address and
     * interface from pktinfo (IPv4: {@code ipi_spec_dst}, the address a reply should come from), and the
     * GRO segment size. Unknown messages are skipped; a malformed length ends the walk.
     */
    static void parse(final MemorySegment ctl, final long offset, final long length, final DatagramBatch b, final int i) {
        long pos = 0;
        MemorySegment meta = b.meta();
        long local = (long) i * DatagramBatch.META_STRIDE + DatagramBatch.LOCAL_ADDR;
        while (pos + HDR <= length) {
            long at = offset + pos;
            long len = ctl.get(ValueLayout.JAVA_LONG, at + cmsghdr.cmsg_len$OFFSET);
            if (len < HDR || pos + len > length) {
                return;
            }
            int level = ctl.get(ValueLayout.JAVA_INT, at + cmsghdr.cmsg_level$OFFSET);
            int type = ctl.get(ValueLayout.JAVA_INT, at + cmsghdr.cmsg_type$OFFSET);
            long data = at + HDR;
            if (level == socket_h.SOL_IP && type == socket_h.IP_PKTINFO) {
                MemorySegment.copy(ctl, data + in_pktinfo.ipi_spec_dst$OFFSET + in_addr.s_addr$OFFSET, meta, local, 4);
                b.setLocalFromKernel(i, socket_h.AF_INET, ctl.get(ValueLayout.JAVA_INT, data + in_pktinfo.ipi_ifindex$OFFSET));
            } else if (level == socket_h.SOL_IPV6 && type == socket_h.IPV6_PKTINFO) {
                MemorySegment.copy(ctl, data + in6_pktinfo.ipi6_addr$OFFSET, meta, local, 16);
                b.setLocalFromKernel(i, socket_h.AF_INET6, ctl.get(ValueLayout.JAVA_INT, data + in6_pktinfo.ipi6_ifindex$OFFSET));
            } else if (level == socket_h.SOL_UDP && type == socket_h.UDP_GRO) {
                b.setReceivedSegmentSize(i, ctl.get(ValueLayout.JAVA_INT, data));
            }
            pos += (len + ALIGN - 1) & -ALIGN;
        }
    }

    /**
     * Writes entry {@code i}'s control messages (pktinfo if it has a local address, UDP_SEGMENT if it has a
     * segment size) at {@code offset} of {@code ctl}; {@return the bytes written, 0 for none}
     */
    static int build(final MemorySegment ctl, final long offset, final DatagramBatch b, final int i) {
        int pos = 0;
        int family = b.localFamily(i);
        MemorySegment meta = b.meta();
        long local = (long) i * DatagramBatch.META_STRIDE + DatagramBatch.LOCAL_ADDR;
        if (family == socket_h.AF_INET) {
            long at = offset;
            header(ctl, at, socket_h.CMSG_LEN_IN_PKTINFO, socket_h.SOL_IP, socket_h.IP_PKTINFO);
            long data = at + HDR;
            ctl.set(ValueLayout.JAVA_INT, data + in_pktinfo.ipi_ifindex$OFFSET, b.localIfindex(i));
            MemorySegment.copy(meta, local, ctl, data + in_pktinfo.ipi_spec_dst$OFFSET + in_addr.s_addr$OFFSET, 4);
            ctl.set(ValueLayout.JAVA_INT, data + in_pktinfo.ipi_addr$OFFSET + in_addr.s_addr$OFFSET, 0);
            pos += socket_h.CMSG_SPACE_IN_PKTINFO;
        } else if (family == socket_h.AF_INET6) {
            long at = offset;
            header(ctl, at, socket_h.CMSG_LEN_IN6_PKTINFO, socket_h.SOL_IPV6, socket_h.IPV6_PKTINFO);
            long data = at + HDR;
            MemorySegment.copy(meta, local, ctl, data + in6_pktinfo.ipi6_addr$OFFSET, 16);
            ctl.set(ValueLayout.JAVA_INT, data + in6_pktinfo.ipi6_ifindex$OFFSET, b.localIfindex(i));
            pos += socket_h.CMSG_SPACE_IN6_PKTINFO;
        }
        int seg = b.segmentSize(i);
        if (seg > 0) {
            long at = offset + pos;
            header(ctl, at, socket_h.CMSG_LEN_U16, socket_h.SOL_UDP, socket_h.UDP_SEGMENT);
            ctl.set(ValueLayout.JAVA_SHORT, at + HDR, (short) seg);
            pos += socket_h.CMSG_SPACE_U16;
        }
        return pos;
    }

    private static void header(final MemorySegment ctl, final long at, final int len, final int level, final int type) {
        ctl.set(ValueLayout.JAVA_LONG, at + cmsghdr.cmsg_len$OFFSET, len);
        ctl.set(ValueLayout.JAVA_INT, at + cmsghdr.cmsg_level$OFFSET, level);
        ctl.set(ValueLayout.JAVA_INT, at + cmsghdr.cmsg_type$OFFSET, type);
    }
}
