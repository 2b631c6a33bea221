package io.jwg.bindings.io;

/**
 * One reading thread and one writing thread: batched packet I/O on one {@link TunDevice} queue.
 * {@link #read} is only ever called by one thread and {@link #write} by one thread (the same or another);
 * {@link #close()} runs after both stopped, preferably on the reading thread. Implementations:
 * {@link SyscallTunIo} (readv(2)/writev(2), one packet per call, always available) and {@link UringTunIo}
 * (many reads in flight and all writes of a batch in one io_uring_enter).
 * <p>Read buffers come from the batch's pool (the pool the instance was built with); each packet is stored
 * {@link #headroom()} bytes (plus the vnet header) into its slot, leaving room to prepend a header in place.
 * Results are a count or {@code -errno}. A packet longer than the slot is kept truncated, flagged and counted
 * (a TUN read reports only the bytes copied, so truncation is detected from the IPv4/IPv6 length field).
 */
public interface TunIo extends AutoCloseable {

    /**
     * Appends packets read from the device to {@code batch}, waiting at most {@code timeoutNs} for the first
     * (0 = do not wait). {@return packets appended ({@code > 0}), {@code -EAGAIN} if none in time,
     * {@code -ENOBUFS} if the pool had no slot, {@code -EBADF} once the device is closed, or -errno}
     */
    int read(PacketBatch batch, long timeoutNs);

    /**
     * Writes entries {@code [0, batch.count())} to the device (each with the vnet header before it, on a
     * vnet-header device). Each entry's {@link PacketBatch#result(int)} is its byte count or {@code -errno}.
     * {@return entries written if any (or the batch is empty), else the first entry's {@code -errno}}
     */
    int write(PacketBatch batch);

    /** {@return the device queue} */
    TunDevice device();

    /** {@return bytes left free at the start of every read slot before the (vnet header and) packet} */
    int headroom();

    /** {@return packets read since construction} */
    long readPackets();

    /** {@return packets read truncated since construction} */
    long truncatedPackets();

    /** {@return packets written successfully since construction} */
    long writtenPackets();

    /** Returns every slot the instance holds to the pool; the device stays open. Idempotent. */
    @Override
    void close();
}
