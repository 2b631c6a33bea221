package io.jwg.wg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UnitPoolTest {

    @Test
    void shouldHandOutEachUnitOnceAndReturnNullWhenExhausted() {
        UnitPool<TestUnit> pool = new UnitPool<>(3, TestUnit::new);
        TestUnit a = pool.acquire();
        TestUnit b = pool.acquire();
        TestUnit c = pool.acquire();
        assertNotNull(a);
        assertNotNull(b);
        assertNotNull(c);
        assertNull(pool.acquire());
        assertEquals(0, pool.available());
        b.recycle();
        assertEquals(1, pool.available());
        assertEquals(b, pool.acquire());
    }

    @Test
    void shouldClearStateAndReferencesWhenRecycled() {
        UnitPool<TestUnit> pool = new UnitPool<>(1, TestUnit::new);
        TestUnit u = pool.acquire();
        PeerOrderedQueue<TestUnit> q = new PeerOrderedQueue<>(1);
        u.set(7, 1, 42);
        u.count(3);
        q.enqueue(u);
        u.publish(Unit.DEAD);
        q.drain(new PeerOrderedQueueTest.ListSink());
        u.recycle();
        assertEquals(1, u.recycled);
        assertEquals(-1, u.peer);
        assertEquals(0, u.count());
        assertEquals(Unit.UNCRYPTED, u.state());
        assertNull(u.queue());
        assertEquals(u, pool.acquire());
    }

    @Test
    void shouldRejectBadCountsAndStates() {
        TestUnit u = new TestUnit();
        assertThrows(IllegalArgumentException.class, () -> u.count(5));
        assertThrows(IllegalArgumentException.class, () -> u.count(-1));
        assertThrows(IllegalArgumentException.class, () -> u.publish(Unit.UNCRYPTED));
    }
}
