package io.jwg.wg.device;

import io.jwg.bindings.io.PacketBatch;

/**
 * Owner thread only: batched reads and writes of whole IP packets on the tunnel side, one handle per
 * thread (the TUN reader reads with its own handle, every crypto worker writes with its own, one per
 * packet pool it writes from). The shape of bindings' {@link io.jwg.bindings.io.TunIo}, which the
 * kernel implementation wraps; offsets of written batches are relative to the slab of the pool the
 * handle was opened with.
 *
 * <p>Headroom contract: {@link #read} places packet {@code i} at {@code batch.offset(i)} with at
 * least {@link #HEADROOM} bytes of the same slot before it (room for the 16-byte transport header)
 * and at least {@link #TAILROOM} bytes after the packet's MTU-bounded length (padding and tag), so
 * the packet is sealed in place without a copy. Results are codes, never exceptions.
 */
public interface TunBatchIo extends AutoCloseable {
    /** Bytes reserved before each read packet. */
    int HEADROOM = 16;
    /** Bytes reserved after each read packet (padding to 16 plus the 16-byte tag). */
    int TAILROOM = 32;

    /**
     * Appends packets read from the TUN to {@code batch} (slots from the batch's pool), waiting at most
     * {@code timeoutNs} for the first (0 = do not wait).
     *
     * @return packets appended ({@code > 0}); {@code -EAGAIN} if none in time; {@code -ENOBUFS} if the
     *     pool had no free slot; {@code -EBADF} once closed; another {@code -errno}
     */
    int read(PacketBatch batch, long timeoutNs);

    /**
     * Writes entries {@code [0, batch.count())} as packets to the TUN; the batch keeps its slots.
     *
     * @return packets written ({@code >= 0}), or the first failure's {@code -errno} if none was
     */
    int write(PacketBatch batch);

    /** Releases what the handle holds; the device stays open. Idempotent. */
    @Override
    void close();
}
