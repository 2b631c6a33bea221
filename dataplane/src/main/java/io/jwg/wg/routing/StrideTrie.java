package io.jwg.wg.routing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Longest-prefix-match table for one address family: a multibit trie with a 16-bit root and 8-bit
 * strides below, controlled prefix expansion inside each node, and path compression of lone
 * prefixes into {@link Leaf} records. Single writer, any number of lock-free readers.
 *
 * <p>Shape. A node covering address bits {@code [start, start + stride)} has {@code 2^stride}
 * slots; slot {@code i} holds a value (the owner of the longest prefix stored in this node that
 * covers {@code i}, or null) and a child. A prefix of length {@code len} is stored in the node with
 * {@code start < len <= start + stride} (the root also takes length 0) by writing its value into the
 * {@code 2^(start + stride - len)} slots it covers, unless a longer prefix already owns a slot
 * ({@code origin} remembers the length that wrote each slot). A child is null, a node for
 * the next 8 bits when two or more prefixes lie below the slot, or a {@link Leaf} when exactly one
 * does; a lookup descends, remembering the last non-null value, and a leaf is a final check of the
 * whole address against that one prefix. With the 16-bit root in cache, a lookup among a million
 * random prefixes touches about two cache lines below it.
 *
 * <p>Concurrency. Nodes and leaves are published with release stores after they are complete and
 * read with acquire loads, so a reader sees either the old or the new subtree. Unlinked nodes are
 * never reused (the garbage collector reclaims them once no reader holds them), which gives the
 * RCU-like guarantee the kernel's trie relies on. A reader racing with an update of one prefix may
 * see that prefix's slots half updated; it then returns either the old or the new answer.
 *
 * @param <T> owner type (peer)
 */
final class StrideTrie<T> {
    static final int ROOT_STRIDE = 16;
    static final int STRIDE = 8;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

    /** Finds an exact prefix's owner; used to restore shorter prefixes when one is removed. */
    interface ExactLookup {
        Object ownerOf(long hi, long lo, int length);
    }

    /**
     * Writer-side bookkeeping of a node, kept in the node array's last element so that lookups never
     * touch it.
     */
    static final class Meta {
        final int start;
        final int stride;
        /** Length + 1 of the prefix that wrote each slot's value; 0 = none. */
        final byte[] origin;
        /** Number of prefixes in this subtree. */
        int count;

        Meta(final int start, final int stride) {
            this.start = start;
            this.stride = stride;
            this.origin = new byte[1 << stride];
        }

        int end() {
            return start + stride;
        }
    }

    /**
     * A node is a bare {@code Object[]}: {@code [2i] = value, [2i + 1] = child} for each slot, so the
     * value and child of a slot share a cache line and a lookup reads one array per level; the last
     * element is the node's {@link Meta}.
     */
    static Object[] newNode(final int start, final int stride) {
        final Object[] n = new Object[(2 << stride) + 1];
        n[n.length - 1] = new Meta(start, stride);
        return n;
    }

    static Meta meta(final Object[] node) {
        return (Meta) node[node.length - 1];
    }

    /** A single prefix below a slot, compared against the whole address. Immutable. */
    static final class Leaf {
        final long hi;
        final long lo;
        final int length;
        final Object value;

        Leaf(final long hi, final long lo, final int length, final Object value) {
            this.hi = hi;
            this.lo = lo;
            this.length = length;
            this.value = value;
        }

        boolean matches(final long aHi, final long aLo) {
            return ((aHi ^ hi) & Prefix.maskHi(length)) == 0 && ((aLo ^ lo) & Prefix.maskLo(length)) == 0;
        }
    }

    private final Object[] root = newNode(0, ROOT_STRIDE);
    private final ExactLookup exact;

    StrideTrie(final ExactLookup exact) {
        this.exact = exact;
    }

    /** Bits {@code [start, start + n)} of {@code hi:lo}; never straddles the halves (strides align). */
    static int bits(final long hi, final long lo, final int start, final int n) {
        return start < 64
                ? (int) ((hi << start) >>> (64 - n))
                : (int) ((lo << (start - 64)) >>> (64 - n));
    }

    /** Longest-prefix match of {@code hi:lo}; lock-free, allocation-free. */
    @SuppressWarnings("unchecked")
    T lookup(final long hi, final long lo) {
        int i = bits(hi, lo, 0, ROOT_STRIDE) << 1;
        Object[] n = root;
        Object best = null;
        int start = ROOT_STRIDE;
        while (true) {
            final Object v = SLOTS.getAcquire(n, i);
            final Object c = SLOTS.getAcquire(n, i + 1);
            if (v != null) {
                best = v;
            }
            if (c instanceof Object[] next) {
                n = next;
                i = bits(hi, lo, start, STRIDE) << 1;
                start += STRIDE;
            } else if (c == null) {
                return (T) best;
            } else {
                final Leaf leaf = (Leaf) c;
                return (T) (leaf.matches(hi, lo) ? leaf.value : best);
            }
        }
    }

    /** The root node (for batched lookups that walk several tries in lockstep). */
    Object[] root() {
        return root;
    }

    /**
     * Longest-prefix match of {@code count} addresses at once, level by level across the batch: the
     * loads of one level are issued for every address before any of their results is needed, so the
     * memory system works on many cache misses in parallel (one lookup alone is a chain of dependent
     * misses). {@code nodes[k]} holds each address's root on entry (null: skip the address; its result
     * is null); results go to {@code out[k]}. {@code depth} is scratch of at least {@code count}.
     * Lock-free and allocation-free.
     */
    static void lookupBatch(final Object[][] nodes, final long[] his, final long[] los, final int count,
                            final Object[] out, final Object[] cursor, final int[] depth) {
        int active = 0;
        for (int k = 0; k < count; k++) {
            final Object[] n = nodes[k];
            if (n == null) {
                out[k] = null;
                cursor[k] = null;
                continue;
            }
            final int i = bits(his[k], los[k], 0, ROOT_STRIDE) << 1;
            out[k] = SLOTS.getAcquire(n, i);
            cursor[k] = SLOTS.getAcquire(n, i + 1);
            depth[k] = ROOT_STRIDE;
            active++;
        }
        while (active > 0) {
            active = 0;
            for (int k = 0; k < count; k++) {
                final Object c = cursor[k];
                if (c == null) {
                    continue;
                }
                if (c instanceof Object[] n) {
                    final int i = bits(his[k], los[k], depth[k], STRIDE) << 1;
                    final Object v = SLOTS.getAcquire(n, i);
                    if (v != null) {
                        out[k] = v;
                    }
                    cursor[k] = SLOTS.getAcquire(n, i + 1);
                    depth[k] += STRIDE;
                    active++;
                } else {
                    final Leaf leaf = (Leaf) c;
                    if (leaf.matches(his[k], los[k])) {
                        out[k] = leaf.value;
                    }
                    cursor[k] = null;
                }
            }
        }
    }

    /**
     * Stores (or re-owns) the masked prefix. {@code isNew} says whether the prefix was absent, for
     * the subtree counts. Writer only.
     */
    void insert(final long hi, final long lo, final int length, final Object value, final boolean isNew) {
        insertInto(root, hi, lo, length, value, isNew);
    }

    private static void insertInto(Object[] node, final long hi, final long lo, final int length, final Object value,
                                   final boolean isNew) {
        while (true) {
            final Meta m = meta(node);
            if (isNew) {
                m.count++;
            }
            if (length <= m.end()) {
                expand(node, m, hi, lo, length, value);
                return;
            }
            final int i = bits(hi, lo, m.start, m.stride);
            final Object c = node[2 * i + 1];
            if (c == null) {
                publishChild(node, i, new Leaf(hi, lo, length, value));
                return;
            }
            if (c instanceof Leaf leaf) {
                if (leaf.length == length && leaf.hi == hi && leaf.lo == lo) {
                    publishChild(node, i, new Leaf(hi, lo, length, value));
                    return;
                }
                // Two prefixes below this slot now: build the next level aside, then publish it.
                final Object[] n = newNode(m.end(), STRIDE);
                insertInto(n, leaf.hi, leaf.lo, leaf.length, leaf.value, true);
                insertInto(n, hi, lo, length, value, true);
                publishChild(node, i, n);
                return;
            }
            node = (Object[]) c;
        }
    }

    /** Writes {@code value} into every slot the prefix covers that no longer prefix owns. */
    private static void expand(final Object[] node, final Meta m, final long hi, final long lo, final int length,
                               final Object value) {
        final int base = bits(hi, lo, m.start, m.stride);
        final int span = 1 << (m.end() - length);
        final int tag = length + 1;
        for (int i = base; i < base + span; i++) {
            if ((m.origin[i] & 0xFF) <= tag) {
                m.origin[i] = (byte) tag;
                SLOTS.setRelease(node, 2 * i, value);
            }
        }
    }

    /** Removes a prefix known to be present. Writer only. */
    void remove(final long hi, final long lo, final int length) {
        // The path of nodes from the root; at most 1 + 112 / 8 levels.
        final Object[][] path = new Object[2 + (128 - ROOT_STRIDE) / STRIDE][];
        int depth = 0;
        Object[] node = root;
        while (true) {
            path[depth++] = node;
            final Meta m = meta(node);
            if (length <= m.end()) {
                unexpand(node, m, hi, lo, length);
                break;
            }
            final int i = bits(hi, lo, m.start, m.stride);
            final Object c = node[2 * i + 1];
            if (c instanceof Leaf) {
                publishChild(node, i, null);
                break;
            }
            node = (Object[]) c;
        }
        for (int d = 0; d < depth; d++) {
            meta(path[d]).count--;
        }
        // Collapse the highest non-root node on the path whose subtree holds at most one prefix.
        for (int d = 1; d < depth; d++) {
            final Object[] n = path[d];
            final int count = meta(n).count;
            if (count <= 1) {
                final Meta parent = meta(path[d - 1]);
                final int i = bits(hi, lo, parent.start, parent.stride);
                publishChild(path[d - 1], i, count == 0 ? null : soleLeaf(n, hi, lo));
                return;
            }
        }
    }

    /** Restores, in the slots the removed prefix owned, the next-longest prefix of this node. */
    private void unexpand(final Object[] node, final Meta m, final long hi, final long lo, final int length) {
        final int base = bits(hi, lo, m.start, m.stride);
        final int span = 1 << (m.end() - length);
        final int tag = length + 1;
        // The covering prefixes are the removed prefix's ancestors stored in this node.
        Object fallback = null;
        int fallbackTag = 0;
        final int minLength = node == root ? 0 : m.start + 1;
        for (int l = length - 1; l >= minLength; l--) {
            final Object owner = exact.ownerOf(hi & Prefix.maskHi(l), lo & Prefix.maskLo(l), l);
            if (owner != null) {
                fallback = owner;
                fallbackTag = l + 1;
                break;
            }
        }
        for (int i = base; i < base + span; i++) {
            if ((m.origin[i] & 0xFF) == tag) {
                m.origin[i] = (byte) fallbackTag;
                SLOTS.setRelease(node, 2 * i, fallback);
            }
        }
    }

    /**
     * The only prefix in {@code n}'s subtree as a leaf. Slots of a prefix stored in {@code n} start at
     * its own bits, so the first slot with an origin gives it; otherwise it is in the only child.
     */
    private static Leaf soleLeaf(final Object[] n, final long pathHi, final long pathLo) {
        final Meta m = meta(n);
        for (int i = 0; i < (1 << m.stride); i++) {
            final int tag = m.origin[i] & 0xFF;
            final Object c = n[2 * i + 1];
            if (tag == 0 && c == null) {
                continue;
            }
            // Path of slot i: n's own path bits followed by i.
            long h = pathHi & Prefix.maskHi(m.start);
            long l = pathLo & Prefix.maskLo(m.start);
            if (m.start < 64) {
                h |= ((long) i) << (64 - m.start - m.stride);
            } else {
                l |= ((long) i) << (128 - m.start - m.stride);
            }
            if (tag != 0) {
                final int length = tag - 1;
                return new Leaf(h & Prefix.maskHi(length), l & Prefix.maskLo(length), length, n[2 * i]);
            }
            if (c instanceof Leaf leaf) {
                return leaf;
            }
            return soleLeaf((Object[]) c, h, l);
        }
        throw new IllegalStateException("subtree count out of sync");
    }

    private static void publishChild(final Object[] node, final int i, final Object child) {
        SLOTS.setRelease(node, 2 * i + 1, child);
    }
}
