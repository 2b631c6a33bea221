package io.jwg.wg.rx;

import io.jwg.wg.core.DeviceCore;
import io.jwg.wg.core.NanoClock;
import io.jwg.wg.core.Output;
import io.jwg.wg.pipeline.Agent;

/**
 * Handshake worker agent (inbound step 6, sequential): the single consumer of the bounded
 * {@link HandshakeQueue}, fed by the UDP receivers. For each message it first reports the queue's
 * depth to the protocol core's load detector - the depth is what makes the device "under load", so
 * that mac2/cookies are demanded and sources rate limited - and then hands it to
 * {@link DeviceCore#onDatagram}, which answers through the worker's {@link Output}. Runs on the
 * control thread, composed with the {@code device.Conductor}; the data path never waits for it.
 */
public final class HandshakeWorker implements Agent {
    /** Handshake messages processed per duty cycle at most (the conductor gets its turn between). */
    public static final int MESSAGES_PER_CYCLE = 64;

    private final DeviceCore core;
    private final HandshakeQueue queue;
    private final Output out;
    private final Runnable flush;
    private final NanoClock clock;
    private long processed;

    /**
     * Creates the worker.
     *
     * @param out where the core's answers go (owner thread only)
     * @param flush sends what {@code out} batched; run at the end of each duty cycle with work
     */
    public HandshakeWorker(final DeviceCore core, final HandshakeQueue queue, final Output out, final Runnable flush,
                           final NanoClock clock) {
        this.core = core;
        this.queue = queue;
        this.out = out;
        this.flush = flush;
        this.clock = clock;
    }

    @Override
    public int doWork() {
        int work = 0;
        long nowNs = 0;
        for (; work < MESSAGES_PER_CYCLE; work++) {
            final HandshakeJob job = queue.poll();
            if (job == null) {
                break;
            }
            if (work == 0) {
                nowNs = clock.nanoTime();
            }
            core.loadDetector().underLoad(queue.depth(), nowNs);
            core.onDatagram(job.message(), 0, job.length(), job.source(), nowNs, out);
            queue.recycle(job);
        }
        if (work > 0) {
            processed += work;
            flush.run();
        }
        return work;
    }

    /** Messages processed so far (racy read). */
    public long processed() {
        return processed;
    }

    @Override
    public String roleName() {
        return "jwg-handshake";
    }
}
