package io.jwg.wg.device;

import io.jwg.bindings.io.PacketBatch;
import io.jwg.bindings.io.PacketPool;
import io.jwg.bindings.io.SyscallTunIo;
import io.jwg.bindings.io.TunDevice;
import io.jwg.bindings.io.TunIo;
import io.jwg.bindings.io.UringTunIo;
import io.jwg.bindings.libc.NativeIoException;
import io.jwg.bindings.uring.Uring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel TUN interface as a {@link Tun}: one {@link TunDevice} (IFF_TUN | IFF_NO_PI, no vnet
 * header), one bindings {@link TunIo} per handle - io_uring ({@link UringTunIo}) when available and
 * not disabled with {@code -Djwg.io=syscall}, else {@link SyscallTunIo}. Opened and closed by the
 * device owner; handles are per thread.
 */
public final class KernelTun implements Tun {
    /** Reads kept in flight by an io_uring reader. */
    static final int URING_READ_DEPTH = 64;

    private final TunDevice device;
    private final boolean uring;

    private KernelTun(final TunDevice device, final boolean uring) {
        this.device = device;
        this.uring = uring;
    }

    /** Creates (or attaches to) TUN interface {@code name}. */
    public static KernelTun create(final String name) throws NativeIoException {
        final boolean uring = !"syscall".equals(System.getProperty("jwg.io")) && Uring.isAvailable();
        try {
            return new KernelTun(TunDevice.open(name, false, 0, false), uring);
        } catch (NativeIoException e) {
            // Report it as wireguard-go (and the launcher's users) expect: "TUNSETIFF NAME: EBUSY ...".
            if (e.getMessage() != null && e.getMessage().startsWith("ioctl TUNSETIFF")) {
                throw new NativeIoException("TUNSETIFF " + name, e.errno());
            }
            throw e;
        }
    }

    @Override
    public TunBatchIo open(final PacketPool pool, final int maxBatch) {
        final TunIo io;
        if (uring) {
            try {
                io = new UringTunIo(device, pool, TunBatchIo.HEADROOM, URING_READ_DEPTH, maxBatch);
            } catch (NativeIoException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            io = new SyscallTunIo(device, pool, TunBatchIo.HEADROOM);
        }
        return new Handle(io);
    }

    /** Whether handles use io_uring. */
    public boolean usesUring() {
        return uring;
    }

    /**
     * The interface MTU as the kernel reports it ({@code /sys/class/net/NAME/mtu}), or -1 if it cannot
     * be read; {@code wg-quick} sets it after the device starts, so the device polls it.
     */
    public int currentMtu() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net", device.name(), "mtu")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public int mtu() {
        final int m = currentMtu();
        return m > 0 ? m : io.jwg.wg.protocol.ImplementationLimits.DEFAULT_MTU;
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public void close() {
        device.close();
    }

    /** Adapts one bindings {@link TunIo}. */
    private static final class Handle implements TunBatchIo {
        private final TunIo io;

        Handle(final TunIo io) {
            this.io = io;
        }

        @Override
        public int read(final PacketBatch batch, final long timeoutNs) {
            return io.read(batch, timeoutNs);
        }

        @Override
        public int write(final PacketBatch batch) {
            return io.write(batch);
        }

        @Override
        public void close() {
            io.close();
        }
    }
}
