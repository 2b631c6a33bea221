package io.jwg.wg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PeerOrderedQueueTest {

    /** Sink that just records what it gets, and how often it was flushed. */
    static final class ListSink implements UnitSink<TestUnit> {
        final List<TestUnit> released = new ArrayList<>();
        int flushes;

        @Override
        public void onReleased(TestUnit unit) {
            released.add(unit);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    @Test
    void shouldHoldFinishedUnitsBehindAnUnfinishedHead() {
        PeerOrderedQueue<TestUnit> q = new PeerOrderedQueue<>(8);
        ListSink sink = new ListSink();
        TestUnit a = new TestUnit();
        TestUnit b = new TestUnit();
        TestUnit c = new TestUnit();
        assertTrue(q.enqueue(a));
        assertTrue(q.enqueue(b));
        assertTrue(q.enqueue(c));
        b.publish(Unit.CRYPTED);
        assertEquals(0, q.drain(sink));
        c.publish(Unit.DEAD);
        assertEquals(0, q.drain(sink));
        assertEquals(0, sink.flushes);
        a.publish(Unit.CRYPTED);
        assertEquals(3, q.drain(sink));
        assertEquals(List.of(a, b, c), sink.released);
        assertEquals(1, sink.flushes);
        assertEquals(0, q.size());
        assertEquals(0, q.drain(sink));
    }

    @Test
    void shouldRefuseEnqueueBeyondLimitAndAcceptAgainAfterRelease() {
        PeerOrderedQueue<TestUnit> q = new PeerOrderedQueue<>(2);
        ListSink sink = new ListSink();
        TestUnit a = new TestUnit();
        TestUnit b = new TestUnit();
        TestUnit c = new TestUnit();
        assertTrue(q.enqueue(a));
        assertTrue(q.enqueue(b));
        assertFalse(q.enqueue(c));
        assertEquals(2, q.size());
        a.publish(Unit.CRYPTED);
        q.drain(sink);
        assertTrue(q.enqueue(c));
        b.publish(Unit.CRYPTED);
        c.publish(Unit.CRYPTED);
        q.drain(sink);
        assertEquals(List.of(a, b, c), sink.released);
    }

    @Test
    void shouldReuseUnitsAcrossQueuesAfterRecycle() {
        UnitPool<TestUnit> pool = new UnitPool<>(2, TestUnit::new);
        PeerOrderedQueue<TestUnit> q1 = new PeerOrderedQueue<>(4);
        PeerOrderedQueue<TestUnit> q2 = new PeerOrderedQueue<>(4);
        ListSink sink = new ListSink();
        for (int round = 0; round < 10; round++) {
            PeerOrderedQueue<TestUnit> q = (round & 1) == 0 ? q1 : q2;
            TestUnit u = pool.acquire();
            assertEquals(Unit.UNCRYPTED, u.state());
            assertTrue(q.enqueue(u));
            u.publish(Unit.CRYPTED);
            assertEquals(1, q.drain(sink));
            u.recycle();
            assertEquals(null, u.queue());
        }
        assertEquals(2, pool.available());
    }

    /**
     * Random single-threaded interleavings of enqueue / complete / drain against the locked
     * reference: the same units come out in the same order at the same drains.
     */
    @Test
    void shouldMatchReferenceUnderRandomInterleavings() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            int limit = 1 + r.nextInt(8);
            PeerOrderedQueue<TestUnit> q = new PeerOrderedQueue<>(limit);
            ReferenceOrderedQueue ref = new ReferenceOrderedQueue(limit);
            ListSink sink = new ListSink();
            List<TestUnit> refOut = new ArrayList<>();
            List<TestUnit> pending = new ArrayList<>();
            long seq = 0;
            for (int op = 0; op < 300; op++) {
                int kind = r.nextInt(3);
                if (kind == 0) {
                    TestUnit u = new TestUnit();
                    u.set(0, 0, seq);
                    boolean expected = ref.enqueue(u);
                    assertEquals(expected, q.enqueue(u), "enqueue seed=" + seed);
                    if (expected) {
                        pending.add(u);
                        seq++;
                    }
                } else if (kind == 1 && !pending.isEmpty()) {
                    TestUnit u = pending.remove(r.nextInt(pending.size()));
                    u.publish(r.nextInt(4) == 0 ? Unit.DEAD : Unit.CRYPTED);
                    q.drain(sink);
                    ref.drain(refOut);
                } else {
                    q.drain(sink);
                    ref.drain(refOut);
                }
                assertEquals(refOut, sink.released, "released seed=" + seed);
                assertEquals(ref.size(), q.size(), "size seed=" + seed);
            }
        }
    }
}
