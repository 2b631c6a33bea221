package io.jwg.bench;

import io.jwg.wg.routing.AllowedIps;
import io.jwg.wg.routing.Prefix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Longest-prefix lookup time (ns/op) in an {@link AllowedIps} holding {@code prefixes} random prefixes
 * of one family owned by 1000 peers: IPv4 lengths uniform in 8..32, IPv6 lengths uniform in 16..128,
 * random bits. Each invocation looks up 1024 consecutive addresses of a 2^20-entry address table kept
 * in a native segment ({@link AllowedIps#lookup(MemorySegment, long, boolean)} reads the address at an
 * offset, as the data path does from a packet). Addresses: {@code inside} = random host bits under a
 * random inserted prefix (the deep, realistic case), {@code random} = uniformly random.
 * {@code lookup} does them one after another; {@code lookupBatch64} runs groups of 64 through
 * {@link AllowedIps.Batch}, which walks the trie level by level across the group so the cache misses
 * of different addresses overlap (a lone lookup is a chain of dependent misses: on this VM one
 * dependent DRAM access costs about 300 ns, an independent one 20-40 ns).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar AllowedIpsLookupBench -f 1 -wi 2 -i 3}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g",
    "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AllowedIpsLookupBench {
    private static final int BATCH = 1024;
    private static final int ADDRESSES = 1 << 20;
    private static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    @Param({"1000000"})
    public int prefixes;

    @Param({"v4", "v6"})
    public String family;

    @Param({"inside", "random"})
    public String addresses;

    private AllowedIps<Object> table;
    private MemorySegment addrs;
    private boolean v6;
    private int stride;
    private int cursor;
    private final CpuTime cpu = new CpuTime();
    private long ops;

    @Setup(org.openjdk.jmh.annotations.Level.Iteration)
    public void startIteration() {
        ops = 0;
        cpu.start();
    }

    @org.openjdk.jmh.annotations.TearDown(org.openjdk.jmh.annotations.Level.Iteration)
    public void endIteration() {
        cpu.report(family + "/" + addresses, ops);
    }

    @Setup
    public void setup() {
        v6 = family.equals("v6");
        stride = v6 ? 16 : 4;
        final SplittableRandom rnd = new SplittableRandom(42);
        final Object[] owners = new Object[1000];
        for (int i = 0; i < owners.length; i++) {
            owners[i] = new Object();
        }
        table = new AllowedIps<>();
        final List<Prefix> inserted = new ArrayList<>(prefixes);
        while (table.size() < prefixes) {
            final Prefix p = v6
                    ? Prefix.v6(rnd.nextLong(), rnd.nextLong(), 16 + rnd.nextInt(113))
                    : Prefix.v4(rnd.nextInt(), 8 + rnd.nextInt(25));
            if (table.insert(p, owners[rnd.nextInt(owners.length)]) == null && table.size() > inserted.size()) {
                inserted.add(p);
            }
        }
        addrs = Arena.ofAuto().allocate((long) ADDRESSES * stride, 64);
        for (int i = 0; i < ADDRESSES; i++) {
            long hi = rnd.nextLong();
            long lo = rnd.nextLong();
            if (addresses.equals("inside")) {
                final Prefix p = inserted.get(rnd.nextInt(inserted.size()));
                final int len = p.length();
                final long maskHi = len == 0 ? 0 : len >= 64 ? -1L : -1L << (64 - len);
                final long maskLo = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
                hi = p.hi() | (hi & ~maskHi);
                lo = p.lo() | (lo & ~maskLo);
            }
            if (v6) {
                addrs.set(BE_LONG, (long) i * 16, hi);
                addrs.set(BE_LONG, (long) i * 16 + 8, lo);
            } else {
                addrs.set(BE_INT, (long) i * 4, (int) (hi >>> 32));
            }
        }
        int found = 0;
        for (int i = 0; i < 10_000; i++) {
            if (table.lookup(addrs, (long) i * stride, v6) != null) {
                found++;
            }
        }
        group = table.newBatch(GROUP);
        System.out.println("\n" + table.size() + " prefixes; " + found / 100.0 + "% of sampled addresses matched");
    }

    private static final int GROUP = 64;
    private AllowedIps.Batch<Object> group;

    /** The same 1024 lookups in groups of 64 through {@link AllowedIps.Batch} (as a TX stage routes a batch). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lookupBatch64(final Blackhole bh) {
        final AllowedIps.Batch<Object> g = group;
        final MemorySegment a = addrs;
        final boolean isV6 = v6;
        final long step = stride;
        int c = cursor;
        for (int b = 0; b < BATCH / GROUP; b++) {
            g.clear();
            for (int i = 0; i < GROUP; i++) {
                g.add(a, c * step, isV6);
                c = (c + 1) & (ADDRESSES - 1);
            }
            g.lookup();
            for (int i = 0; i < GROUP; i++) {
                bh.consume(g.result(i));
            }
        }
        cursor = c;
        ops += BATCH;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lookup(final Blackhole bh) {
        final AllowedIps<Object> t = table;
        final MemorySegment a = addrs;
        final boolean isV6 = v6;
        final long step = stride;
        int c = cursor;
        for (int i = 0; i < BATCH; i++) {
            bh.consume(t.lookup(a, c * step, isV6));
            c = (c + 1) & (ADDRESSES - 1);
        }
        cursor = c;
        ops += BATCH;
    }
}
