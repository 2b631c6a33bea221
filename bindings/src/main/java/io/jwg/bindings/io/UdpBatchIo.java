package io.jwg.bindings.io;

/**
 * One receiving thread and one sending thread: batched UDP receive and send over one {@link UdpSocket}, many
 * datagrams per system call. {@link #receive} is only ever called by one thread and {@link #send} by one
 * thread (the same or another); the receive and send sides share no mutable state. The counters are
 * written by their side's thread (read them elsewhere only as approximate values); {@link #close()} runs
 * after both threads stopped, preferably on the receiving thread. Implementations: {@link MmsgUdpIo}
 * (recvmmsg/sendmmsg, always available) and {@link UringUdpIo} (io_uring, when {@code Uring.isAvailable()}).
 * <p>Results are codes, never exceptions: a count {@code >= 0} or {@code -errno} (see
 * {@link io.jwg.bindings.libc.Errno}). Datagrams longer than a pool slot are kept truncated, flagged
 * {@link DatagramBatch#FLAG_TRUNCATED} and counted. Receive buffers come from the batch's pool, which
 * must be the pool the instance was built with; while posted to the kernel they belong to the instance,
 * then to the batch.
 */
public interface UdpBatchIo extends AutoCloseable {

    /**
     * Appends received datagrams to {@code batch} (up to its free capacity), waiting at most
     * {@code timeoutNs} for the first one (0 = do not wait).
     *
     * @return datagrams appended ({@code > 0}); {@code -EAGAIN} if none arrived in time; {@code -ENOBUFS}
     *     if the pool had no slot to receive into; {@code -EBADF} once the socket is closed; other
     *     {@code -errno} from the kernel
     */
    int receive(DatagramBatch batch, long timeoutNs);

    /**
     * Sends entries {@code [0, batch.count())} to their remote addresses, from their local address when set
     * and split at their segment size when set (UDP GSO). Does not wait for socket buffer space. Each
     * entry's {@link DatagramBatch#result(int)} is its byte count or {@code -errno} ({@code -EAGAIN} for
     * entries not attempted after the socket buffer filled). The batch keeps its slots.
     *
     * @return entries sent ({@code >= 0}) if any was sent or the batch is empty, else the first
     *     entry's {@code -errno}
     */
    int send(DatagramBatch batch);

    /** {@return the socket this instance does I/O on} */
    UdpSocket socket();

    /** {@return datagrams (or GRO buffers) received since construction} */
    long receivedDatagrams();

    /** {@return datagrams received truncated (MSG_TRUNC) since construction} */
    long truncatedDatagrams();

    /** {@return entries sent successfully since construction} */
    long sentDatagrams();

    /** Returns every posted slot to the pool and frees native memory; the socket stays open. Idempotent. */
    @Override
    void close();
}
