package io.jwg.wg.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeypairsTest {
    private final List<Keypair> retired = new ArrayList<>();
    private final Keypairs slots = new Keypairs(retired::add);
    private int next = 1;

    private Keypair kp(final boolean initiator) {
        return new Keypair(null, next++, 0, initiator, 0, new byte[32], new byte[32]);
    }

    @Test
    void shouldMakeInitiatorKeypairCurrentAtOnce() {
        final Keypair a = kp(true);
        final Keypair b = kp(true);
        final Keypair c = kp(true);
        slots.add(a);
        slots.add(b);
        assertSame(b, slots.current());
        assertSame(a, slots.previous());
        slots.add(c);
        assertSame(c, slots.current());
        assertSame(b, slots.previous());
        assertEquals(List.of(a), retired);
        assertTrue(a.isDead());
    }

    @Test
    void shouldHoldResponderKeypairAsNextUntilConfirmed() {
        final Keypair cur = kp(true);
        final Keypair prev = kp(true);
        slots.add(prev);
        slots.add(cur);
        final Keypair r = kp(false);
        slots.add(r);
        assertSame(r, slots.next());
        assertSame(cur, slots.current(), "the responder must not send with next");
        assertNull(slots.previous(), "previous dropped");
        assertEquals(List.of(prev), retired);
        assertFalse(slots.receivedWith(cur));
        assertTrue(slots.receivedWith(r));
        assertSame(r, slots.current());
        assertSame(cur, slots.previous());
        assertNull(slots.next());
        assertFalse(slots.receivedWith(r), "only once");
    }

    @Test
    void shouldDemotePendingNextWhenInitiatorKeypairArrives() {
        final Keypair cur = kp(true);
        slots.add(cur);
        final Keypair pending = kp(false);
        slots.add(pending);
        final Keypair mine = kp(true);
        slots.add(mine);
        assertSame(mine, slots.current());
        assertSame(pending, slots.previous());
        assertNull(slots.next());
        assertTrue(retired.contains(cur));
    }

    @Test
    void shouldKeepKeysUntilLastReferenceReleased() {
        final Keypair a = kp(true);
        slots.add(a);
        assertTrue(a.tryRetain(), "a worker takes a reference");
        slots.clear();
        assertFalse(a.isDead(), "worker still sealing: keys intact");
        assertFalse(a.isSendValid());
        a.release();
        assertTrue(a.isDead());
        assertFalse(a.tryRetain());
    }

    @Test
    void shouldStopSendingButKeepReceivingOnExpireCurrent() {
        final Keypair a = kp(true);
        slots.add(a);
        slots.expireCurrent();
        assertFalse(a.canSend(0));
        assertTrue(a.canReceive(0));
    }
}
