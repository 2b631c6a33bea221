package io.jwg.wg.config;

/**
 * Numeric IP address text codecs with the exact rules of Go's {@code net/netip} (what wireguard-go
 * accepts and prints on the UAPI socket). Never resolves names; never throws on bad input.
 *
 * <ul>
 *   <li>IPv4: four dot-separated decimal fields 0..255, no leading zeros ({@code "01"} is
 *       rejected), nothing else.</li>
 *   <li>IPv6: up to eight groups of 1..4 hex digits (either case), at most one {@code "::"} which
 *       must stand for at least one zero group, an optional dotted IPv4 tail in the last 32 bits.</li>
 *   <li>Printing: IPv4 dotted decimal; IPv6 per RFC 5952 (lowercase, no leading zeros, the first
 *       longest run of two or more zero groups as {@code "::"}), IPv4-mapped addresses as
 *       {@code ::ffff:a.b.c.d}.</li>
 * </ul>
 */
public final class IpText {

    private IpText() {
    }

    /** Parses an IPv4 or IPv6 address (no zone, no brackets) into 4 or 16 bytes; {@code null} if invalid. */
    public static byte[] parseAddress(final CharSequence s, final int from, final int to) {
        for (int i = from; i < to; i++) {
            final char c = s.charAt(i);
            if (c == ':') {
                return parseIpv6(s, from, to);
            }
            if (c == '.') {
                return parseIpv4(s, from, to);
            }
        }
        return null;
    }

    /** Parses dotted-quad IPv4 in {@code s[from, to)}; {@code null} if invalid. */
    public static byte[] parseIpv4(final CharSequence s, final int from, final int to) {
        final byte[] out = new byte[4];
        int field = 0;
        int i = from;
        while (true) {
            final int start = i;
            int value = 0;
            while (i < to && i - start < 4) {
                final char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                i++;
            }
            final int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return null;
            }
            out[field++] = (byte) value;
            if (field == 4) {
                return i == to ? out : null;
            }
            if (i >= to || s.charAt(i) != '.') {
                return null;
            }
            i++;
        }
    }

    /** Parses IPv6 text (without zone or brackets) in {@code s[from, to)}; {@code null} if invalid. */
    public static byte[] parseIpv6(final CharSequence s, final int from, final int to) {
        final byte[] out = new byte[16];
        int pos = 0;
        int ellipsis = -1;
        int i = from;
        if (to - i >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
            ellipsis = 0;
            i += 2;
        }
        while (i < to && pos < 16) {
            final int start = i;
            int value = 0;
            while (i < to && i - start < 5) {
                final int d = hexDigit(s.charAt(i));
                if (d < 0) {
                    break;
                }
                value = (value << 4) | d;
                i++;
            }
            final int digits = i - start;
            if (digits == 0) {
                return null;
            }
            if (i < to && s.charAt(i) == '.') {
                // Dotted IPv4 tail: only as the last 32 bits.
                if (pos > 12) {
                    return null;
                }
                final byte[] v4 = parseIpv4(s, start, to);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, pos, 4);
                pos += 4;
                i = to;
                break;
            }
            if (digits > 4) {
                return null;
            }
            out[pos] = (byte) (value >>> 8);
            out[pos + 1] = (byte) value;
            pos += 2;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (ellipsis >= 0) {
                    return null;
                }
                ellipsis = pos;
                i++;
            } else if (i == to) {
                return null;
            }
        }
        if (i != to) {
            return null;
        }
        if (pos < 16) {
            if (ellipsis < 0) {
                return null;
            }
            final int tail = pos - ellipsis;
            System.arraycopy(out, ellipsis, out, 16 - tail, tail);
            java.util.Arrays.fill(out, ellipsis, 16 - tail, (byte) 0);
        } else if (ellipsis >= 0) {
            return null;
        }
        return out;
    }

    /** Prints 4 or 16 address bytes the way Go's {@code netip.Addr.String} does. */
    public static String format(final byte[] address) {
        final StringBuilder sb = new StringBuilder(40);
        appendTo(sb, address);
        return sb.toString();
    }

    /** Appends the Go-style text of 4 or 16 address bytes to {@code sb}. */
    public static void appendTo(final StringBuilder sb, final byte[] address) {
        if (address.length == 4) {
            appendIpv4(sb, address, 0);
            return;
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + address.length);
        }
        if (isIpv4Mapped(address)) {
            sb.append("::ffff:");
            appendIpv4(sb, address, 12);
            return;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int g = 0; g < 8; ) {
            int end = g;
            while (end < 8 && group(address, end) == 0) {
                end++;
            }
            if (end - g > bestLen) {
                bestStart = g;
                bestLen = end - g;
            }
            g = end == g ? g + 1 : end;
        }
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                sb.append("::");
                g += bestLen - 1;
                continue;
            }
            if (g > 0 && g != bestStart + bestLen) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(address, g)));
        }
    }

    /** True for {@code ::ffff:0:0/96} addresses. */
    public static boolean isIpv4Mapped(final byte[] address) {
        if (address.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    private static void appendIpv4(final StringBuilder sb, final byte[] a, final int off) {
        sb.append(a[off] & 0xff).append('.').append(a[off + 1] & 0xff).append('.')
            .append(a[off + 2] & 0xff).append('.').append(a[off + 3] & 0xff);
    }

    private static int group(final byte[] a, final int g) {
        return (a[2 * g] & 0xff) << 8 | (a[2 * g + 1] & 0xff);
    }

    private static int hexDigit(final char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Parses an unsigned decimal (digits only, leading zeros allowed) up to {@code max}; -1 if invalid. */
    public static long parseUnsigned(final CharSequence s, final int from, final int to, final long max) {
        if (from >= to) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            final char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
            if (v > max) {
                return -1;
            }
        }
        return v;
    }
}
