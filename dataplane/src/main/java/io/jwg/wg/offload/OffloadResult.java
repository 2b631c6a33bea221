package io.jwg.wg.offload;

/**
 * Why a packet read from the TUN could not be segmented or checksummed: the negative codes returned by
 * {@link GsoSplitter} (a non-negative result is a segment count). Methods return the plain {@code int}
 * (no allocation); this enum names the codes for counters and messages. Every code means "drop and count";
 * none is a programmer error.
 */
public enum OffloadResult {

    /** gso_type is not NONE, TCPV4, TCPV6 or UDP_L4 (legacy UFO, unknown bits). */
    UNSUPPORTED_GSO_TYPE(-1),
    /** gso_type asks for segmentation but gso_size is 0. */
    ZERO_GSO_SIZE(-2),
    /** IP version nibble is not 4 or 6, or does not match the gso_type (TCPV4 on IPv6...). */
    BAD_IP_VERSION(-3),
    /** The packet is shorter than its IP or L4 header. */
    TRUNCATED(-4),
    /** The IPv4 total length / IPv6 payload length disagrees with the packet length. */
    BAD_IP_LENGTH(-5),
    /** GSO without NEEDS_CSUM, or csum_start / csum_offset not at the L4 header's checksum field. */
    BAD_CHECKSUM_OFFSETS(-6),
    /** IP protocol does not match the gso_type, or the TCP data offset is out of range. */
    BAD_L4_HEADER(-7),
    /** An IPv4 fragment or an IPv6 packet with extension headers: not segmented here. */
    UNSUPPORTED_IP(-8),
    /** A GSO packet without payload bytes. */
    EMPTY_PAYLOAD(-9),
    /** A segment (headers + gso_size) is larger than the caller's slot. */
    SEGMENT_TOO_LARGE(-10),
    /** The packet splits into more segments than the caller offered slots. */
    TOO_MANY_SEGMENTS(-11);

    private static final OffloadResult[] BY_CODE = values();

    private final int code;

    OffloadResult(final int code) {
        this.code = code;
    }

    /** {@return the negative code methods return} */
    public int code() {
        return code;
    }

    /** {@return the result for a negative {@code code}; a programmer error for anything else} */
    public static OffloadResult of(final int code) {
        final int i = -code - 1;
        if (i < 0 || i >= BY_CODE.length) {
            throw new IllegalArgumentException("not an offload result code: " + code);
        }
        return BY_CODE[i];
    }
}
