package io.jwg.wg.device;

import io.jwg.bindings.io.PacketPool;
import io.jwg.bindings.io.UdpBatchIo;

/**
 * The UDP side as the pipeline sees it (wireguard-go's {@code conn.Bind}): one socket per address
 * family bound to one port, opened by the device owner; then one {@link UdpBatchIo} handle per
 * thread per family (receivers, every crypto worker's sender, the handshake worker). Implementations:
 * real sockets through bindings ({@code MmsgUdpIo}/{@code UringUdpIo}) and {@link ChannelBind} for
 * in-memory tests.
 */
public interface Bind extends AutoCloseable {
    /** Whether a socket of this family is open. */
    boolean hasFamily(boolean v6);

    /**
     * A new owner-thread handle on the socket of one family; receive slots come from {@code pool},
     * and sends read their bytes from {@code pool}'s slab.
     */
    UdpBatchIo open(boolean v6, PacketPool pool, int maxBatch);

    /**
     * Sets the fwmark (SO_MARK; 0 clears it) of the open sockets in place, so a mark change needs no
     * rebind of a port the device itself holds; configuration thread.
     *
     * @return false if the kernel refused (nothing changed)
     */
    boolean setMark(int fwmark);

    /** The bound UDP port. */
    int port();

    /** Closes the sockets; handles then fail with {@code -EBADF}. */
    @Override
    void close();
}
