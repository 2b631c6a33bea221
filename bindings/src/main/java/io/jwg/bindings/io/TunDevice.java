package io.jwg.bindings.io;

import io.jwg.bindings.libc.Errno;
import io.jwg.bindings.libc.NativeIoException;
import io.jwg.bindings.libc.ifreq;
import io.jwg.bindings.libc.libc_h;
import io.jwg.bindings.tun.if_tun_h;
import io.jwg.bindings.tun.virtio_net_hdr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Thread-safe to read, closed by its owner: a Linux TUN device queue, {@code /dev/net/tun} opened non-blocking and attached with {@code TUNSETIFF}
 * ({@code IFF_TUN | IFF_NO_PI}, optionally {@code IFF_VNET_HDR} with {@code TUNSETOFFLOAD}, optionally
 * {@code IFF_MULTI_QUEUE}). Immutable after {@link #open}; {@link #close()} by the owner once every
 * {@link TunIo} over it is closed. The device is created in the network namespace of the thread that calls
 * {@link #open}. Each read returns one packet (prefixed by a {@code virtio_net_hdr} when
 * {@link #vnetHeaderSize()} is not 0); addresses and link state are configured with ip(8), not here.
 */
public final class TunDevice implements AutoCloseable {

    /** Offloads jwg asks for with a vnet header: checksum, TSO4/6, and USO4/6 where the kernel has them. */
    public static final int DEFAULT_OFFLOADS = if_tun_h.TUN_F_CSUM | if_tun_h.TUN_F_TSO4 | if_tun_h.TUN_F_TSO6
            | if_tun_h.TUN_F_USO4 | if_tun_h.TUN_F_USO6;

    private final String name;
    private final int ifindex;
    private final int vnetHeaderSize;
    private final int offloads;
    private final boolean multiQueue;
    private volatile int fd;

    private TunDevice(final int fd, final String name, final int ifindex, final int vnetHeaderSize, final int offloads,
                      final boolean multiQueue) {
        this.fd = fd;
        this.name = name;
        this.ifindex = ifindex;
        this.vnetHeaderSize = vnetHeaderSize;
        this.offloads = offloads;
        this.multiQueue = multiQueue;
    }

    /**
     * Creates (or attaches a queue to) TUN device {@code name} (at most IFNAMSIZ-1 bytes; "jbt%d" lets the
     * kernel pick the number).
     *
     * @param vnetHeader open with IFF_VNET_HDR and TUNSETOFFLOAD {@code offloads} (refused offloads are
     *     dropped one by one: USO first, then TSO, keeping CSUM)
     * @param offloads TUN_F_* bits to request when {@code vnetHeader}
     * @param multiQueue IFF_MULTI_QUEUE: each open of the same name adds a queue
     */
    public static TunDevice open(final String name, final boolean vnetHeader, final int offloads, final boolean multiQueue)
            throws NativeIoException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length >= libc_h.IFNAMSIZ) {
            throw new IllegalArgumentException("interface name longer than " + (libc_h.IFNAMSIZ - 1) + ": " + name);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Errno.allocateState(a);
            int fd = libc_h.open(err, a.allocateFrom("/dev/net/tun"), libc_h.O_RDWR | libc_h.O_NONBLOCK | libc_h.O_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeIoException("open /dev/net/tun", Errno.get(err));
            }
            try {
                MemorySegment ifr = ifreq.allocate(a);
                MemorySegment.copy(nameBytes, 0, ifr, ValueLayout.JAVA_BYTE, ifreq.ifr_name$OFFSET, nameBytes.length);
                int flags = if_tun_h.IFF_TUN | if_tun_h.IFF_NO_PI | (vnetHeader ? if_tun_h.IFF_VNET_HDR : 0)
                        | (multiQueue ? if_tun_h.IFF_MULTI_QUEUE : 0);
                ifreq.ifr_flags(ifr, (short) flags);
                if (libc_h.ioctl(err, fd, if_tun_h.TUNSETIFF, ifr) < 0) {
                    throw new NativeIoException("ioctl TUNSETIFF " + name, Errno.get(err));
                }
                String actual = ifreq.ifr_name(ifr).getString(0, StandardCharsets.US_ASCII);
                int hdr = 0;
                int granted = 0;
                if (vnetHeader) {
                    hdr = (int) virtio_net_hdr.sizeof();
                    MemorySegment size = a.allocateFrom(ValueLayout.JAVA_INT, hdr);
                    if (libc_h.ioctl(err, fd, if_tun_h.TUNSETVNETHDRSZ, size) < 0) {
                        throw new NativeIoException("ioctl TUNSETVNETHDRSZ", Errno.get(err));
                    }
                    granted = setOffload(err, fd, offloads);
                }
                int index = libc_h.if_nametoindex(err, a.allocateFrom(actual));
                return new TunDevice(fd, actual, index, hdr, granted, multiQueue);
            } catch (NativeIoException | RuntimeException e) {
                libc_h.close(err, fd);
                throw e;
            }
        }
    }

    private static int setOffload(final MemorySegment err, final int fd, final int wanted) throws NativeIoException {
        int[] tries = {wanted, wanted & ~(if_tun_h.TUN_F_USO4 | if_tun_h.TUN_F_USO6),
            wanted & if_tun_h.TUN_F_CSUM, 0};
        int last = 0;
        for (int off : tries) {
            // TUNSETOFFLOAD takes the flags as the ioctl argument itself, not a pointer
            if (libc_h.ioctl(err, fd, if_tun_h.TUNSETOFFLOAD, MemorySegment.ofAddress(Integer.toUnsignedLong(off))) == 0) {
                return off;
            }
            last = Errno.get(err);
        }
        throw new NativeIoException("ioctl TUNSETOFFLOAD", last);
    }

    /** {@return the queue's descriptor, or -1 once closed} */
    public int fd() {
        return fd;
    }

    /** {@return the interface name the kernel assigned} */
    public String name() {
        return name;
    }

    /** {@return the interface index (in the namespace it was created in)} */
    public int ifindex() {
        return ifindex;
    }

    /** {@return bytes of virtio_net_hdr before every packet (10), or 0 without IFF_VNET_HDR} */
    public int vnetHeaderSize() {
        return vnetHeaderSize;
    }

    /** {@return the TUN_F_* offloads the kernel accepted} */
    public int offloads() {
        return offloads;
    }

    /** {@return whether opened with IFF_MULTI_QUEUE} */
    public boolean multiQueue() {
        return multiQueue;
    }

    /** Closes this queue (the device disappears with its last queue unless persistent). Idempotent. */
    @Override
    public void close() {
        int f = fd;
        if (f >= 0) {
            fd = -1;
            try (Arena a = Arena.ofConfined()) {
                libc_h.close(Errno.allocateState(a), f);
            }
        }
    }

    @Override
    public String toString() {
        return "TunDevice{" + name + ", fd=" + fd + ", vnet=" + vnetHeaderSize + ", offloads=0x" + Integer.toHexString(offloads) + "}";
    }
}
