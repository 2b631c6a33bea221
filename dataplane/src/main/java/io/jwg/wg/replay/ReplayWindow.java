package io.jwg.wg.replay;

import static io.jwg.wg.protocol.ProtocolConstants.COUNTER_BITS_TOTAL;
import static io.jwg.wg.protocol.ProtocolConstants.COUNTER_WINDOW_SIZE;
import static io.jwg.wg.protocol.ProtocolConstants.REJECT_AFTER_MESSAGES;

/**
 * Anti-replay window of one receiving keypair; single consumer: the per-peer ordered receive stage
 * (after decryption, before anything else trusts the counter).
 *
 * <p>This is RFC 6479's ring of bitmap words with the kernel's {@code counter_validate} semantics:
 * {@value io.jwg.wg.protocol.ProtocolConstants#COUNTER_BITS_TOTAL} bits in 128 words; moving
 * forward clears the words skipped over, so one word is always being recycled and the usable window
 * is {@link io.jwg.wg.protocol.ProtocolConstants#COUNTER_WINDOW_SIZE} = 8128 counters behind the
 * highest one seen. Counters at or above {@code REJECT_AFTER_MESSAGES} are never accepted. As in the
 * kernel, the highest counter is stored plus one so that 0 means "nothing received yet".
 */
public final class ReplayWindow {
    private static final int WORDS = COUNTER_BITS_TOTAL / Long.SIZE;
    private static final int WORD_SHIFT = 6;

    private final long[] backtrack = new long[WORDS];
    /** Highest accepted counter plus one (unsigned); 0 before the first packet. */
    private long next;

    /**
     * Accepts {@code counter} (unsigned) if it is below REJECT_AFTER_MESSAGES, not older than the
     * window, and not seen before; records it when accepted. Never throws.
     *
     * @return true if the packet is fresh and must be processed, false if it is a replay
     */
    public boolean validate(final long counter) {
        if (Long.compareUnsigned(next, REJECT_AFTER_MESSAGES + 1) >= 0
                || Long.compareUnsigned(counter, REJECT_AFTER_MESSAGES) >= 0) {
            return false;
        }
        // Shifted by one, so it cannot overflow below: counter + 1 + 8128 < 2^64.
        final long c = counter + 1;
        if (Long.compareUnsigned(c + COUNTER_WINDOW_SIZE, next) < 0) {
            return false;
        }
        final long index = c >>> WORD_SHIFT;
        if (Long.compareUnsigned(c, next) > 0) {
            final long indexCurrent = next >>> WORD_SHIFT;
            final long top = Math.min(index - indexCurrent, WORDS);
            for (long i = 1; i <= top; i++) {
                backtrack[(int) ((i + indexCurrent) & (WORDS - 1))] = 0;
            }
            next = c;
        }
        final int word = (int) (index & (WORDS - 1));
        final long bit = 1L << (c & (Long.SIZE - 1));
        final long old = backtrack[word];
        if ((old & bit) != 0) {
            return false;
        }
        backtrack[word] = old | bit;
        return true;
    }

    /** Highest accepted counter (unsigned), or -1 if none was accepted. */
    public long highest() {
        return next - 1;
    }

    /** Forgets everything, as for a fresh keypair. */
    public void reset() {
        java.util.Arrays.fill(backtrack, 0L);
        next = 0;
    }
}
