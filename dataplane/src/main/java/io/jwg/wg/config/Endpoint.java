package io.jwg.wg.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable numeric UDP endpoint: IPv4 or IPv6 address, optional IPv6 zone (scope), port.
 * Text form is the UAPI one, parsed like Go's {@code netip.ParseAddrPort} (what wireguard-go's
 * {@code ParseEndpoint} uses): {@code a.b.c.d:port}, {@code [v6]:port} or {@code [v6%zone]:port};
 * brackets are required for IPv6 and forbidden for IPv4; the port is decimal 0..65535. Names are
 * never resolved ({@code wg(8)} resolves them before it talks to the socket).
 */
public final class Endpoint {

    private final byte[] address;
    private final String zone;
    private final int port;

    private Endpoint(final byte[] address, final String zone, final int port) {
        this.address = address;
        this.zone = zone;
        this.port = port;
    }

    /** An endpoint over a copy of {@code address} (4 or 16 bytes); {@code zone} only for IPv6, may be null. */
    public static Endpoint of(final byte[] address, final String zone, final int port) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + address.length);
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (zone != null && (address.length != 16 || zone.isEmpty())) {
            throw new IllegalArgumentException("a zone needs an IPv6 address and a non-empty name");
        }
        return new Endpoint(address.clone(), zone, port);
    }

    /** The endpoint of a resolved socket address (e.g. the source of a received packet). */
    public static Endpoint of(final InetSocketAddress socketAddress) {
        final InetAddress a = socketAddress.getAddress();
        if (a == null) {
            throw new IllegalArgumentException("unresolved socket address: " + socketAddress);
        }
        String zone = null;
        if (a instanceof Inet6Address v6) {
            if (v6.getScopedInterface() != null) {
                zone = v6.getScopedInterface().getName();
            } else if (v6.getScopeId() != 0) {
                zone = zoneName(v6.getScopeId());
            }
        }
        return of(a.getAddress(), zone, socketAddress.getPort());
    }

    /** The interface name for a scope id (as Go prints zones), or the number if no interface has it. */
    private static String zoneName(final int scopeId) {
        try {
            final NetworkInterface nif = NetworkInterface.getByIndex(scopeId);
            if (nif != null) {
                return nif.getName();
            }
        } catch (final SocketException e) {
            // fall through to the number
        }
        return Integer.toString(scopeId);
    }

    /** Parses {@code ip:port} / {@code [ip6]:port} / {@code [ip6%zone]:port}; {@code null} if malformed. */
    public static Endpoint parse(final CharSequence text) {
        if (text == null) {
            return null;
        }
        final int n = text.length();
        int colon = -1;
        for (int i = n - 1; i >= 0; i--) {
            if (text.charAt(i) == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            return null;
        }
        final long port = IpText.parseUnsigned(text, colon + 1, n, 0xffff);
        if (port < 0) {
            return null;
        }
        final boolean bracketed = n > 0 && text.charAt(0) == '[';
        if (bracketed) {
            if (colon < 2 || text.charAt(colon - 1) != ']') {
                return null;
            }
            final int hostEnd = colon - 1;
            int percent = -1;
            for (int i = 1; i < hostEnd; i++) {
                if (text.charAt(i) == '%') {
                    percent = i;
                    break;
                }
            }
            final int addrEnd = percent < 0 ? hostEnd : percent;
            final byte[] addr = IpText.parseIpv6(text, 1, addrEnd);
            if (addr == null) {
                return null;
            }
            String zone = null;
            if (percent >= 0) {
                if (percent + 1 >= hostEnd) {
                    return null;
                }
                zone = text.subSequence(percent + 1, hostEnd).toString();
            }
            return new Endpoint(addr, zone, (int) port);
        }
        final byte[] addr = IpText.parseIpv4(text, 0, colon);
        return addr == null ? null : new Endpoint(addr, null, (int) port);
    }

    /** True for an IPv4 endpoint (4-byte address). */
    public boolean isIpv4() {
        return address.length == 4;
    }

    /** A copy of the 4 or 16 address bytes. */
    public byte[] address() {
        return address.clone();
    }

    /** The IPv6 zone (interface name or number), or {@code null}. */
    public String zone() {
        return zone;
    }

    /** The UDP port. */
    public int port() {
        return port;
    }

    /**
     * The JDK socket address for this endpoint, built without any name lookup. A zone that names
     * no interface (and is not a number) makes this throw {@link UnknownHostException}.
     */
    public InetSocketAddress toSocketAddress() throws UnknownHostException {
        final InetAddress a;
        if (address.length == 4) {
            a = Inet4Address.getByAddress(address);
        } else if (zone == null) {
            a = Inet6Address.getByAddress(null, address, -1);
        } else {
            a = scoped();
        }
        return new InetSocketAddress(a, port);
    }

    private InetAddress scoped() throws UnknownHostException {
        try {
            final NetworkInterface nif = NetworkInterface.getByName(zone);
            if (nif != null) {
                return Inet6Address.getByAddress(null, address, nif.getIndex());
            }
        } catch (final SocketException e) {
            throw new UnknownHostException("zone " + zone + ": " + e.getMessage());
        }
        final long id = IpText.parseUnsigned(zone, 0, zone.length(), Integer.MAX_VALUE);
        if (id < 0) {
            throw new UnknownHostException("no interface for zone " + zone);
        }
        return Inet6Address.getByAddress(null, address, (int) id);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Endpoint e && e.port == port && Arrays.equals(e.address, address)
            && Objects.equals(e.zone, zone);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(address) * 31 + Objects.hashCode(zone)) * 31 + port;
    }

    /** The UAPI text form, as Go's {@code netip.AddrPort.String}: {@code 192.0.2.1:51820}, {@code [2001:db8::1]:51820}. */
    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder(56);
        if (address.length == 4) {
            IpText.appendTo(sb, address);
        } else {
            sb.append('[');
            IpText.appendTo(sb, address);
            if (zone != null) {
                sb.append('%').append(zone);
            }
            sb.append(']');
        }
        return sb.append(':').append(port).toString();
    }
}
