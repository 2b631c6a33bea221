package io.jwg.wg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/**
 * Many producers, many crypto threads, random delays: per (peer, producer) units come out exactly
 * once and in enqueue order, drains of one peer never overlap, and every unit returns to the pool.
 */
class OrderedReleaseStressTest {
    static final int PEERS = 6;
    static final int PRODUCERS = 3;
    static final int WORKERS = 3;
    static final int UNITS_PER_PRODUCER = 6_000;
    /** Units per producer between quiescence points. */
    static final int QUIESCE_EVERY = 50;

    /** Per-thread sink checking order, exclusivity and exactly-once, then recycling. */
    static final class CheckingSink implements UnitSink<Unit> {
        final Shared shared;
        final SplittableRandom random;
        int currentPeer = -1;

        CheckingSink(Shared shared, long seed) {
            this.shared = shared;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void onReleased(Unit unit) {
            TestUnit u = (TestUnit) unit;
            Object owner = shared.owners.compareAndExchange(u.peer, null, this);
            if (owner != null && owner != this) {
                shared.errors.add("overlapping drains of peer " + u.peer);
            }
            currentPeer = u.peer;
            int key = u.peer * PRODUCERS + u.producer;
            long expected = shared.nextSeq.get(key);
            if (u.seq != expected) {
                shared.errors.add("peer " + u.peer + " producer " + u.producer + " got seq " + u.seq
                    + " expected " + expected);
            }
            shared.nextSeq.set(key, u.seq + 1);
            if (u.state() == Unit.DEAD) {
                shared.dead.incrementAndGet();
            } else if (u.state() != Unit.CRYPTED) {
                shared.errors.add("released in state " + u.state());
            }
            shared.released.incrementAndGet();
            u.recycle();
        }

        @Override
        public void flush() {
            // Stands for the sendmmsg/TUN write done while holding the claim: completions of the
            // same peer land meanwhile and must not be lost.
            switch (random.nextInt(4)) {
                case 0 -> Thread.yield();
                case 1 -> java.util.concurrent.locks.LockSupport.parkNanos(random.nextInt(20_000));
                default -> { }
            }
            if (currentPeer >= 0) {
                shared.owners.set(currentPeer, null);
                currentPeer = -1;
            }
        }
    }

    static final class Shared {
        final AtomicReferenceArray<Object> owners = new AtomicReferenceArray<>(PEERS);
        final AtomicLongArray nextSeq = new AtomicLongArray(PEERS * PRODUCERS);
        final AtomicLong released = new AtomicLong();
        final AtomicLong enqueued = new AtomicLong();
        final AtomicLong refusedByPeerQueue = new AtomicLong();
        final AtomicLong refusedByCryptoQueue = new AtomicLong();
        final AtomicLong dead = new AtomicLong();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        volatile boolean producersDone;
    }

    @Test
    void shouldReleaseEveryUnitOnceInOrderWithRawWorkerThreads() throws Exception {
        run(false);
    }

    @Test
    void shouldReleaseEveryUnitOnceInOrderWithCryptoWorkerAgents() throws Exception {
        run(true);
    }

    private static boolean awaitQuiescence(CyclicBarrier barrier) {
        try {
            barrier.await();
            return true;
        } catch (InterruptedException | BrokenBarrierException e) {
            return false;
        }
    }

    private void run(boolean agents) throws Exception {
        final long seed = System.nanoTime();
        System.out.println("OrderedReleaseStressTest agents=" + agents + " seed=" + seed);
        final Shared shared = new Shared();
        final UnitPool<TestUnit> pool = new UnitPool<>(96, TestUnit::new);
        final ManyToManyArrayQueue<Unit> crypto = new ManyToManyArrayQueue<>(32);
        final Doorbell doorbell = new Doorbell();
        final List<PeerOrderedQueue<TestUnit>> queues = new ArrayList<>();
        for (int p = 0; p < PEERS; p++) {
            queues.add(new PeerOrderedQueue<>(8));
        }
        final CountDownLatch start = new CountDownLatch(1);
        // Quiescence points: all producers stop, and everything enqueued must come out with no
        // further traffic. A completion whose drain was lost would stall its peer right here
        // (steady traffic would otherwise hide it by draining the peer later).
        final CyclicBarrier quiesce = new CyclicBarrier(PRODUCERS, () -> {
            long deadlineNs = System.nanoTime() + 10_000_000_000L;
            while (shared.released.get() < shared.enqueued.get()) {
                if (deadlineNs - System.nanoTime() < 0) {
                    shared.errors.add("stall at quiescence: released=" + shared.released + " enqueued="
                        + shared.enqueued);
                    throw new IllegalStateException("stall");
                }
                Thread.yield();
            }
        });
        final List<Thread> producers = new ArrayList<>();
        for (int i = 0; i < PRODUCERS; i++) {
            final int pid = i;
            final SplittableRandom r = new SplittableRandom(seed * 31 + i);
            final CheckingSink sink = new CheckingSink(shared, seed * 17 + i);
            producers.add(new Thread(() -> {
                ManyToManyArrayQueueTest.await(start);
                long[] seqs = new long[PEERS];
                for (int n = 0; n < UNITS_PER_PRODUCER; n++) {
                    if (n % QUIESCE_EVERY == 0 && !awaitQuiescence(quiesce)) {
                        return;
                    }
                    TestUnit u;
                    while ((u = pool.acquire()) == null) {
                        Thread.yield();
                    }
                    int peer = r.nextInt(PEERS);
                    u.set(peer, pid, seqs[peer]);
                    u.randomize(r, 0.05);
                    PeerOrderedQueue<TestUnit> q = queues.get(peer);
                    boolean enqueued = q.enqueue(u);
                    // A full peer queue: mostly wait for the workers (so units flow), sometimes drop.
                    while (!enqueued && r.nextInt(8) != 0) {
                        Thread.yield();
                        enqueued = q.enqueue(u);
                    }
                    if (!enqueued) {
                        shared.refusedByPeerQueue.incrementAndGet();
                        u.recycle();
                        continue;
                    }
                    seqs[peer]++;
                    shared.enqueued.incrementAndGet();
                    if (crypto.offer(u)) {
                        doorbell.ring(1);
                    } else {
                        // The design's full-queue path: kill the unit, it is still released in order.
                        shared.refusedByCryptoQueue.incrementAndGet();
                        u.outcome = Unit.DEAD;
                        u.publish(Unit.DEAD);
                        q.drain(sink);
                    }
                    if (r.nextInt(64) == 0) {
                        Thread.yield();
                    }
                }
            }, "producer-" + i));
        }
        final List<Thread> workers = new ArrayList<>();
        final List<AgentRunner> runners = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            final CheckingSink sink = new CheckingSink(shared, seed * 17 + i);
            if (agents) {
                CryptoWorker worker = new CryptoWorker("crypto-" + i, crypto, 8, sink);
                DoorbellIdleStrategy idle = new DoorbellIdleStrategy(doorbell, () -> !crypto.isEmpty(), 10, 2,
                    3_600_000_000_000L);
                AgentRunner runner = new AgentRunner(worker, idle,
                    (a, t) -> shared.errors.add("agent error " + t));
                runners.add(runner);
                workers.add(new Thread(runner, "crypto-" + i));
            } else {
                workers.add(new Thread(() -> {
                    ManyToManyArrayQueueTest.await(start);
                    try {
                        while (!shared.producersDone || !crypto.isEmpty()) {
                            Unit u = crypto.poll();
                            if (u == null) {
                                Thread.yield();
                                continue;
                            }
                            CryptoWorker.process(u, sink);
                        }
                    } catch (Throwable t) {
                        shared.errors.add("worker died: " + t);
                    }
                }, "raw-worker-" + i));
            }
        }
        workers.forEach(Thread::start);
        producers.forEach(Thread::start);
        start.countDown();
        for (Thread t : producers) {
            t.join(120_000);
            if (t.isAlive()) {
                fail("producer stuck, seed=" + seed + " released=" + shared.released + " enqueued=" + shared.enqueued);
            }
        }
        long deadlineNs = System.nanoTime() + 60_000_000_000L;
        while (shared.errors.isEmpty() && shared.released.get() < shared.enqueued.get()
            && deadlineNs - System.nanoTime() > 0) {
            Thread.sleep(5);
        }
        shared.producersDone = true;
        for (AgentRunner runner : runners) {
            runner.close();
        }
        for (Thread t : workers) {
            t.join(10_000);
        }
        assertTrue(shared.errors.isEmpty(), () -> "seed=" + seed + " " + shared.errors.stream().limit(5).toList());
        assertEquals(shared.enqueued.get(), shared.released.get(),
            "lost units (a peer queue stalled?) seed=" + seed);
        for (PeerOrderedQueue<TestUnit> q : queues) {
            assertEquals(0, q.size(), "seed=" + seed);
        }
        assertEquals(pool.size(), pool.available(), "units leaked, seed=" + seed);
        long total = (long) PRODUCERS * UNITS_PER_PRODUCER;
        assertEquals(total, shared.enqueued.get() + shared.refusedByPeerQueue.get(), "seed=" + seed);
        System.out.println("  enqueued=" + shared.enqueued + " dead=" + shared.dead
            + " refusedByPeerQueue=" + shared.refusedByPeerQueue + " refusedByCryptoQueue=" + shared.refusedByCryptoQueue);
        assertTrue(shared.dead.get() >= shared.refusedByCryptoQueue.get());
    }
}
