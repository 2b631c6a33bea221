package io.jwg.wg.timers;

import static io.jwg.wg.protocol.ProtocolConstants.KEEPALIVE_TIMEOUT_NS;
import static io.jwg.wg.protocol.ProtocolConstants.MAX_TIMER_HANDSHAKES;
import static io.jwg.wg.protocol.ProtocolConstants.REKEY_TIMEOUT_JITTER_MAX_NS;
import static io.jwg.wg.protocol.ProtocolConstants.REKEY_TIMEOUT_NS;
import static io.jwg.wg.protocol.ProtocolConstants.ZERO_KEY_MATERIAL_AFTER_NS;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The five per-peer timers of whitepaper section 6 (kernel {@code timers.c}): event hooks that
 * arm and cancel deadlines, plus one decider, {@link #expire}, that a duty cycle polls. No timer
 * threads: the caller drives time. Methods are {@code synchronized}, so the per-peer TX and RX
 * stages and the ticking thread may report events concurrently.
 *
 * <ul>
 *   <li>retransmit_handshake: REKEY_TIMEOUT + jitter after an initiation is sent; retry with a new
 *       initiation, or give up after MAX_TIMER_HANDSHAKES retries (purge staged packets, arm zero-key).</li>
 *   <li>send_keepalive: KEEPALIVE_TIMEOUT after non-empty data is received with nothing sent back.</li>
 *   <li>new_handshake: KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + jitter after data is sent with nothing
 *       authenticated received since.</li>
 *   <li>zero_key_material: 3 x REJECT_AFTER_TIME after a session is derived; wipe all keys.</li>
 *   <li>persistent_keepalive: the configured interval after any authenticated packet either way.</li>
 * </ul>
 *
 * All deadlines compare by subtraction ({@code nowNs - deadlineNs >= 0}).
 */
public final class PeerTimers {
    /** Send a new initiation as a retry ({@code is_retry}); clear the endpoint's cached source first. */
    public static final int RETRANSMIT_HANDSHAKE = 1;
    /** Give up the handshake: drop staged packets (zero-key is armed internally). */
    public static final int GIVE_UP_HANDSHAKE = 1 << 1;
    /** Send a keepalive (passive, after received data). */
    public static final int SEND_KEEPALIVE = 1 << 2;
    /** Start a new handshake (not a retry); clear the endpoint's cached source first. */
    public static final int NEW_HANDSHAKE = 1 << 3;
    /** Wipe the handshake and all keypairs. */
    public static final int ZERO_KEY_MATERIAL = 1 << 4;
    /** Send a keepalive because persistent keepalive is on. */
    public static final int PERSISTENT_KEEPALIVE = 1 << 5;

    private static final long NONE = Long.MIN_VALUE;

    /**
     * Jitter source, private to this peer and only used inside its {@code synchronized} methods.
     * Seeded once from the injected generator: jitter needs no cryptographic strength, and drawing
     * from a {@link java.security.SecureRandom} each time data is sent allocated and took its lock
     * on the packet path (found with JFR under iperf3).
     */
    private final SplittableRandom random;

    private long retransmitAt = NONE;
    private long keepaliveAt = NONE;
    private long newHandshakeAt = NONE;
    private long zeroKeyAt = NONE;
    private long persistentAt = NONE;
    private boolean needAnotherKeepalive;
    private int handshakeAttempts;
    private boolean sentLastMinuteHandshake;
    private int persistentKeepaliveSeconds;
    private boolean stopped;

    /**
     * @param random seeds this peer's jitter source (one draw, here); must be thread-safe if shared
     *               ({@link java.util.Random}, {@link java.security.SecureRandom}); a seeded generator
     *               makes the jitter reproducible in tests
     */
    public PeerTimers(final RandomGenerator random) {
        this.random = new SplittableRandom(random.nextLong());
    }

    private long jitter() {
        return random.nextLong(REKEY_TIMEOUT_JITTER_MAX_NS);
    }

    // ------------------------------------------------------------------ events

    /** Call after sending a transport packet that is not a keepalive. */
    public synchronized void onDataSent(final long nowNs) {
        if (!stopped && newHandshakeAt == NONE) {
            newHandshakeAt = nowNs + KEEPALIVE_TIMEOUT_NS + REKEY_TIMEOUT_NS + jitter();
        }
    }

    /** Call after receiving (and accepting) a transport packet that is not a keepalive. */
    public synchronized void onDataReceived(final long nowNs) {
        if (stopped) {
            return;
        }
        if (keepaliveAt == NONE) {
            keepaliveAt = nowNs + KEEPALIVE_TIMEOUT_NS;
        } else {
            needAnotherKeepalive = true;
        }
    }

    /** Call after sending any authenticated packet: data, keepalive, initiation or response. */
    public synchronized void onAnyAuthenticatedPacketSent(final long nowNs) {
        keepaliveAt = NONE;
    }

    /** Call after receiving any authenticated packet: data, keepalive, initiation or response. */
    public synchronized void onAnyAuthenticatedPacketReceived(final long nowNs) {
        newHandshakeAt = NONE;
    }

    /** Call after sending or receiving any authenticated packet (re-arms persistent keepalive). */
    public synchronized void onAnyAuthenticatedPacketTraversal(final long nowNs) {
        if (!stopped && persistentKeepaliveSeconds > 0) {
            persistentAt = nowNs + persistentKeepaliveSeconds * 1_000_000_000L;
        }
    }

    /** Call after sending a handshake initiation. */
    public synchronized void onHandshakeInitiated(final long nowNs) {
        if (!stopped) {
            retransmitAt = nowNs + REKEY_TIMEOUT_NS + jitter();
        }
    }

    /**
     * Call when a handshake completes: response consumed (initiator) or first packet received under
     * the new keypair (responder).
     */
    public synchronized void onHandshakeComplete(final long nowNs) {
        retransmitAt = NONE;
        handshakeAttempts = 0;
        sentLastMinuteHandshake = false;
    }

    /** Call when a session is derived: response sent (responder) or response consumed (initiator). */
    public synchronized void onSessionDerived(final long nowNs) {
        if (!stopped) {
            zeroKeyAt = nowNs + ZERO_KEY_MATERIAL_AFTER_NS;
        }
    }

    /** Call when a handshake is started for a reason other than the retransmit timer. */
    public synchronized void onNonRetryInitiation() {
        handshakeAttempts = 0;
    }

    /**
     * Marks the once-per-key "last-minute" handshake (initiator, receiving on a key older than
     * REKEY_LAST_MINUTE_AGE) as done.
     *
     * @return true the first time after the last completed handshake, false afterwards
     */
    public synchronized boolean claimLastMinuteHandshake() {
        if (sentLastMinuteHandshake) {
            return false;
        }
        sentLastMinuteHandshake = true;
        return true;
    }

    /**
     * Sets the persistent keepalive interval (0 disables).
     *
     * @return true if it went from off to on, in which case the caller sends a keepalive at once
     */
    public synchronized boolean setPersistentKeepalive(final int seconds, final long nowNs) {
        if (seconds < 0 || seconds > 0xFFFF) {
            throw new IllegalArgumentException("persistent keepalive " + seconds);
        }
        final boolean turnedOn = persistentKeepaliveSeconds == 0 && seconds > 0;
        persistentKeepaliveSeconds = seconds;
        if (seconds == 0) {
            persistentAt = NONE;
        }
        return turnedOn && !stopped;
    }

    /** The persistent keepalive interval in seconds (0 = off). */
    public synchronized int persistentKeepaliveSeconds() {
        return persistentKeepaliveSeconds;
    }

    /** Cancels every timer and stops arming new ones (interface down, peer removed). */
    public synchronized void stop() {
        stopped = true;
        cancelAll();
    }

    /** Arms timers again after {@link #stop} (interface up). */
    public synchronized void start() {
        stopped = false;
    }

    /** Cancels every timer (keys wiped), keeping configuration. */
    public synchronized void cancelAll() {
        retransmitAt = NONE;
        keepaliveAt = NONE;
        newHandshakeAt = NONE;
        zeroKeyAt = NONE;
        persistentAt = NONE;
        needAnotherKeepalive = false;
        handshakeAttempts = 0;
        sentLastMinuteHandshake = false;
    }

    // ------------------------------------------------------------------ decider

    /**
     * Fires every timer due at {@code nowNs}, updates internal state as the kernel's handlers do,
     * and returns the actions the caller must perform as a bit set of the constants above, to be
     * executed in this order: ZERO_KEY_MATERIAL, GIVE_UP_HANDSHAKE, RETRANSMIT_HANDSHAKE,
     * NEW_HANDSHAKE, SEND_KEEPALIVE, PERSISTENT_KEEPALIVE.
     */
    public synchronized int expire(final long nowNs) {
        int actions = 0;
        if (due(zeroKeyAt, nowNs)) {
            zeroKeyAt = NONE;
            actions |= ZERO_KEY_MATERIAL;
        }
        if (due(retransmitAt, nowNs)) {
            retransmitAt = NONE;
            if (handshakeAttempts > MAX_TIMER_HANDSHAKES) {
                keepaliveAt = NONE;
                if (zeroKeyAt == NONE) {
                    zeroKeyAt = nowNs + ZERO_KEY_MATERIAL_AFTER_NS;
                }
                actions |= GIVE_UP_HANDSHAKE;
            } else {
                handshakeAttempts++;
                actions |= RETRANSMIT_HANDSHAKE;
            }
        }
        if (due(newHandshakeAt, nowNs)) {
            newHandshakeAt = NONE;
            actions |= NEW_HANDSHAKE;
        }
        if (due(keepaliveAt, nowNs)) {
            keepaliveAt = NONE;
            actions |= SEND_KEEPALIVE;
            if (needAnotherKeepalive) {
                needAnotherKeepalive = false;
                keepaliveAt = nowNs + KEEPALIVE_TIMEOUT_NS;
            }
        }
        if (due(persistentAt, nowNs)) {
            persistentAt = NONE;
            if (persistentKeepaliveSeconds > 0) {
                actions |= PERSISTENT_KEEPALIVE;
            }
        }
        return actions;
    }

    /** The earliest armed deadline, or {@link Long#MAX_VALUE} if none is armed. */
    public synchronized long nextDeadlineNs() {
        long next = earlier(NONE, retransmitAt);
        next = earlier(next, keepaliveAt);
        next = earlier(next, newHandshakeAt);
        next = earlier(next, zeroKeyAt);
        next = earlier(next, persistentAt);
        return next == NONE ? Long.MAX_VALUE : next;
    }

    private static long earlier(final long a, final long b) {
        if (a == NONE) {
            return b;
        }
        if (b == NONE) {
            return a;
        }
        return b - a < 0 ? b : a;
    }

    private static boolean due(final long deadline, final long nowNs) {
        return deadline != NONE && nowNs - deadline >= 0;
    }

    // ------------------------------------------------------------------ inspection (tests, stats)

    /** Handshake retries since the last non-retry initiation or completed handshake. */
    public synchronized int handshakeAttempts() {
        return handshakeAttempts;
    }

    /** Whether the retransmit timer is armed, and when ({@link Long#MIN_VALUE} if not). */
    public synchronized long retransmitDeadlineNs() {
        return retransmitAt;
    }

    /** Passive keepalive deadline or {@link Long#MIN_VALUE}. */
    public synchronized long keepaliveDeadlineNs() {
        return keepaliveAt;
    }

    /** New-handshake deadline or {@link Long#MIN_VALUE}. */
    public synchronized long newHandshakeDeadlineNs() {
        return newHandshakeAt;
    }

    /** Zero-key deadline or {@link Long#MIN_VALUE}. */
    public synchronized long zeroKeyDeadlineNs() {
        return zeroKeyAt;
    }

    /** Persistent keepalive deadline or {@link Long#MIN_VALUE}. */
    public synchronized long persistentKeepaliveDeadlineNs() {
        return persistentAt;
    }
}
