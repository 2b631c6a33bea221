package io.jwg.wg.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IndexTableTest {
    record E(int localIndex, int tag) implements IndexTable.Entry {
    }

    @Test
    void shouldMatchHashMapUnderRandomInsertReplaceRemove() {
        final long seed = System.nanoTime();
        final Random rnd = new Random(seed);
        final IndexTable<E> table = new IndexTable<>(new Random(seed + 1));
        final Map<Integer, E> ref = new HashMap<>();
        final List<E> live = new ArrayList<>();
        for (int op = 0; op < 200_000; op++) {
            final int k = rnd.nextInt(10);
            if (k < 5 || live.isEmpty()) {
                final E e = table.insertNew(i -> new E(i, 0));
                assertNull(ref.put(e.localIndex(), e), "seed " + seed + ": duplicate index");
                live.add(e);
            } else if (k < 8) {
                final E e = live.remove(rnd.nextInt(live.size()));
                assertTrue(table.remove(e));
                ref.remove(e.localIndex());
                assertFalse(table.remove(e));
            } else {
                final int at = rnd.nextInt(live.size());
                final E old = live.get(at);
                final E repl = new E(old.localIndex(), old.tag() + 1);
                assertTrue(table.replace(old, repl));
                live.set(at, repl);
                ref.put(repl.localIndex(), repl);
            }
            if (op % 1000 == 0) {
                assertEquals(ref.size(), table.size());
                for (final E e : live) {
                    assertSame(e, table.lookup(e.localIndex()), "seed " + seed);
                }
                final int probe = rnd.nextInt();
                assertSame(ref.get(probe), table.lookup(probe), "seed " + seed + " probe " + probe);
            }
        }
    }

    @Test
    void shouldFindOnlyRegisteredIndices() {
        final IndexTable<E> table = new IndexTable<>(new Random(3));
        final E e = table.insertNew(i -> new E(i, 7));
        assertSame(e, table.lookup(e.localIndex()));
        assertNull(table.lookup(e.localIndex() + 1));
        assertTrue(table.remove(e));
        assertNull(table.lookup(e.localIndex()));
    }

    @Test
    void shouldServeLockFreeReadersWhileWriterChurns() throws Exception {
        final IndexTable<E> table = new IndexTable<>(new Random(4));
        final List<E> stable = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            stable.add(table.insertNew(idx -> new E(idx, 1)));
        }
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread reader = new Thread(() -> {
            while (!stop.get()) {
                for (final E e : stable) {
                    if (table.lookup(e.localIndex()) != e) {
                        failure.set("lost " + e);
                        return;
                    }
                }
            }
        });
        reader.start();
        final List<E> churn = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            churn.add(table.insertNew(idx -> new E(idx, 2)));
            if (churn.size() > 500) {
                table.remove(churn.remove(0));
            }
        }
        stop.set(true);
        reader.join(10_000);
        assertNull(failure.get());
    }
}
