package io.jwg.wg.device;

import io.jwg.bindings.io.MmsgUdpIo;
import io.jwg.bindings.io.PacketPool;
import io.jwg.bindings.io.UdpBatchIo;
import io.jwg.bindings.io.UdpSocket;
import io.jwg.bindings.io.UringUdpIo;
import io.jwg.bindings.libc.Errno;
import io.jwg.bindings.libc.NativeIoException;
import io.jwg.bindings.libc.socket_h;
import io.jwg.bindings.uring.Uring;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Real UDP sockets as a {@link Bind}: an IPv4 socket and, when the host has IPv6, an IPv6-only socket
 * on the same port (as wireguard-go), both with pktinfo (so replies leave from the address a peer
 * wrote to), large buffers and the fwmark. Handles are {@link UringUdpIo} when io_uring is available
 * and not disabled with {@code -Djwg.io=mmsg|syscall}, else {@link MmsgUdpIo}. Opened, rebound and
 * closed by the configuration thread; handles are per thread.
 */
public final class KernelBind implements Bind {
    /** Socket buffer size (wireguard-go forces 7 MB: commit f26efb6). */
    static final int SOCKET_BUFFER_BYTES = 7 << 20;

    private final UdpSocket v4;
    private final UdpSocket v6;
    private final boolean uring;
    private int mark;

    private KernelBind(final UdpSocket v4, final UdpSocket v6, final boolean uring, final int mark) {
        this.v4 = v4;
        this.v6 = v6;
        this.uring = uring;
        this.mark = mark;
    }

    /**
     * Binds {@code port} (0: any free port, then the IPv6 socket takes the same one) with
     * {@code fwmark} (0: none).
     *
     * @throws NativeIoException if the IPv4 socket cannot be bound (port in use, no permission)
     */
    public static KernelBind open(final int port, final int fwmark) throws NativeIoException {
        final UdpSocket s4 = UdpSocket.open(config(UdpSocket.Config.ipv4(), port, fwmark));
        UdpSocket s6 = null;
        try {
            s6 = UdpSocket.open(config(UdpSocket.Config.ipv6(), s4.localPort(), fwmark));
        } catch (NativeIoException | RuntimeException noV6) {
            // No IPv6 on this host (or the port is taken for v6 only): IPv4 only, as wireguard-go does.
            s6 = null;
        }
        final boolean uring = !"mmsg".equals(System.getProperty("jwg.io"))
            && !"syscall".equals(System.getProperty("jwg.io")) && Uring.isAvailable();
        return new KernelBind(s4, s6, uring, fwmark);
    }

    private static UdpSocket.Config config(final UdpSocket.Config c, final int port, final int fwmark) {
        return c.port(port).mark(fwmark).packetInfo(true).receiveBufferBytes(SOCKET_BUFFER_BYTES)
            .sendBufferBytes(SOCKET_BUFFER_BYTES);
    }

    @Override
    public boolean hasFamily(final boolean isV6) {
        return isV6 ? v6 != null : v4 != null;
    }

    @Override
    public UdpBatchIo open(final boolean isV6, final PacketPool pool, final int maxBatch) {
        final UdpSocket s = isV6 ? v6 : v4;
        if (s == null) {
            throw new IllegalArgumentException("no socket for " + (isV6 ? "IPv6" : "IPv4"));
        }
        if (!uring) {
            return new MmsgUdpIo(s, pool, maxBatch);
        }
        try {
            return new UringUdpIo(s, pool, maxBatch);
        } catch (NativeIoException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean setMark(final int fwmark) {
        if (!setMark(v4, fwmark)) {
            return false;
        }
        if (v6 != null && !setMark(v6, fwmark)) {
            setMark(v4, mark);
            return false;
        }
        mark = fwmark;
        return true;
    }

    private static boolean setMark(final UdpSocket s, final int fwmark) {
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment value = a.allocateFrom(ValueLayout.JAVA_INT, fwmark);
            return socket_h.setsockopt(Errno.allocateState(a), s.fd(), socket_h.SOL_SOCKET, socket_h.SO_MARK, value,
                Integer.BYTES) == 0;
        }
    }

    /** Whether handles use io_uring. */
    public boolean usesUring() {
        return uring;
    }

    @Override
    public int port() {
        return v4.localPort();
    }

    @Override
    public void close() {
        v4.close();
        if (v6 != null) {
            v6.close();
        }
    }
}
