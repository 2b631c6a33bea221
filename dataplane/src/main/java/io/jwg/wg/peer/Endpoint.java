package io.jwg.wg.peer;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A UDP endpoint: remote address and port, plus the optional cached local source ("sticky
 * socket": the local address and interface the peer's packets arrived on, which replies should
 * leave from; protocol.md 1.12).
 *
 * <p>Two flavours share this class so that the receive path never allocates: a <em>mutable</em>
 * instance ({@link #mutable()}) that an I/O thread refills for every datagram, and <em>frozen</em>
 * instances ({@link #frozenCopy()}, the factories) that are immutable and may be shared across
 * threads. A peer stores only frozen endpoints and replaces its endpoint only when
 * {@link #sameAs} says the source changed, so the steady state allocates nothing. A mutable
 * instance is owned by one thread.
 *
 * <p>Addresses are held as 128-bit values {@code hi:lo} like {@link io.jwg.wg.routing.Prefix}: an
 * IPv4 address is in the top 32 bits of {@code hi}.
 */
public final class Endpoint {
    private final boolean frozen;
    private boolean v6;
    private long hi;
    private long lo;
    private int port;
    private boolean hasSource;
    private long srcHi;
    private long srcLo;
    private int srcIfIndex;

    private Endpoint(final boolean frozen) {
        this.frozen = frozen;
    }

    /** A mutable endpoint for an I/O thread to refill per datagram (initially 0.0.0.0:0). */
    public static Endpoint mutable() {
        return new Endpoint(false);
    }

    /** A frozen IPv4 endpoint (address as a big-endian int). */
    public static Endpoint ofV4(final int address, final int port) {
        final Endpoint e = new Endpoint(true);
        e.assignV4(address, port);
        return e;
    }

    /** A frozen IPv6 endpoint. */
    public static Endpoint ofV6(final long hi, final long lo, final int port) {
        final Endpoint e = new Endpoint(true);
        e.assignV6(hi, lo, port);
        return e;
    }

    /** A frozen endpoint from a resolved socket address (IPv4-mapped IPv6 stays IPv6). */
    public static Endpoint of(final InetSocketAddress address) {
        final InetAddress a = address.getAddress();
        if (a == null) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        final byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return ofV4(((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF),
                    address.getPort());
        }
        return ofV6(readLong(b, 0), readLong(b, 8), address.getPort());
    }

    /** Refills a mutable endpoint with an IPv4 source and clears the cached local source. */
    public Endpoint setV4(final int address, final int port) {
        checkMutable();
        assignV4(address, port);
        return this;
    }

    /** Refills a mutable endpoint with an IPv6 source and clears the cached local source. */
    public Endpoint setV6(final long hi, final long lo, final int port) {
        checkMutable();
        assignV6(hi, lo, port);
        return this;
    }

    /**
     * Sets the local address and interface the datagram arrived on (mutable only); IPv4 local
     * addresses go in the top 32 bits of {@code localHi}.
     */
    public Endpoint setSource(final long localHi, final long localLo, final int ifIndex) {
        checkMutable();
        hasSource = true;
        srcHi = localHi;
        srcLo = localLo;
        srcIfIndex = ifIndex;
        return this;
    }

    private void assignV4(final int address, final int port) {
        checkPort(port);
        v6 = false;
        hi = (address & 0xFFFF_FFFFL) << 32;
        lo = 0;
        this.port = port;
        hasSource = false;
        srcHi = 0;
        srcLo = 0;
        srcIfIndex = 0;
    }

    private void assignV6(final long hi, final long lo, final int port) {
        checkPort(port);
        v6 = true;
        this.hi = hi;
        this.lo = lo;
        this.port = port;
        hasSource = false;
        srcHi = 0;
        srcLo = 0;
        srcIfIndex = 0;
    }

    /** This endpoint if frozen, else a frozen copy of its current value. */
    public Endpoint frozenCopy() {
        if (frozen) {
            return this;
        }
        final Endpoint e = new Endpoint(true);
        e.copyFrom(this);
        return e;
    }

    /** A frozen copy without the cached local source (the kernel clears it before handshake retries). */
    public Endpoint withoutSource() {
        if (!hasSource && frozen) {
            return this;
        }
        final Endpoint e = new Endpoint(true);
        e.copyFrom(this);
        e.hasSource = false;
        e.srcHi = 0;
        e.srcLo = 0;
        e.srcIfIndex = 0;
        return e;
    }

    private void copyFrom(final Endpoint o) {
        v6 = o.v6;
        hi = o.hi;
        lo = o.lo;
        port = o.port;
        hasSource = o.hasSource;
        srcHi = o.srcHi;
        srcLo = o.srcLo;
        srcIfIndex = o.srcIfIndex;
    }

    /** Same remote address, port and cached source: no need to replace one by the other. */
    public boolean sameAs(final Endpoint o) {
        return o != null && v6 == o.v6 && hi == o.hi && lo == o.lo && port == o.port
                && hasSource == o.hasSource && srcHi == o.srcHi && srcLo == o.srcLo && srcIfIndex == o.srcIfIndex;
    }

    /** Same remote address and port (ignoring the cached source). */
    public boolean sameRemote(final Endpoint o) {
        return o != null && v6 == o.v6 && hi == o.hi && lo == o.lo && port == o.port;
    }

    /** Whether this instance is immutable. */
    public boolean isFrozen() {
        return frozen;
    }

    /** True for IPv6. */
    public boolean isV6() {
        return v6;
    }

    /** Address bits 0..63 (IPv4: the address in the top 32 bits). */
    public long addressHi() {
        return hi;
    }

    /** Address bits 64..127 (0 for IPv4). */
    public long addressLo() {
        return lo;
    }

    /** The IPv4 address as a big-endian int (meaningless for IPv6). */
    public int addressV4() {
        return (int) (hi >>> 32);
    }

    /** UDP port. */
    public int port() {
        return port;
    }

    /** Whether a local source is cached. */
    public boolean hasSource() {
        return hasSource;
    }

    /** Cached local source bits 0..63. */
    public long sourceHi() {
        return srcHi;
    }

    /** Cached local source bits 64..127. */
    public long sourceLo() {
        return srcLo;
    }

    /** Cached local interface index (0 = any). */
    public int sourceIfIndex() {
        return srcIfIndex;
    }

    /**
     * Writes the bytes a cookie is computed over, address then port in network order (as the kernel),
     * into {@code out} at {@code off}.
     *
     * @return bytes written: 6 (IPv4) or 18 (IPv6)
     */
    public int writeAddressAndPort(final byte[] out, final int off) {
        int p = off;
        final int addrBytes = v6 ? 16 : 4;
        for (int i = 0; i < addrBytes; i++) {
            out[p++] = (byte) (i < 8 ? hi >>> (56 - 8 * i) : lo >>> (56 - 8 * (i - 8)));
        }
        out[p++] = (byte) (port >>> 8);
        out[p++] = (byte) port;
        return p - off;
    }

    /** The remote address as a socket address (allocates; for configuration and display). */
    public InetSocketAddress toInetSocketAddress() {
        final byte[] b = new byte[v6 ? 16 : 4];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i < 8 ? hi >>> (56 - 8 * i) : lo >>> (56 - 8 * (i - 8)));
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(b), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code a.b.c.d:port} or {@code [v6]:port}, as UAPI prints endpoints. */
    @Override
    public String toString() {
        final InetSocketAddress a = toInetSocketAddress();
        final String host = a.getAddress().getHostAddress();
        return v6 ? "[" + host + "]:" + port : host + ":" + port;
    }

    private void checkMutable() {
        if (frozen) {
            throw new IllegalStateException("frozen endpoint");
        }
    }

    private static void checkPort(final int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port);
        }
    }

    private static long readLong(final byte[] b, final int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
