package io.jwg.wg.uapi;

/**
 * Input bounds of the UAPI server, so no client can make it allocate without limit.
 * {@link #MAX_LINE_BYTES} is wireguard-go's line limit (Go's {@code bufio.MaxScanTokenSize});
 * the request bound is jwg's own and can be raised with {@value #MAX_REQUEST_BYTES_PROP}.
 */
public final class UapiLimits {

    /** Longest accepted line of a set request, in bytes, excluding the newline. */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** Longest accepted operation line ({@code get=1} / {@code set=1}); anything longer is invalid. */
    public static final int MAX_OPERATION_LINE_BYTES = 64;
    /** System property overriding {@link #maxRequestBytes()}. */
    public static final String MAX_REQUEST_BYTES_PROP = "jwg.uapi.maxRequestBytes";
    /** Default bound on the bytes of one set request: 32 MiB, about 10^5 peers with a few prefixes each. */
    public static final long MAX_REQUEST_BYTES_DEFAULT = 32L * 1024 * 1024;
    /** System property overriding {@link #maxConnections()}. */
    public static final String MAX_CONNECTIONS_PROP = "jwg.uapi.maxConnections";
    /** Default number of connections served at once; further clients wait in the listen backlog. */
    public static final int MAX_CONNECTIONS_DEFAULT = 16;

    private UapiLimits() {
    }

    /** The bound on one set request's bytes (property {@value #MAX_REQUEST_BYTES_PROP}). */
    public static long maxRequestBytes() {
        return Long.getLong(MAX_REQUEST_BYTES_PROP, MAX_REQUEST_BYTES_DEFAULT);
    }

    /** The number of connections served at once (property {@value #MAX_CONNECTIONS_PROP}). */
    public static int maxConnections() {
        return Integer.getInteger(MAX_CONNECTIONS_PROP, MAX_CONNECTIONS_DEFAULT);
    }
}
