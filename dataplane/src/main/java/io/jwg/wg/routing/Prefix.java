package io.jwg.wg.routing;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix with its host bits cleared (the constructor masks them, as the kernel's
 * {@code copy_and_assign_cidr} does). The address is held as a 128-bit value {@code hi:lo}, most
 * significant bit first; an IPv4 address occupies the top 32 bits of {@code hi}.
 *
 * @param v6     true for IPv6
 * @param hi     address bits 0..63
 * @param lo     address bits 64..127 (always 0 for IPv4)
 * @param length prefix length, 0..32 (IPv4) or 0..128 (IPv6)
 */
public record Prefix(boolean v6, long hi, long lo, int length) {

    /** Validates the length and masks the host bits. */
    public Prefix {
        final int max = v6 ? 128 : 32;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0.." + max);
        }
        if (!v6) {
            hi &= 0xFFFF_FFFF_0000_0000L;
            lo = 0;
        }
        hi &= maskHi(length);
        lo &= maskLo(length);
    }

    /** An IPv4 prefix from a big-endian address int. */
    public static Prefix v4(final int address, final int length) {
        return new Prefix(false, (address & 0xFFFF_FFFFL) << 32, 0, length);
    }

    /** An IPv6 prefix from the two big-endian halves of the address. */
    public static Prefix v6(final long hi, final long lo, final int length) {
        return new Prefix(true, hi, lo, length);
    }

    /** A prefix of {@code address}. */
    public static Prefix of(final InetAddress address, final int length) {
        final byte[] b = address.getAddress();
        return fromBytes(b, length);
    }

    /** A prefix from 4 or 16 address bytes (network order). */
    public static Prefix fromBytes(final byte[] b, final int length) {
        if (b.length == 4) {
            return v4(((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF), length);
        }
        if (b.length == 16) {
            return v6(readLong(b, 0), readLong(b, 8), length);
        }
        throw new IllegalArgumentException("address must have 4 or 16 bytes, not " + b.length);
    }

    /**
     * Parses {@code addr/len} (numeric IPv4 or IPv6; no name lookup). A missing {@code /len} means a
     * host prefix.
     *
     * @throws IllegalArgumentException on malformed input
     */
    public static Prefix parse(final String text) {
        final int slash = text.indexOf('/');
        final String addr = slash < 0 ? text : text.substring(0, slash);
        if (addr.isEmpty() || !(addr.indexOf(':') >= 0 || addr.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not a numeric IP address: " + text);
        }
        final InetAddress ia;
        try {
            ia = InetAddress.getByName(addr);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a numeric IP address: " + text, e);
        }
        final int max = ia instanceof Inet4Address ? 32 : 128;
        final int len;
        if (slash < 0) {
            len = max;
        } else {
            try {
                len = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length: " + text, e);
            }
        }
        return of(ia, len);
    }

    /** The network address bytes (4 or 16). */
    public byte[] addressBytes() {
        final byte[] b = new byte[v6 ? 16 : 4];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i < 8 ? hi >>> (56 - 8 * i) : lo >>> (56 - 8 * (i - 8)));
        }
        return b;
    }

    /** The network address. */
    public InetAddress address() {
        try {
            return InetAddress.getByAddress(addressBytes());
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether the 128-bit address {@code aHi:aLo} of the same family lies inside this prefix. */
    public boolean contains(final long aHi, final long aLo) {
        return ((aHi ^ hi) & maskHi(length)) == 0 && ((aLo ^ lo) & maskLo(length)) == 0;
    }

    /** {@code addr/len} with the canonical textual address form. */
    @Override
    public String toString() {
        final InetAddress a = address();
        final String s = a instanceof Inet6Address ? compressV6(a.getHostAddress()) : a.getHostAddress();
        return s + "/" + length;
    }

    static long maskHi(final int length) {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    static long maskLo(final int length) {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }

    private static long readLong(final byte[] b, final int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    /** Shortens Java's full IPv6 form (1:0:0:0:0:0:0:1) to RFC 5952 style (1::1). */
    private static String compressV6(final String full) {
        final String[] g = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < g.length; ) {
            if (g[i].equals("0")) {
                int j = i;
                while (j < g.length && g[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bestStart; i++) {
            sb.append(i == 0 ? "" : ":").append(g[i]);
        }
        sb.append("::");
        for (int i = bestStart + bestLen; i < g.length; i++) {
            sb.append(i == bestStart + bestLen ? "" : ":").append(g[i]);
        }
        return sb.toString();
    }
}
