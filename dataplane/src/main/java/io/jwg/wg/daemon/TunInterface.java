package io.jwg.wg.daemon;

import io.jwg.bindings.libc.Errno;
import io.jwg.bindings.libc.NativeIoException;
import io.jwg.bindings.libc.ifreq;
import io.jwg.bindings.libc.libc_h;
import io.jwg.bindings.tun.if_tun_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TUN interface created and held open by the daemon ({@code open /dev/net/tun} +
 * {@code TUNSETIFF} with {@code IFF_TUN | IFF_NO_PI}, as wireguard-go's {@code CreateTUN}); the
 * interface lives while the descriptor is open. Used so that {@code wg-quick} can address, bring
 * up and route the interface; this class moves no packets (the dataplane's TUN I/O will take the
 * descriptor over). Owned by one thread; {@link #close} is idempotent.
 */
public final class TunInterface implements AutoCloseable {

    private static final String DEVICE = "/dev/net/tun";

    private final String name;
    private int fd;

    private TunInterface(final String name, final int fd) {
        this.name = name;
        this.fd = fd;
    }

    /**
     * Creates (or attaches to an existing, unused, persistent) TUN interface {@code name}.
     *
     * @throws NativeIoException with the failing call and errno (e.g. EPERM without CAP_NET_ADMIN,
     *     EBUSY if the name is taken by another kind of interface)
     */
    public static TunInterface create(final String name) throws NativeIoException {
        final byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
        if (raw.length == 0 || raw.length >= libc_h.IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must be 1.." + (libc_h.IFNAMSIZ - 1) + " bytes: " + name);
        }
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment err = Errno.allocateState(a);
            final int fd = libc_h.open(err, a.allocateFrom(DEVICE), libc_h.O_RDWR | libc_h.O_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeIoException("open " + DEVICE, Errno.get(err));
            }
            final MemorySegment req = ifreq.allocate(a);
            MemorySegment.copy(raw, 0, req, java.lang.foreign.ValueLayout.JAVA_BYTE, ifreq.ifr_name$OFFSET, raw.length);
            ifreq.ifr_flags(req, (short) (if_tun_h.IFF_TUN | if_tun_h.IFF_NO_PI));
            if (libc_h.ioctl(err, fd, if_tun_h.TUNSETIFF, req) < 0) {
                final int e = Errno.get(err);
                libc_h.close(err, fd);
                throw new NativeIoException("TUNSETIFF " + name, e);
            }
            return new TunInterface(name, fd);
        }
    }

    /** The interface name. */
    public String name() {
        return name;
    }

    /** The open {@code /dev/net/tun} descriptor, or -1 once closed. */
    public int fd() {
        return fd;
    }

    /** Closes the descriptor, which removes a non-persistent interface. */
    @Override
    public void close() {
        if (fd >= 0) {
            try (Arena a = Arena.ofConfined()) {
                libc_h.close(Errno.allocateState(a), fd);
            }
            fd = -1;
        }
    }
}
