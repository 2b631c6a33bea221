package io.jwg.wg.routing;

import io.jwg.wg.protocol.WireLayouts;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cryptokey routing (whitepaper 2, kernel {@code allowedips.c}): one longest-prefix-match table per
 * address family mapping prefixes to their owner (peer). Mutators are {@code synchronized} (one
 * writer at a time: the configuration thread); lookups are lock-free, allocation-free and may run
 * on any number of threads concurrently with a writer.
 *
 * <ul>
 *   <li>{@link #insert} masks host bits and, if another owner has the same prefix, moves it.</li>
 *   <li>{@link #remove} removes a prefix only if {@code owner} owns it.</li>
 *   <li>{@link #removeAll} removes every prefix of an owner (peer removal, replace_allowed_ips).</li>
 *   <li>{@link #lookupDst} routes an outbound packet by destination (TX); {@link #lookupSrc} finds
 *       the owner of an inbound packet's source, which must equal the decrypting peer (RX).</li>
 * </ul>
 *
 * @param <T> owner type; compared by identity
 */
public final class AllowedIps<T> {
    private final Map<Prefix, T> owners = new HashMap<>();
    private final Map<T, Set<Prefix>> byOwner = new IdentityHashMap<>();
    private final StrideTrie<T> v4 = new StrideTrie<>((hi, lo, len) -> owners.get(new Prefix(false, hi, lo, len)));
    private final StrideTrie<T> v6 = new StrideTrie<>((hi, lo, len) -> owners.get(new Prefix(true, hi, lo, len)));

    /**
     * Makes {@code owner} the owner of {@code prefix}.
     *
     * @return the previous owner if the prefix moved from another owner, else null
     */
    public synchronized T insert(final Prefix prefix, final T owner) {
        if (owner == null) {
            throw new NullPointerException("owner");
        }
        final T previous = owners.put(prefix, owner);
        if (previous == owner) {
            return null;
        }
        if (previous != null) {
            removeFromOwner(previous, prefix);
        }
        byOwner.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(prefix);
        trie(prefix).insert(prefix.hi(), prefix.lo(), prefix.length(), owner, previous == null);
        return previous;
    }

    /**
     * Removes {@code prefix} if (and only if) {@code owner} owns it.
     *
     * @return true if removed
     */
    public synchronized boolean remove(final Prefix prefix, final T owner) {
        if (owners.get(prefix) != owner || owner == null) {
            return false;
        }
        owners.remove(prefix);
        removeFromOwner(owner, prefix);
        trie(prefix).remove(prefix.hi(), prefix.lo(), prefix.length());
        return true;
    }

    /**
     * Removes every prefix of {@code owner}.
     *
     * @return how many were removed
     */
    public synchronized int removeAll(final T owner) {
        final Set<Prefix> set = byOwner.remove(owner);
        if (set == null) {
            return 0;
        }
        for (final Prefix p : set) {
            owners.remove(p);
            trie(p).remove(p.hi(), p.lo(), p.length());
        }
        return set.size();
    }

    /** The prefixes of {@code owner}, in insertion order (a copy). */
    public synchronized List<Prefix> prefixesOf(final T owner) {
        final Set<Prefix> set = byOwner.get(owner);
        return set == null ? List.of() : new ArrayList<>(set);
    }

    /** The owner of exactly this prefix, or null. */
    public synchronized T ownerOf(final Prefix prefix) {
        return owners.get(prefix);
    }

    /** Number of prefixes in both families. */
    public synchronized int size() {
        return owners.size();
    }

    /** Removes everything. */
    public synchronized void clear() {
        for (final T owner : new ArrayList<>(byOwner.keySet())) {
            removeAll(owner);
        }
    }

    /** Longest-prefix match of an IPv4 address (big-endian int). Lock-free. */
    public T lookupV4(final int address) {
        return v4.lookup((address & 0xFFFF_FFFFL) << 32, 0);
    }

    /** Longest-prefix match of an IPv6 address given as its big-endian halves. Lock-free. */
    public T lookupV6(final long hi, final long lo) {
        return v6.lookup(hi, lo);
    }

    /**
     * Longest-prefix match of the address at {@code addressOffset} of {@code seg}: 4 bytes for IPv4,
     * 16 for IPv6, network order. Lock-free, allocation-free; the caller guarantees the bytes exist.
     */
    public T lookup(final MemorySegment seg, final long addressOffset, final boolean isV6) {
        if (isV6) {
            return v6.lookup(seg.get(WireLayouts.BE_LONG, addressOffset), seg.get(WireLayouts.BE_LONG, addressOffset + 8));
        }
        return lookupV4(seg.get(WireLayouts.BE_INT, addressOffset));
    }

    /**
     * Owner of the destination of the IP packet at {@code off} ({@code length} bytes), or null if
     * none or the packet is too short for its IP version. Used for routing outbound packets.
     */
    public T lookupDst(final MemorySegment packet, final long off, final int length) {
        return lookupAddress(packet, off, length, 16, 24);
    }

    /**
     * Owner of the source of the IP packet at {@code off} ({@code length} bytes), or null if none or
     * the packet is too short for its IP version. The receive path drops a packet unless this equals
     * the peer that decrypted it (longest-prefix equality, not "inside one of my prefixes").
     */
    public T lookupSrc(final MemorySegment packet, final long off, final int length) {
        return lookupAddress(packet, off, length, 12, 8);
    }

    private T lookupAddress(final MemorySegment p, final long off, final int length, final int v4Off,
                            final int v6Off) {
        if (length < 1) {
            return null;
        }
        final int version = (p.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off) & 0xF0) >>> 4;
        if (version == 4 && length >= 20) {
            return lookupV4(p.get(WireLayouts.BE_INT, off + v4Off));
        }
        if (version == 6 && length >= 40) {
            return v6.lookup(p.get(WireLayouts.BE_LONG, off + v6Off), p.get(WireLayouts.BE_LONG, off + v6Off + 8));
        }
        return null;
    }

    /**
     * A reusable batch of lookups for one thread: add up to {@link #capacity()} addresses (or packets),
     * run them together with {@link #lookup()}, read the owners. Walking the tries level by level across
     * the batch lets the CPU overlap the cache misses of different addresses, which one lookup after
     * another cannot. Owner thread only; allocation-free after construction.
     *
     * @param <T> owner type
     */
    public static final class Batch<T> {
        private final AllowedIps<T> table;
        private final Object[][] roots;
        private final long[] his;
        private final long[] los;
        private final Object[] out;
        private final Object[] cursor;
        private final int[] depth;
        private int count;

        private Batch(final AllowedIps<T> table, final int capacity) {
            this.table = table;
            roots = new Object[capacity][];
            his = new long[capacity];
            los = new long[capacity];
            out = new Object[capacity];
            cursor = new Object[capacity];
            depth = new int[capacity];
        }

        /** Maximum number of entries. */
        public int capacity() {
            return roots.length;
        }

        /** Number of entries added since the last {@link #clear()}. */
        public int size() {
            return count;
        }

        /** Empties the batch. */
        public void clear() {
            count = 0;
        }

        /** Adds the address at {@code addressOffset} (4 or 16 bytes, network order); returns its slot. */
        public int add(final MemorySegment seg, final long addressOffset, final boolean isV6) {
            final int k = count++;
            if (isV6) {
                roots[k] = table.v6.root();
                his[k] = seg.get(WireLayouts.BE_LONG, addressOffset);
                los[k] = seg.get(WireLayouts.BE_LONG, addressOffset + 8);
            } else {
                roots[k] = table.v4.root();
                his[k] = (seg.get(WireLayouts.BE_INT, addressOffset) & 0xFFFF_FFFFL) << 32;
                los[k] = 0;
            }
            return k;
        }

        /**
         * Adds the destination of the IP packet at {@code off} ({@code length} bytes); a packet too
         * short for its version, or not IPv4/IPv6, gets a null result. Returns its slot.
         */
        public int addDst(final MemorySegment packet, final long off, final int length) {
            return addPacket(packet, off, length, 16, 24);
        }

        /** Adds the source of the IP packet at {@code off} ({@code length} bytes); see {@link #addDst}. */
        public int addSrc(final MemorySegment packet, final long off, final int length) {
            return addPacket(packet, off, length, 12, 8);
        }

        private int addPacket(final MemorySegment p, final long off, final int length, final int v4Off,
                              final int v6Off) {
            final int version = length < 1 ? 0 : (p.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off) & 0xF0) >>> 4;
            if (version == 4 && length >= 20) {
                return add(p, off + v4Off, false);
            }
            if (version == 6 && length >= 40) {
                return add(p, off + v6Off, true);
            }
            final int k = count++;
            roots[k] = null;
            return k;
        }

        /** Runs every lookup added since the last {@link #clear()}. */
        public void lookup() {
            StrideTrie.lookupBatch(roots, his, los, count, out, cursor, depth);
        }

        /** The owner found for slot {@code k} by the last {@link #lookup()}, or null. */
        @SuppressWarnings("unchecked")
        public T result(final int k) {
            return (T) out[k];
        }
    }

    /** A lookup batch of {@code capacity} entries for the calling thread (see {@link Batch}). */
    public Batch<T> newBatch(final int capacity) {
        return new Batch<>(this, capacity);
    }

    private StrideTrie<T> trie(final Prefix p) {
        return p.v6() ? v6 : v4;
    }

    private void removeFromOwner(final T owner, final Prefix prefix) {
        final Set<Prefix> set = byOwner.get(owner);
        if (set != null) {
            set.remove(prefix);
            if (set.isEmpty()) {
                byOwner.remove(owner);
            }
        }
    }
}
