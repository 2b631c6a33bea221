package io.jwg.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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
    /** A round of 8 seals and 8 opens counts as compiled below this (interpreted/C1 rounds take milliseconds). */
    private static final long FAST_ROUND_NS = 200_000;
    private static final int FAST_ROUNDS_TO_STOP = 50;

    private Warmup() {
    }

    /**
     * Runs the warm-up until the kernels are fast or a budget is spent.
     *
     * @param maxRounds upper bound of rounds (one round = one sealBatch + one openBatch of 8 packets)
     * @param maxNanos upper bound of wall time
     * @return the number of rounds run
     * @throws IllegalStateException if a sealed packet fails to open (a kernel bug; fail loudly at start-up)
     */
    public static int run(final int maxRounds, final long maxNanos) {
        final int n = SIZES.length;
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
            for (int i = 0; i < n; i++) {
                offsets[i] = (long) SLOT * i;
                lengths[i] = SIZES[i];
                sealedLengths[i] = SIZES[i] + ChaCha20Poly1305.TAG_LENGTH;
            }
            final long start = System.nanoTime();
            long counter = 0;
            int fastRounds = 0;
            int round = 0;
            while (round < maxRounds && fastRounds < FAST_ROUNDS_TO_STOP) {
                final long t0 = System.nanoTime();
                if (t0 - start > maxNanos) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    counters[i] = counter++;
                }
                ChaCha20Poly1305.sealBatch(key, slab, offsets, lengths, counters, n);
                if (ChaCha20Poly1305.openBatch(key, slab, offsets, sealedLengths, counters, n, ok) != n) {
                    throw new IllegalStateException("AEAD warm-up: a sealed packet did not open (round " + round + ")");
                }
                fastRounds = System.nanoTime() - t0 < FAST_ROUND_NS ? fastRounds + 1 : 0;
                round++;
            }
            return round;
        }
    }

    /** Starts {@link #run} on a daemon thread named {@code jwg-crypto-warmup} and returns it. */
    public static Thread startInBackground(final int maxRounds, final long maxNanos) {
        final Thread t = Thread.ofPlatform().daemon().name("jwg-crypto-warmup").unstarted(() -> run(maxRounds, maxNanos));
        t.start();
        return t;
    }
}
