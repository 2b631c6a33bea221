package io.jwg.wg.rx;

import io.jwg.wg.pipeline.Doorbell;
import io.jwg.wg.pipeline.ManyToManyArrayQueue;

/**
 * Bounded queue of handshake messages between the UDP receivers (many producers) and the
 * handshake worker (consumer), kept apart from the data path so a flood of initiations can only
 * fill this queue, never delay transport data. Its depth is the "under load" signal (protocol.md
 * 1.5): above a threshold the worker demands cookies.
 *
 * <p>Preallocated jobs circulate through two lock-free queues (free and ready); a full queue means
 * no free job, and the message is dropped and counted by the receiver.
 */
public final class HandshakeQueue {
    private final ManyToManyArrayQueue<HandshakeJob> free;
    private final ManyToManyArrayQueue<HandshakeJob> ready;
    private final Doorbell doorbell;
    private final int capacity;

    /** Creates a queue of {@code capacity} jobs whose consumer sleeps on {@code doorbell}. */
    public HandshakeQueue(final int capacity, final Doorbell doorbell) {
        this.capacity = capacity;
        this.free = new ManyToManyArrayQueue<>(capacity);
        this.ready = new ManyToManyArrayQueue<>(capacity);
        this.doorbell = doorbell;
        for (int i = 0; i < capacity; i++) {
            free.offer(new HandshakeJob());
        }
    }

    /** A free job to fill, or null when the queue is full; producers. */
    public HandshakeJob claim() {
        return free.poll();
    }

    /** Queues a filled job and wakes the worker; producers. */
    public void publish(final HandshakeJob job) {
        if (!ready.offer(job)) {
            throw new IllegalStateException("job published twice");
        }
        doorbell.ring(1);
    }

    /** Next job, or null; consumer only. */
    public HandshakeJob poll() {
        return ready.poll();
    }

    /** Returns a processed job; consumer only. */
    public void recycle(final HandshakeJob job) {
        free.offer(job);
    }

    /** Jobs waiting (racy): the under-load signal. */
    public int depth() {
        return ready.size();
    }

    /** Whether jobs are waiting (racy). */
    public boolean hasWork() {
        return !ready.isEmpty();
    }

    /** Jobs in total. */
    public int capacity() {
        return capacity;
    }

    /** The doorbell the consumer sleeps on. */
    public Doorbell doorbell() {
        return doorbell;
    }
}
