package io.jwg.bindings.io;

import io.jwg.bindings.libc.Errno;
import io.jwg.bindings.libc.NativeIoException;
import io.jwg.bindings.libc.in6_addr;
import io.jwg.bindings.libc.in_addr;
import io.jwg.bindings.libc.libc_h;
import io.jwg.bindings.libc.sockaddr_in;
import io.jwg.bindings.libc.sockaddr_in6;
import io.jwg.bindings.libc.socket_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A non-blocking UDP socket (IPv4 or IPv6) opened with the options a WireGuard endpoint needs. Thread-safe
 * to read ({@link #fd()}, {@link #localPort()}); {@link #close()} by the owner once every {@link UdpBatchIo}
 * over it is closed. Each thread that does I/O on the descriptor uses its own {@link UdpBatchIo}.
 * <p>The socket belongs to the network namespace of the thread that calls {@link #open(Config)}.
 */
public final class UdpSocket implements AutoCloseable {

    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Socket options; fluent setters, defaults as documented on each. */
    public static final class Config {
        int family = socket_h.AF_INET;
        int bindIpv4;
        long bindIpv6High;
        long bindIpv6Low;
        int port;
        boolean reusePort;
        int receiveBufferBytes;
        int sendBufferBytes;
        int mark;
        boolean packetInfo;
        boolean gro;
        boolean v6Only = true;

        /** {@return a config for an IPv4 socket bound to 0.0.0.0:0} */
        public static Config ipv4() {
            return new Config();
        }

        /** {@return a config for an IPv6-only socket bound to [::]:0} */
        public static Config ipv6() {
            Config c = new Config();
            c.family = socket_h.AF_INET6;
            return c;
        }

        /** Binds to IPv4 {@code addr} (host-order int, e.g. 0x7f000001); IPv4 configs only. */
        public Config bindIpv4(final int addr) {
            this.bindIpv4 = addr;
            return this;
        }

        /** Binds to IPv6 {@code high:low} (big-endian halves; ::1 is 0, 1); IPv6 configs only. */
        public Config bindIpv6(final long high, final long low) {
            this.bindIpv6High = high;
            this.bindIpv6Low = low;
            return this;
        }

        /** UDP port to bind, 0 (default) for any; read the result with {@link UdpSocket#localPort()}. */
        public Config port(final int p) {
            this.port = p;
            return this;
        }

        /** SO_REUSEPORT (default off): several sockets share the port, the kernel spreads flows. */
        public Config reusePort(final boolean on) {
            this.reusePort = on;
            return this;
        }

        /** SO_RCVBUFFORCE (falls back to SO_RCVBUF without CAP_NET_ADMIN); 0 = kernel default. */
        public Config receiveBufferBytes(final int bytes) {
            this.receiveBufferBytes = bytes;
            return this;
        }

        /** SO_SNDBUFFORCE (falls back to SO_SNDBUF without CAP_NET_ADMIN); 0 = kernel default. */
        public Config sendBufferBytes(final int bytes) {
            this.sendBufferBytes = bytes;
            return this;
        }

        /** SO_MARK (fwmark) for outgoing packets; 0 = none. Needs CAP_NET_ADMIN. */
        public Config mark(final int m) {
            this.mark = m;
            return this;
        }

        /** IP_PKTINFO / IPV6_RECVPKTINFO (default off): report each datagram's local address. */
        public Config packetInfo(final boolean on) {
            this.packetInfo = on;
            return this;
        }

        /** UDP_GRO (default off): the kernel may coalesce datagrams of a flow into one buffer. */
        public Config gro(final boolean on) {
            this.gro = on;
            return this;
        }

        /** IPV6_V6ONLY (default on) for IPv6 sockets. */
        public Config v6Only(final boolean on) {
            this.v6Only = on;
            return this;
        }
    }

    private final int family;
    private final int localPort;
    private final boolean packetInfo;
    private final boolean gro;
    private volatile int fd;

    private UdpSocket(final int fd, final int family, final int localPort, final boolean packetInfo, final boolean gro) {
        this.fd = fd;
        this.family = family;
        this.localPort = localPort;
        this.packetInfo = packetInfo;
        this.gro = gro;
    }

    /** Opens, configures and binds a socket as {@code c} says. Throws on any setup failure (fd closed). */
    public static UdpSocket open(final Config c) throws NativeIoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Errno.allocateState(a);
            int fd = socket_h.socket(err, c.family, socket_h.SOCK_DGRAM | socket_h.SOCK_NONBLOCK | socket_h.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeIoException("socket", Errno.get(err));
            }
            try {
                boolean v6 = c.family == socket_h.AF_INET6;
                if (v6) {
                    setInt(a, err, fd, socket_h.IPPROTO_IPV6, socket_h.IPV6_V6ONLY, c.v6Only ? 1 : 0, "IPV6_V6ONLY");
                }
                if (c.reusePort) {
                    setInt(a, err, fd, socket_h.SOL_SOCKET, socket_h.SO_REUSEPORT, 1, "SO_REUSEPORT");
                }
                if (c.receiveBufferBytes > 0) {
                    setBuffer(a, err, fd, socket_h.SO_RCVBUFFORCE, socket_h.SO_RCVBUF, c.receiveBufferBytes);
                }
                if (c.sendBufferBytes > 0) {
                    setBuffer(a, err, fd, socket_h.SO_SNDBUFFORCE, socket_h.SO_SNDBUF, c.sendBufferBytes);
                }
                if (c.mark != 0) {
                    setInt(a, err, fd, socket_h.SOL_SOCKET, socket_h.SO_MARK, c.mark, "SO_MARK");
                }
                if (c.packetInfo) {
                    if (v6) {
                        setInt(a, err, fd, socket_h.IPPROTO_IPV6, socket_h.IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
                    } else {
                        setInt(a, err, fd, socket_h.IPPROTO_IP, socket_h.IP_PKTINFO, 1, "IP_PKTINFO");
                    }
                }
                if (c.gro) {
                    setInt(a, err, fd, socket_h.SOL_UDP, socket_h.UDP_GRO, 1, "UDP_GRO");
                }
                MemorySegment addr = a.allocate(sockaddr_in6.layout());
                int len;
                if (v6) {
                    sockaddr_in6.sin6_family(addr, (short) socket_h.AF_INET6);
                    addr.set(SHORT_BE, sockaddr_in6.sin6_port$OFFSET, (short) c.port);
                    long at = sockaddr_in6.sin6_addr$OFFSET + in6_addr.s6_addr$OFFSET;
                    addr.set(LONG_BE, at, c.bindIpv6High);
                    addr.set(LONG_BE, at + 8, c.bindIpv6Low);
                    len = (int) sockaddr_in6.sizeof();
                } else {
                    sockaddr_in.sin_family(addr, (short) socket_h.AF_INET);
                    addr.set(SHORT_BE, sockaddr_in.sin_port$OFFSET, (short) c.port);
                    addr.set(INT_BE, sockaddr_in.sin_addr$OFFSET + in_addr.s_addr$OFFSET, c.bindIpv4);
                    len = (int) sockaddr_in.sizeof();
                }
                if (socket_h.bind(err, fd, addr, len) < 0) {
                    throw new NativeIoException("bind", Errno.get(err));
                }
                MemorySegment alen = a.allocateFrom(ValueLayout.JAVA_INT, (int) sockaddr_in6.sizeof());
                if (socket_h.getsockname(err, fd, addr, alen) < 0) {
                    throw new NativeIoException("getsockname", Errno.get(err));
                }
                int port = Short.toUnsignedInt(addr.get(SHORT_BE, v6 ? sockaddr_in6.sin6_port$OFFSET : sockaddr_in.sin_port$OFFSET));
                return new UdpSocket(fd, c.family, port, c.packetInfo, c.gro);
            } catch (NativeIoException | RuntimeException e) {
                libc_h.close(err, fd);
                throw e;
            }
        }
    }

    private static void setInt(final Arena a, final MemorySegment err, final int fd, final int level, final int name,
                               final int value, final String what) throws NativeIoException {
        MemorySegment v = a.allocateFrom(ValueLayout.JAVA_INT, value);
        if (socket_h.setsockopt(err, fd, level, name, v, 4) < 0) {
            throw new NativeIoException("setsockopt " + what, Errno.get(err));
        }
    }

    private static void setBuffer(final Arena a, final MemorySegment err, final int fd, final int force,
                                  final int plain, final int bytes) throws NativeIoException {
        MemorySegment v = a.allocateFrom(ValueLayout.JAVA_INT, bytes);
        if (socket_h.setsockopt(err, fd, socket_h.SOL_SOCKET, force, v, 4) < 0
                && socket_h.setsockopt(err, fd, socket_h.SOL_SOCKET, plain, v, 4) < 0) {
            throw new NativeIoException("setsockopt buffer size", Errno.get(err));
        }
    }

    /** {@return the descriptor, or -1 once closed (calls then fail with EBADF)} */
    public int fd() {
        return fd;
    }

    /** {@return AF_INET or AF_INET6} */
    public int family() {
        return family;
    }

    /** {@return the bound UDP port (as getsockname reported it after bind)} */
    public int localPort() {
        return localPort;
    }

    /** {@return whether IP_PKTINFO/IPV6_RECVPKTINFO is on} */
    public boolean packetInfo() {
        return packetInfo;
    }

    /** {@return whether UDP_GRO is on} */
    public boolean gro() {
        return gro;
    }

    /** {@return whether {@link #close()} ran} */
    public boolean isClosed() {
        return fd < 0;
    }

    /** {@return the socket's SO_RCVBUF/SO_SNDBUF value (the kernel doubles what was set), or -errno} */
    public int bufferBytes(final boolean receive) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Errno.allocateState(a);
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment len = a.allocateFrom(ValueLayout.JAVA_INT, 4);
            int r = socket_h.getsockopt(err, fd, socket_h.SOL_SOCKET, receive ? socket_h.SO_RCVBUF : socket_h.SO_SNDBUF, v, len);
            return r < 0 ? -Errno.get(err) : v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Closes the descriptor (idempotent). Close every {@link UdpBatchIo} over this socket first. */
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
        return "UdpSocket{fd=" + fd + ", " + (family == socket_h.AF_INET6 ? "ipv6" : "ipv4") + ", port=" + localPort + "}";
    }
}
