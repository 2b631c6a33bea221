package io.jwg.wg.uapi;

/**
 * The Linux errno values the UAPI protocol uses, positive as in {@code errno.h}. On the wire a
 * failed operation answers {@code errno=-N} (wireguard-go's convention, which {@code wg(8)}
 * negates back; protocol.md §1.15).
 *
 * <p>Which error for which failure (wireguard-go's choices, {@code ipc/uapi_unix.go} and
 * {@code device/uapi.go}, where the spec is silent):
 * <ul>
 *   <li>{@link #EPROTO}: a set line without {@code '='};</li>
 *   <li>{@link #EINVAL}: an unknown key, a bad value, a device key after the first
 *       {@code public_key}, a trailing byte after {@code get=1};</li>
 *   <li>{@link #EADDRINUSE}: the device could not bind the listen port or set the fwmark;</li>
 *   <li>{@link #EIO}: a set line longer than {@link UapiLimits#MAX_LINE_BYTES} (wireguard-go's
 *       line scanner fails with an I/O error there);</li>
 *   <li>{@link #ENOANO} (55): an unexpected internal failure (wireguard-go's "unknown").</li>
 * </ul>
 * jwg adds {@link #EMSGSIZE} for a set request larger than {@link UapiLimits#maxRequestBytes()},
 * a bound wireguard-go does not have.
 */
public final class UapiErrno {

    /** I/O error. */
    public static final int EIO = 5;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** No anode: wireguard-go's "unknown error". */
    public static final int ENOANO = 55;
    /** Protocol error. */
    public static final int EPROTO = 71;
    /** Message too long. */
    public static final int EMSGSIZE = 90;
    /** Address already in use. */
    public static final int EADDRINUSE = 98;

    private UapiErrno() {
    }
}
