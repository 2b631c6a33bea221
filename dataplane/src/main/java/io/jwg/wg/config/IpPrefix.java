package io.jwg.wg.config;

import java.util.Arrays;

/**
 * An immutable, normalized IP prefix ({@code address/bits}) as used by AllowedIPs: host bits are
 * always zero (masked on construction, as the kernel's {@code copy_and_assign_cidr} and
 * wireguard-go's {@code Insert} do), so two prefixes covering the same range are {@code equals}.
 * IPv4 prefixes hold 4 bytes, IPv6 prefixes 16 (IPv4-mapped IPv6 stays IPv6, as in Go's netip).
 */
public final class IpPrefix {

    private final byte[] address;
    private final int bits;

    private IpPrefix(final byte[] maskedAddress, final int bits) {
        this.address = maskedAddress;
        this.bits = bits;
    }

    /** A prefix over a copy of {@code address} (4 or 16 bytes) with its host bits cleared. */
    public static IpPrefix of(final byte[] address, final int bits) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + address.length);
        }
        if (bits < 0 || bits > address.length * 8) {
            throw new IllegalArgumentException("bits " + bits + " out of range for " + address.length + "-byte address");
        }
        final byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            final int keep = Math.min(8, Math.max(0, bits - 8 * i));
            masked[i] &= (byte) (0xff00 >>> keep);
        }
        return new IpPrefix(masked, bits);
    }

    /**
     * Parses {@code addr/bits} (numeric address, decimal bits, no zone) as Go's
     * {@code netip.ParsePrefix} does, then masks the host bits; {@code null} if malformed.
     */
    public static IpPrefix parse(final CharSequence text) {
        return text == null ? null : parse(text, 0, text.length());
    }

    /** Parses {@code text[from, to)}; see {@link #parse(CharSequence)}. */
    public static IpPrefix parse(final CharSequence text, final int from, final int to) {
        int slash = -1;
        for (int i = to - 1; i >= from; i--) {
            if (text.charAt(i) == '/') {
                slash = i;
                break;
            }
        }
        if (slash < 0) {
            return null;
        }
        final byte[] addr = IpText.parseAddress(text, from, slash);
        if (addr == null) {
            return null;
        }
        // Go rejects leading zeros in the length ("/024") since 1.22; so do we.
        if (to - slash > 2 && text.charAt(slash + 1) == '0') {
            return null;
        }
        final long bits = IpText.parseUnsigned(text, slash + 1, to, addr.length * 8L);
        return bits < 0 ? null : of(addr, (int) bits);
    }

    /** True for an IPv4 prefix (4-byte address). */
    public boolean isIpv4() {
        return address.length == 4;
    }

    /** The prefix length in bits. */
    public int bits() {
        return bits;
    }

    /** A copy of the (masked) network address, 4 or 16 bytes. */
    public byte[] address() {
        return address.clone();
    }

    /** True if {@code other} (same family) lies inside this prefix. */
    public boolean contains(final IpPrefix other) {
        if (other.address.length != address.length || other.bits < bits) {
            return false;
        }
        return of(other.address, bits).equals(this);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof IpPrefix p && p.bits == bits && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + bits;
    }

    /** {@code address/bits} in Go's netip text form, e.g. {@code 192.0.2.0/24}, {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder(48);
        IpText.appendTo(sb, address);
        return sb.append('/').append(bits).toString();
    }
}
