package io.jwg.wg.ratelimit;

import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.protocol.ImplementationLimits;

/**
 * Per-source token bucket for handshake messages under load (kernel {@code ratelimiter.c}): each
 * source may pass {@value ImplementationLimits#RATELIMIT_PACKETS_PER_SECOND} packets per second
 * with bursts of {@value ImplementationLimits#RATELIMIT_PACKETS_BURSTABLE}. Sources are IPv4
 * addresses and IPv6 /64 prefixes (the kernel's keys; wireguard-go keys IPv6 by full address).
 * Called by handshake workers; methods are {@code synchronized} (the handshake path, never the
 * data path) and allocation-free after construction.
 *
 * <p>Tables are open-addressed per family with linear probing; entries idle longer than
 * {@link ImplementationLimits#RATELIMIT_ENTRY_IDLE_NS} are removed by a sweep at most once per
 * that period (backward-shift deletion keeps probe chains intact). An idle entry would have refilled
 * to a full bucket anyway, so removing it changes no decision. When a table holds
 * {@code maxEntries} sources, new sources are refused, as in the kernel.
 */
public final class HandshakeRateLimiter {
    /** Token cost of one packet, in nanoseconds of refill time. */
    static final long PACKET_COST_NS = 1_000_000_000L / ImplementationLimits.RATELIMIT_PACKETS_PER_SECOND;
    /** Bucket depth in nanoseconds of refill time. */
    static final long TOKEN_MAX_NS = PACKET_COST_NS * ImplementationLimits.RATELIMIT_PACKETS_BURSTABLE;

    private final Table v4;
    private final Table v6;
    private long lastSweepNs;
    private boolean swept;

    /** A limiter with the kernel's table bound. */
    public HandshakeRateLimiter() {
        this(ImplementationLimits.RATELIMIT_MAX_ENTRIES);
    }

    /** A limiter tracking at most {@code maxEntries} sources per family. */
    public HandshakeRateLimiter(final int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries " + maxEntries);
        }
        v4 = new Table(maxEntries);
        v6 = new Table(maxEntries);
    }

    /**
     * Takes a token for {@code source} at {@code nowNs}.
     *
     * @return true if the packet may be processed, false if the source is over its rate (or the
     *         table is full)
     */
    public synchronized boolean allow(final Endpoint source, final long nowNs) {
        if (!swept || nowNs - lastSweepNs >= ImplementationLimits.RATELIMIT_ENTRY_IDLE_NS) {
            v4.sweep(nowNs);
            v6.sweep(nowNs);
            lastSweepNs = nowNs;
            swept = true;
        }
        if (!source.isV6()) {
            return v4.allow(source.addressHi(), nowNs);
        }
        // An IPv4-mapped IPv6 source (::ffff:a.b.c.d, from a dual-stack socket) is an IPv4 source:
        // keying it by its /64 would put every IPv4 client into one bucket.
        final long hi = source.addressHi();
        final long lo = source.addressLo();
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            return v4.allow(lo << 32, nowNs);
        }
        return v6.allow(hi, nowNs);
    }

    /** Sources currently tracked in both families. */
    public synchronized int size() {
        return v4.size + v6.size;
    }

    /** One family's table. */
    private static final class Table {
        private final int maxEntries;
        private final int mask;
        private final long[] keys;
        private final long[] tokens;
        private final long[] lastNs;
        private final boolean[] used;
        private int size;

        Table(final int maxEntries) {
            this.maxEntries = maxEntries;
            final int capacity = Integer.highestOneBit(maxEntries * 2 - 1) << 1;
            this.mask = capacity - 1;
            keys = new long[capacity];
            tokens = new long[capacity];
            lastNs = new long[capacity];
            used = new boolean[capacity];
        }

        private static int hash(final long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }

        boolean allow(final long key, final long nowNs) {
            int i = hash(key) & mask;
            while (used[i]) {
                if (keys[i] == key) {
                    final long t = Math.min(TOKEN_MAX_NS, tokens[i] + (nowNs - lastNs[i]));
                    lastNs[i] = nowNs;
                    if (t >= PACKET_COST_NS) {
                        tokens[i] = t - PACKET_COST_NS;
                        return true;
                    }
                    tokens[i] = t;
                    return false;
                }
                i = (i + 1) & mask;
            }
            if (size >= maxEntries) {
                return false;
            }
            used[i] = true;
            keys[i] = key;
            tokens[i] = TOKEN_MAX_NS - PACKET_COST_NS;
            lastNs[i] = nowNs;
            size++;
            return true;
        }

        void sweep(final long nowNs) {
            if (size == 0) {
                return;
            }
            for (int i = 0; i <= mask; i++) {
                while (used[i] && nowNs - lastNs[i] > ImplementationLimits.RATELIMIT_ENTRY_IDLE_NS) {
                    delete(i);
                }
            }
        }

        /** Backward-shift deletion: pulls later entries of the probe chain into the hole. */
        private void delete(final int slot) {
            int hole = slot;
            int j = slot;
            while (true) {
                j = (j + 1) & mask;
                if (!used[j]) {
                    break;
                }
                final int home = hash(keys[j]) & mask;
                // Move j into the hole unless its home lies cyclically in (hole, j].
                final boolean homeBetween = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
                if (!homeBetween) {
                    keys[hole] = keys[j];
                    tokens[hole] = tokens[j];
                    lastNs[hole] = lastNs[j];
                    hole = j;
                }
            }
            used[hole] = false;
            size--;
        }
    }
}
