package io.jwg.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Drives the AEAD's Vector API kernels through the JIT before traffic does; any thread, typically
 * one background thread started with the daemon.
 *
 * <p>Why: until C2 has compiled them, Vector API kernels run interpreted or at C1, where every vector
 * operation allocates a box. Measured in a fresh JVM on the 2-core development machine: the first
 * 1420-byte seal took 8.4 ms, seals stayed at 0.3-1.5 ms for about 9,000 calls (12 s under load), then
 * dropped to 4 us once compiled. A daemon that meets its first TCP flow in that state stalls the flow
 * for seconds. Warming on scratch memory (never on keys or packets) moves that cost to start-up.
 *
 * <p>The loop seals and opens batches of native-segment packets, the shape the pipeline uses, and
 * stops when a round has become fast (compiled) for several rounds in a row, or at the budget.
 */
public final class Warmup {
    /** Packets per batch: full-size packets plus a small one, so both the multi-block and tail paths compile. */
    private static final int[] SIZES = {1420, 1420, 1420, 1420, 1420, 1420, 1420, 64};
    private static final int SLOT = 2048;
    /**
     * A round (9 seals and 9 opens of ~1420 bytes, plus one handshake-sized pair) counts as compiled
     * below this: C2 code takes tens of microseconds for it, C1 code well over a millisecond.
     */
    private static final long FAST_ROUND_NS = 300_000;
    private static final int FAST_ROUNDS_TO_STOP = 200;
    /** Rounds always run: enough invocations for C2 to compile every entry point, not only the first. */
    private static final int MIN_ROUNDS = 2_000;

    private Warmup() {
    }

    /**
     * Runs the warm-up until the kernels are fast or a budget is spent.
     *
     * @param maxRounds upper bound of rounds (one round = a sealBatch and openBatch of 8 packets, one
     *     sealInPlace/openInPlace pair and one handshake-sized {@code byte[]} seal/open pair)
     * @param maxNanos upper bound of wall time
     * @return the number of rounds run
     * @throws IllegalStateException if a sealed packet fails to open (a kernel bug; fail loudly at start-up)
     */
    public static int run(final int maxRounds, final long maxNanos) {
        final int n = SIZES.length;
        final Entries entries = new Entries();
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment key = arena.allocate(ChaCha20Poly1305.KEY_LENGTH);
            for (int i = 0; i < ChaCha20Poly1305.KEY_LENGTH; i++) {
                key.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7 + 1));
            }
            final MemorySegment slab = arena.allocate((long) SLOT * n, 64);
            final long[] offsets = new long[n];
            final int[] lengths = new int[n];
            final int[] sealedLengths = new int[n];
            final long[] counters = new long[n];
            final boolean[] ok = new boolean[n];
            final MemorySegment single = arena.allocate(SLOT, 64);
            final byte[] arrayKey = new byte[ChaCha20Poly1305.KEY_LENGTH];
            final byte[] hash = new byte[32];
            final byte[] plain = new byte[32];
            final byte[] sealed = new byte[32 + ChaCha20Poly1305.TAG_LENGTH];
            for (int i = 0; i < n; i++) {
                offsets[i] = (long) SLOT * i;
                lengths[i] = SIZES[i];
                sealedLengths[i] = SIZES[i] + ChaCha20Poly1305.TAG_LENGTH;
            }
            final long start = System.nanoTime();
            long counter = 0;
            int fastRounds = 0;
            int round = 0;
            while (round < maxRounds && (round < MIN_ROUNDS || fastRounds < FAST_ROUNDS_TO_STOP)) {
                final long t0 = System.nanoTime();
                if (t0 - start > maxNanos) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    counters[i] = counter++;
                }
                entries.sealBatch.invokeExact(key, slab, offsets, lengths, counters, n);
                if ((int) entries.openBatch.invokeExact(key, slab, offsets, sealedLengths, counters, n, ok) != n) {
                    throw new IllegalStateException("AEAD warm-up: a sealed packet did not open (round " + round + ")");
                }
                entries.sealInPlace.invokeExact(key, counter, single, 0L, 1420);
                final boolean singleOk = (boolean) entries.openInPlace.invokeExact(key, counter++, single, 0L,
                    1420 + ChaCha20Poly1305.TAG_LENGTH);
                entries.sealArray.invokeExact(arrayKey, 0L, hash, plain, 0, plain.length, sealed, 0);
                if (!singleOk || !(boolean) entries.openArray.invokeExact(arrayKey, 0L, hash, sealed, 0, sealed.length, plain, 0)) {
                    throw new IllegalStateException("AEAD warm-up: a sealed message did not open (round " + round + ")");
                }
                fastRounds = System.nanoTime() - t0 < FAST_ROUND_NS ? fastRounds + 1 : 0;
                round++;
            }
            return round;
        } catch (final RuntimeException | Error e) {
            throw e;
        } catch (final Throwable t) {
            throw new AssertionError("should not reach here", t);
        }
    }

    /**
     * The entry points the data path and the handshake call, held in instance fields (not constants),
     * so C2 cannot inline them into the warm-up loop: each is counted and compiled on its own, which is
     * the code later callers reach. A loop calling them directly would be OSR-compiled with the calls
     * inlined, and the entry points themselves would stay at C1 (measured: ~150 us per 1420-byte seal
     * after such a warm-up, against ~3 us compiled).
     */
    private static final class Entries {
        final MethodHandle sealBatch = find("sealBatch", MethodType.methodType(void.class, MemorySegment.class,
            MemorySegment.class, long[].class, int[].class, long[].class, int.class));
        final MethodHandle openBatch = find("openBatch", MethodType.methodType(int.class, MemorySegment.class,
            MemorySegment.class, long[].class, int[].class, long[].class, int.class, boolean[].class));
        final MethodHandle sealInPlace = find("sealInPlace", MethodType.methodType(void.class, MemorySegment.class,
            long.class, MemorySegment.class, long.class, int.class));
        final MethodHandle openInPlace = find("openInPlace", MethodType.methodType(boolean.class, MemorySegment.class,
            long.class, MemorySegment.class, long.class, int.class));
        final MethodHandle sealArray = find("seal", MethodType.methodType(void.class, byte[].class, long.class,
            byte[].class, byte[].class, int.class, int.class, byte[].class, int.class));
        final MethodHandle openArray = find("open", MethodType.methodType(boolean.class, byte[].class, long.class,
            byte[].class, byte[].class, int.class, int.class, byte[].class, int.class));

        private static MethodHandle find(final String name, final MethodType type) {
            try {
                return MethodHandles.publicLookup().findStatic(ChaCha20Poly1305.class, name, type);
            } catch (final ReflectiveOperationException e) {
                throw new IllegalStateException("AEAD warm-up: no entry point " + name + type, e);
            }
        }
    }

    /** Starts {@link #run} on a daemon thread named {@code jwg-crypto-warmup} and returns it. */
    public static Thread startInBackground(final int maxRounds, final long maxNanos) {
        final Thread t = Thread.ofPlatform().daemon().name("jwg-crypto-warmup").unstarted(() -> run(maxRounds, maxNanos));
        t.start();
        return t;
    }
}
