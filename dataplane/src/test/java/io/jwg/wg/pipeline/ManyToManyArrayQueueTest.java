package io.jwg.wg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ManyToManyArrayQueueTest {

    @Test
    void shouldRoundCapacityUpToPowerOfTwo() {
        assertEquals(2, new ManyToManyArrayQueue<>(2).capacity());
        assertEquals(8, new ManyToManyArrayQueue<>(5).capacity());
        assertEquals(1024, new ManyToManyArrayQueue<>(1024).capacity());
        assertThrows(IllegalArgumentException.class, () -> new ManyToManyArrayQueue<>(1));
    }

    @Test
    void shouldRefuseOfferWhenFullAndReturnNullWhenEmpty() {
        ManyToManyArrayQueue<Integer> q = new ManyToManyArrayQueue<>(4);
        assertTrue(q.isEmpty());
        assertNull(q.poll());
        for (int i = 0; i < 4; i++) {
            assertTrue(q.offer(i));
        }
        assertFalse(q.offer(99));
        assertEquals(4, q.size());
        assertEquals(0, q.poll());
        assertTrue(q.offer(4));
        for (int i = 1; i <= 4; i++) {
            assertEquals(i, q.poll());
        }
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }

    /** Random single-threaded operations against ArrayDeque with the same capacity (slow reference). */
    @Test
    void shouldBehaveLikeBoundedArrayDequeUnderRandomOperations() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 50; round++) {
            int cap = 1 << (1 + r.nextInt(6));
            ManyToManyArrayQueue<Integer> q = new ManyToManyArrayQueue<>(cap);
            ArrayDeque<Integer> ref = new ArrayDeque<>();
            for (int op = 0; op < 2000; op++) {
                if (r.nextBoolean()) {
                    int v = r.nextInt();
                    boolean expected = ref.size() < cap;
                    if (expected) {
                        ref.add(v);
                    }
                    assertEquals(expected, q.offer(v), "offer seed=" + seed);
                } else {
                    assertEquals(ref.poll(), q.poll(), "poll seed=" + seed);
                }
                assertEquals(ref.size(), q.size(), "size seed=" + seed);
                assertEquals(ref.isEmpty(), q.isEmpty(), "isEmpty seed=" + seed);
            }
        }
    }

    /**
     * Many producers and consumers: nothing lost or duplicated, and each consumer sees every
     * producer's items in increasing order (FIFO linearizability).
     */
    @Test
    void shouldLoseNothingAndKeepPerProducerOrderWithManyProducersAndConsumers() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ManyToManyArrayQueueTest seed=" + seed);
        final int producers = 4;
        final int consumers = 3;
        final int perProducer = 20_000;
        final ManyToManyArrayQueue<long[]> q = new ManyToManyArrayQueue<>(64);
        // Preallocate items so the test measures the queue, not the allocator.
        final long[][][] items = new long[producers][perProducer][];
        for (int p = 0; p < producers; p++) {
            for (int i = 0; i < perProducer; i++) {
                items[p][i] = new long[] {p, i};
            }
        }
        final AtomicIntegerArray seen = new AtomicIntegerArray(producers * perProducer);
        final AtomicLong consumed = new AtomicLong();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        final CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            final int pid = p;
            final SplittableRandom r = new SplittableRandom(seed + p);
            threads.add(new Thread(() -> {
                await(start);
                for (int i = 0; i < perProducer; i++) {
                    while (!q.offer(items[pid][i])) {
                        Thread.yield();
                    }
                    if (r.nextInt(1000) == 0) {
                        Thread.yield();
                    }
                }
            }, "producer-" + p));
        }
        for (int c = 0; c < consumers; c++) {
            threads.add(new Thread(() -> {
                await(start);
                long[] last = new long[producers];
                java.util.Arrays.fill(last, -1);
                final long total = (long) producers * perProducer;
                while (consumed.get() < total) {
                    long[] item = q.poll();
                    if (item == null) {
                        Thread.yield();
                        continue;
                    }
                    int p = (int) item[0];
                    long i = item[1];
                    if (i <= last[p]) {
                        errors.add("order: producer " + p + " item " + i + " after " + last[p]);
                    }
                    last[p] = i;
                    if (seen.getAndIncrement((int) (p * perProducer + i)) != 0) {
                        errors.add("duplicate: producer " + p + " item " + i);
                    }
                    consumed.incrementAndGet();
                }
            }, "consumer-" + c));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join(60_000);
            if (t.isAlive()) {
                fail("thread did not finish (lost item?) seed=" + seed + " consumed=" + consumed.get());
            }
        }
        assertTrue(errors.isEmpty(), () -> "seed=" + seed + " " + errors.stream().limit(5).toList());
        for (int i = 0; i < seen.length(); i++) {
            if (seen.get(i) != 1) {
                fail("item " + i + " seen " + seen.get(i) + " times, seed=" + seed);
            }
        }
        assertNull(q.poll());
        assertSame(0, q.size());
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
