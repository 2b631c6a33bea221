package io.jwg.wg.device;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory IPv4 "internet" for {@link ChannelBind}s: binds register under (address, port) and
 * senders look the destination up here. Lookups are lock-free and allocation-free (a copy-on-write
 * array scanned linearly: a test network has a handful of binds); registration is synchronized.
 * Optional fault injection drops every n-th datagram.
 */
public final class ChannelNetwork {
    private static final long[] NO_KEYS = new long[0];
    private static final ChannelBind[] NO_BINDS = new ChannelBind[0];

    /** Keys and binds, replaced together on change. */
    private record Table(long[] keys, ChannelBind[] binds) {
    }

    private final AtomicLong sent = new AtomicLong();
    private volatile Table table = new Table(NO_KEYS, NO_BINDS);
    private volatile int dropEvery;

    static long key(final int address, final int port) {
        return ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    synchronized void register(final int address, final int port, final ChannelBind bind) {
        final long k = key(address, port);
        final Table t = table;
        for (final long existing : t.keys) {
            if (existing == k) {
                throw new IllegalStateException("address in use");
            }
        }
        final long[] keys = Arrays.copyOf(t.keys, t.keys.length + 1);
        final ChannelBind[] binds = Arrays.copyOf(t.binds, t.binds.length + 1);
        keys[keys.length - 1] = k;
        binds[binds.length - 1] = bind;
        table = new Table(keys, binds);
    }

    synchronized void unregister(final int address, final int port, final ChannelBind bind) {
        final long k = key(address, port);
        final Table t = table;
        for (int i = 0; i < t.keys.length; i++) {
            if (t.keys[i] == k && t.binds[i] == bind) {
                final long[] keys = new long[t.keys.length - 1];
                final ChannelBind[] binds = new ChannelBind[t.binds.length - 1];
                System.arraycopy(t.keys, 0, keys, 0, i);
                System.arraycopy(t.keys, i + 1, keys, i, keys.length - i);
                System.arraycopy(t.binds, 0, binds, 0, i);
                System.arraycopy(t.binds, i + 1, binds, i, binds.length - i);
                table = new Table(keys, binds);
                return;
            }
        }
    }

    ChannelBind lookup(final int address, final int port) {
        final long k = key(address, port);
        final Table t = table;
        final long[] keys = t.keys;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == k) {
                return t.binds[i];
            }
        }
        return null;
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
