package io.jwg.wg.routing;

import java.util.ArrayList;
import java.util.List;

/** Deliberately naive reference for {@link AllowedIps}: a list scanned for the longest match. */
final class SlowAllowedIps<T> {
    private record Entry<T>(Prefix prefix, T owner) {
    }

    private final List<Entry<T>> entries = new ArrayList<>();

    void insert(final Prefix p, final T owner) {
        entries.removeIf(e -> e.prefix.equals(p));
        entries.add(new Entry<>(p, owner));
    }

    boolean remove(final Prefix p, final T owner) {
        return entries.removeIf(e -> e.prefix.equals(p) && e.owner == owner);
    }

    void removeAll(final T owner) {
        entries.removeIf(e -> e.owner == owner);
    }

    T lookup(final boolean v6, final long hi, final long lo) {
        Entry<T> best = null;
        for (final Entry<T> e : entries) {
            if (e.prefix.v6() == v6 && e.prefix.contains(hi, lo)
                    && (best == null || e.prefix.length() > best.prefix.length())) {
                best = e;
            }
        }
        return best == null ? null : best.owner;
    }

    List<Prefix> prefixesOf(final T owner) {
        final List<Prefix> out = new ArrayList<>();
        for (final Entry<T> e : entries) {
            if (e.owner == owner) {
                out.add(e.prefix);
            }
        }
        return out;
    }

    int size() {
        return entries.size();
    }
}
