package io.jwg.wg.pipeline;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Slow obvious model of {@link PeerOrderedQueue} for differential tests: a locked deque, release
 * from the head while the head is finished.
 */
final class ReferenceOrderedQueue {
    private final ArrayDeque<TestUnit> deque = new ArrayDeque<>();
    private final int limit;

    ReferenceOrderedQueue(int limit) {
        this.limit = limit;
    }

    synchronized boolean enqueue(TestUnit u) {
        if (deque.size() >= limit) {
            return false;
        }
        deque.addLast(u);
        return true;
    }

    synchronized void drain(List<TestUnit> out) {
        while (!deque.isEmpty() && deque.peekFirst().state() != Unit.UNCRYPTED) {
            out.add(deque.pollFirst());
        }
    }

    synchronized int size() {
        return deque.size();
    }
}
