package io.jwg.wg.noise;

import static io.jwg.wg.protocol.ProtocolConstants.NOISE_SYMMETRIC_KEY_LENGTH;
import static io.jwg.wg.protocol.ProtocolConstants.REJECT_AFTER_MESSAGES;
import static io.jwg.wg.protocol.ProtocolConstants.REJECT_AFTER_TIME_NS;
import static io.jwg.wg.protocol.ProtocolConstants.REKEY_AFTER_MESSAGES;
import static io.jwg.wg.protocol.ProtocolConstants.REKEY_AFTER_TIME_NS;

import io.jwg.crypto.ConstantTime;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.replay.ReplayWindow;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One session's transport keys (whitepaper 5.4.5): sending and receiving key, the sending counter,
 * the receiving replay window, creation time, role, and both indices.
 *
 * <p>Threads. The send counter is atomic and may be advanced by any thread; a pipeline assigns
 * counters in order in its per-peer staging step ({@link #reserveSendCounters}) and then seals in
 * parallel with {@link #sendKey()}. {@link #validateCounter} (the replay window) belongs to the
 * per-peer ordered receive stage only. Validity flags are volatile.
 *
 * <p>Lifetime. The peer's {@link Keypairs} holds one reference; a pipeline worker that keeps using a
 * keypair across a hand-off must {@link #tryRetain()} and {@link #release()} it. When the last
 * reference goes, the keys are zeroed: a keypair leaving its slot is never wiped under a worker
 * that is still sealing with it.
 */
public final class Keypair implements IndexTable.Entry {
    private static final VarHandle SEND_COUNTER;
    private static final VarHandle REFS;

    static {
        try {
            final MethodHandles.Lookup l = MethodHandles.lookup();
            SEND_COUNTER = l.findVarHandle(Keypair.class, "sendCounter", long.class);
            REFS = l.findVarHandle(Keypair.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Peer peer;
    private final int localIndex;
    private final int remoteIndex;
    private final boolean initiator;
    private final long createdNs;
    private final byte[] sendKeyBytes = new byte[NOISE_SYMMETRIC_KEY_LENGTH];
    private final byte[] receiveKeyBytes = new byte[NOISE_SYMMETRIC_KEY_LENGTH];
    private final MemorySegment sendKey = MemorySegment.ofArray(sendKeyBytes);
    private final MemorySegment receiveKey = MemorySegment.ofArray(receiveKeyBytes);
    private final ReplayWindow replay = new ReplayWindow();
    @SuppressWarnings("unused") // accessed through SEND_COUNTER
    private volatile long sendCounter;
    @SuppressWarnings("unused") // accessed through REFS
    private volatile int refs = 1;
    private volatile boolean sendValid = true;
    private volatile boolean receiveValid = true;

    /**
     * A keypair with keys copied from {@code sendKey} and {@code receiveKey} (the caller zeroes its
     * copies).
     */
    public Keypair(final Peer peer, final int localIndex, final int remoteIndex, final boolean initiator,
                   final long createdNs, final byte[] sendKey, final byte[] receiveKey) {
        this.peer = peer;
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.initiator = initiator;
        this.createdNs = createdNs;
        System.arraycopy(sendKey, 0, sendKeyBytes, 0, NOISE_SYMMETRIC_KEY_LENGTH);
        System.arraycopy(receiveKey, 0, receiveKeyBytes, 0, NOISE_SYMMETRIC_KEY_LENGTH);
    }

    @Override
    public int localIndex() {
        return localIndex;
    }

    /** The peer's index for this session: the receiver index of every transport message we send. */
    public int remoteIndex() {
        return remoteIndex;
    }

    /** The peer this session belongs to. */
    public Peer peer() {
        return peer;
    }

    /** Whether we initiated the handshake that created this keypair (only the initiator rekeys on time). */
    public boolean isInitiator() {
        return initiator;
    }

    /** Monotonic creation time. */
    public long createdNs() {
        return createdNs;
    }

    /** Sending key as a segment (heap-backed), for {@code sealInPlace}/{@code sealBatch}. */
    public MemorySegment sendKey() {
        return sendKey;
    }

    /** Receiving key as a segment (heap-backed), for {@code openInPlace}/{@code openBatch}. */
    public MemorySegment receiveKey() {
        return receiveKey;
    }

    // ------------------------------------------------------------------ sending

    /**
     * Takes the next send counter (kernel {@code atomic64_inc_return - 1}). The caller must check
     * the result against REJECT_AFTER_MESSAGES ({@link #isSendCounterUsable}).
     */
    public long nextSendCounter() {
        return (long) SEND_COUNTER.getAndAdd(this, 1L);
    }

    /**
     * Reserves {@code n} consecutive counters for a batch and returns the first. Every counter of the
     * batch must be checked with {@link #isSendCounterUsable}.
     */
    public long reserveSendCounters(final long n) {
        return (long) SEND_COUNTER.getAndAdd(this, n);
    }

    /** Counters handed out so far (the next counter to be assigned). */
    public long sendCounter() {
        return (long) SEND_COUNTER.getVolatile(this);
    }

    /** Whether {@code counter} may still be used as a nonce: below REJECT_AFTER_MESSAGES. */
    public static boolean isSendCounterUsable(final long counter) {
        return Long.compareUnsigned(counter, REJECT_AFTER_MESSAGES) < 0;
    }

    /** Whether this keypair may send at {@code nowNs}: valid and younger than REJECT_AFTER_TIME. */
    public boolean canSend(final long nowNs) {
        return sendValid && nowNs - createdNs < REJECT_AFTER_TIME_NS
                && isSendCounterUsable(sendCounter());
    }

    /**
     * Whether, after sending, the initiator should start a new handshake: counter beyond
     * REKEY_AFTER_MESSAGES, or (initiator only) older than REKEY_AFTER_TIME (kernel send.c
     * {@code keep_key_fresh}).
     */
    public boolean needsRekeyAfterSend(final long nowNs) {
        return sendValid && (Long.compareUnsigned(sendCounter(), REKEY_AFTER_MESSAGES) > 0
                || (initiator && nowNs - createdNs >= REKEY_AFTER_TIME_NS));
    }

    /** Stops sending with this keypair (expired, counter exhausted, private key changed). */
    public void invalidateSending() {
        sendValid = false;
    }

    /** Whether sending is still allowed by the validity flag (ignores age). */
    public boolean isSendValid() {
        return sendValid;
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Whether a transport message may be decrypted with this keypair at {@code nowNs}: valid,
     * younger than REJECT_AFTER_TIME, and the window not at REJECT_AFTER_MESSAGES (kernel
     * {@code decrypt_packet}). Invalidates receiving when it fails.
     */
    public boolean canReceive(final long nowNs) {
        if (receiveValid && nowNs - createdNs < REJECT_AFTER_TIME_NS
                && Long.compareUnsigned(replay.highest() + 1, REJECT_AFTER_MESSAGES) < 0) {
            return true;
        }
        receiveValid = false;
        return false;
    }

    /**
     * Anti-replay check of an authenticated counter; per-peer ordered receive stage only.
     *
     * @return true if fresh
     */
    public boolean validateCounter(final long counter) {
        return replay.validate(counter);
    }

    // ------------------------------------------------------------------ lifetime

    /** Marks both directions invalid. */
    public void invalidate() {
        sendValid = false;
        receiveValid = false;
    }

    /**
     * Takes a reference for a worker that uses the keys outside the caller's synchronous call.
     *
     * @return false if the keypair is already dead (keys wiped or about to be)
     */
    public boolean tryRetain() {
        int r;
        do {
            r = (int) REFS.getVolatile(this);
            if (r <= 0) {
                return false;
            }
        } while (!REFS.compareAndSet(this, r, r + 1));
        return true;
    }

    /** Drops a reference; the last one zeroes the keys. */
    public void release() {
        if ((int) REFS.getAndAdd(this, -1) == 1) {
            invalidate();
            ConstantTime.zero(sendKeyBytes);
            ConstantTime.zero(receiveKeyBytes);
        }
    }

    /** Whether the keys have been wiped (no references left). */
    public boolean isDead() {
        return (int) REFS.getVolatile(this) <= 0;
    }

    @Override
    public String toString() {
        return "Keypair{local=" + Integer.toUnsignedString(localIndex) + ", remote="
                + Integer.toUnsignedString(remoteIndex) + ", initiator=" + initiator + "}";
    }
}
