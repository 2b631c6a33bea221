package io.jwg.wg.device;

import io.jwg.bindings.io.PacketPool;

/**
 * The tunnel device as the pipeline sees it: opened once by the device owner, then one
 * {@link TunBatchIo} handle per thread that reads or writes. Implementations: the kernel TUN
 * through bindings, and {@link ChannelTun} for in-memory tests and benchmarks.
 */
public interface Tun extends AutoCloseable {
    /**
     * A new owner-thread handle over {@code pool}: reads take slots from it, writes send bytes from its
     * slab (a writer needs one handle per pool it writes from).
     */
    TunBatchIo open(PacketPool pool, int maxBatch);

    /** Interface MTU (inner packet bytes). */
    int mtu();

    /** Interface name. */
    String name();

    /** Closes the device; handles then fail with {@code -EBADF}. */
    @Override
    void close();
}
