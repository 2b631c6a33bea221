package io.jwg.wg.noise;

import java.util.function.Consumer;

/**
 * A peer's three keypair slots, previous / current / next (whitepaper 5.4.5, kernel
 * {@code noise_keypairs}). Reads of {@link #current()} and friends are lock-free (volatile);
 * updates are {@code synchronized}. A keypair dropped from every slot is passed to the retire hook
 * (which removes its index from the index table) and then released, so its keys are wiped once no
 * worker holds it.
 *
 * <ul>
 *   <li>Initiator, after consuming a response: the new keypair becomes current at once; the old
 *       current becomes previous, unless a responder-side "next" was pending, which becomes previous
 *       instead while the old current is dropped.</li>
 *   <li>Responder, after sending a response: the new keypair becomes next (not usable for sending);
 *       the old next and previous are dropped; current stays.</li>
 *   <li>The first packet authenticated under next rotates it in ({@link #receivedWith}): previous
 *       &lt;- current, current &lt;- next. This is the responder's key confirmation.</li>
 * </ul>
 */
public final class Keypairs {
    private final Consumer<Keypair> retire;
    private volatile Keypair previous;
    private volatile Keypair current;
    private volatile Keypair next;

    /**
     * @param retire called (under this object's lock) for every keypair that leaves the slots, before
     *               it is released; typically removes it from the index table
     */
    public Keypairs(final Consumer<Keypair> retire) {
        this.retire = retire;
    }

    /** The keypair used for sending, or null. Lock-free. */
    public Keypair current() {
        return current;
    }

    /** The previous keypair (still accepted for receiving), or null. */
    public Keypair previous() {
        return previous;
    }

    /** The responder's unconfirmed keypair, or null. */
    public Keypair next() {
        return next;
    }

    /** Installs a new keypair by the rules above (kernel {@code add_new_keypair}). */
    public synchronized void add(final Keypair k) {
        final Keypair oldPrevious = previous;
        final Keypair oldCurrent = current;
        final Keypair oldNext = next;
        if (k.isInitiator()) {
            if (oldNext != null) {
                next = null;
                previous = oldNext;
                drop(oldCurrent);
            } else {
                previous = oldCurrent;
            }
            drop(oldPrevious);
            current = k;
        } else {
            next = k;
            drop(oldNext);
            previous = null;
            drop(oldPrevious);
        }
    }

    /**
     * Reports that a packet was authenticated under {@code k}; if {@code k} is the pending next
     * keypair, rotates it into current (kernel {@code wg_noise_received_with_keypair}).
     *
     * @return true if a rotation happened: the handshake is complete, send staged packets
     */
    public boolean receivedWith(final Keypair k) {
        if (next != k || k == null) {
            return false;
        }
        synchronized (this) {
            if (next != k) {
                return false;
            }
            final Keypair oldPrevious = previous;
            previous = current;
            current = k;
            next = null;
            drop(oldPrevious);
            return true;
        }
    }

    /** Stops sending with current and next (private key changed; kernel {@code wg_noise_expire_current_peer_keypairs}). */
    public synchronized void expireCurrent() {
        final Keypair n = next;
        final Keypair c = current;
        if (n != null) {
            n.invalidateSending();
        }
        if (c != null) {
            c.invalidateSending();
        }
    }

    /** Drops all three keypairs (zero-key timer, peer removal, interface down). */
    public synchronized void clear() {
        final Keypair p = previous;
        final Keypair c = current;
        final Keypair n = next;
        previous = null;
        current = null;
        next = null;
        drop(p);
        drop(c);
        drop(n);
    }

    private void drop(final Keypair k) {
        if (k != null) {
            k.invalidate();
            retire.accept(k);
            k.release();
        }
    }
}
