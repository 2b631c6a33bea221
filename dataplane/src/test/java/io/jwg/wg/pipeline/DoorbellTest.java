package io.jwg.wg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class DoorbellTest {

    /**
     * Ping-pong: the consumer parks (no spinning, an hour-long park bound) whenever the queue looks
     * empty; the producer offers one item, rings, and waits until it is consumed before the next,
     * with random gaps so the consumer is sometimes parked, sometimes about to park, sometimes busy.
     * Every item is a chance to lose a wake-up, and a lost one stalls the exchange for good.
     */
    @Test
    void shouldNeverLoseAWakeUpWhenTheConsumerParksBetweenItems() throws Exception {
        long seed = System.nanoTime();
        System.out.println("DoorbellTest seed=" + seed);
        final int items = 2_000;
        final ManyToManyArrayQueue<Integer> q = new ManyToManyArrayQueue<>(8);
        final Doorbell bell = new Doorbell();
        final AtomicLong consumed = new AtomicLong();
        final long hourNs = 3_600_000_000_000L;
        Thread consumer = new Thread(() -> {
            DoorbellIdleStrategy idle = new DoorbellIdleStrategy(bell, () -> !q.isEmpty(), 0, 0, hourNs);
            while (consumed.get() < items) {
                Integer v = q.poll();
                if (v != null) {
                    consumed.incrementAndGet();
                    idle.idle(1);
                } else {
                    idle.idle(0);
                }
            }
        }, "doorbell-consumer");
        consumer.setDaemon(true);
        consumer.start();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < items; i++) {
            switch (r.nextInt(3)) {
                case 0 -> LockSupport.parkNanos(r.nextInt(20_000));
                case 1 -> Thread.yield();
                default -> { }
            }
            q.offer(i);
            bell.ring(1);
            long deadlineNs = System.nanoTime() + 10_000_000_000L;
            while (consumed.get() <= i) {
                if (deadlineNs - System.nanoTime() < 0) {
                    fail("consumer never woke for item " + i + ": lost wake-up, seed=" + seed);
                }
                Thread.yield();
            }
        }
        consumer.join(10_000);
        assertEquals(items, consumed.get());
    }
}
