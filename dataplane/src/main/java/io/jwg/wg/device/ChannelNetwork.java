package io.jwg.wg.device;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory IPv4 "internet" for {@link ChannelBind}s: binds register under (address, port) and
 * senders look the destination up here. Thread-safe (a concurrent map, read on every send batch);
 * optional fault injection drops every n-th datagram.
 */
public final class ChannelNetwork {
    private final ConcurrentHashMap<Long, ChannelBind> binds = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private volatile int dropEvery;

    static long key(final int address, final int port) {
        return ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    void register(final int address, final int port, final ChannelBind bind) {
        if (binds.putIfAbsent(key(address, port), bind) != null) {
            throw new IllegalStateException("address in use");
        }
    }

    void unregister(final int address, final int port, final ChannelBind bind) {
        binds.remove(key(address, port), bind);
    }

    ChannelBind lookup(final int address, final int port) {
        return binds.get(key(address, port));
    }

    /** Whether the next datagram is lost (fault injection); any sender thread. */
    boolean lose() {
        final int n = dropEvery;
        return n > 0 && sent.incrementAndGet() % n == 0;
    }

    /** Drops every {@code n}-th datagram sent through this network (0 disables). */
    public void dropEvery(final int n) {
        this.dropEvery = n;
    }
}
