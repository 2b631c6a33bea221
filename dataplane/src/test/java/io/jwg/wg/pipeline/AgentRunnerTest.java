package io.jwg.wg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AgentRunnerTest {

    @Test
    void shouldRouteErrorsToHandlerAndKeepRunningThenCloseCleanly() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger cycles = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Agent agent = new Agent() {
            @Override
            public void onStart() {
                started.incrementAndGet();
            }

            @Override
            public int doWork() {
                int n = cycles.incrementAndGet();
                if (n == 3 || n == 5) {
                    throw new IllegalStateException("boom " + n);
                }
                return n % 2;
            }

            @Override
            public void onClose() {
                closed.incrementAndGet();
            }

            @Override
            public String roleName() {
                return "test-agent";
            }
        };
        AgentRunner runner = new AgentRunner(agent, new BackoffIdleStrategy(1, 1, 1_000, 100_000),
            (a, t) -> errors.add(t));
        Thread t = runner.start();
        assertEquals("test-agent", t.getName());
        long deadlineNs = System.nanoTime() + 30_000_000_000L;
        while (cycles.get() < 10 && deadlineNs - System.nanoTime() > 0) {
            Thread.sleep(1);
        }
        assertTrue(cycles.get() >= 10, "the loop survived both failures");
        runner.close();
        assertFalse(t.isAlive());
        assertEquals(1, started.get());
        assertEquals(1, closed.get());
        assertEquals(2, errors.size());
        assertEquals(2, runner.errors());
    }

    @Test
    void shouldRunComposedAgentsInOrderOnOneThread() {
        StringBuilder trace = new StringBuilder();
        Agent a = new Agent() {
            @Override
            public int doWork() {
                trace.append('a');
                return 1;
            }

            @Override
            public String roleName() {
                return "a";
            }
        };
        Agent b = new Agent() {
            @Override
            public int doWork() {
                trace.append('b');
                return 2;
            }

            @Override
            public String roleName() {
                return "b";
            }
        };
        CompositeAgent c = new CompositeAgent(a, b);
        assertEquals("a+b", c.roleName());
        assertEquals(3, c.doWork());
        assertEquals(3, c.doWork());
        assertEquals("abab", trace.toString());
    }
}
