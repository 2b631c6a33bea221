package io.jwg.bindings.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.bindings.libc.errno_h;
import java.util.BitSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RingTest {

    @BeforeEach
    void needsUring() {
        assumeTrue(Uring.isAvailable(), () -> "io_uring unavailable: " + Uring.unavailabilityCause());
    }

    @Test
    void shouldRefuseEntriesWhenTheSubmissionQueueIsFullAndRenderThem() throws Exception {
        try (Ring ring = Ring.open(8, 64)) {
            assertEquals(0, ring.enable());
            SubmissionQueue sq = ring.submissionQueue();
            assertEquals(8, sq.ringEntries());
            for (int i = 0; i < 8; i++) {
                assertTrue(sq.addNop(UserData.encode(1, i, 0)));
            }
            assertFalse(sq.addNop(UserData.encode(1, 8, 0)), "ring full: refused, nothing written");
            assertEquals(0, sq.remaining());
            sq.flush();
            String pending = sq.toString();
            assertTrue(pending.contains("NOP(fd=-1, op=1 id=7 data=0)"), pending);
            assertEquals(8, ring.submitAndWait(8, 1_000_000_000L));
            assertEquals(8, sq.remaining());
            assertTrue(ring.completionQueue().toString().contains("id=3"));
            assertEquals(8, drain(ring.completionQueue(), new BitSet()));
            assertTrue(sq.addNop(UserData.encode(1, 9, 0)), "space again after the kernel consumed them");
        }
    }

    @Test
    void shouldKeepEveryCompletionWhenTheCompletionQueueOverflows() throws Exception {
        try (Ring ring = Ring.open(16, 16)) {
            assertEquals(0, ring.enable());
            assertEquals(16, ring.completionQueue().ringEntries());
            SubmissionQueue sq = ring.submissionQueue();
            int total = 0;
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 16; i++) {
                    assertTrue(sq.addNop(UserData.encode(2, total++, round)));
                }
                assertEquals(16, ring.submit());
            }
            assertTrue(ring.completionsNeedEnter(), "overflow backlog is flagged");
            BitSet seen = new BitSet();
            int got = 0;
            for (int spins = 0; got < total && spins < 100; spins++) {
                got += drain(ring.completionQueue(), seen);
                ring.submitAndWait(0, 0);
            }
            assertEquals(total, got);
            assertEquals(total, seen.cardinality());
            assertEquals(0, ring.completionQueue().overflow(), "IORING_FEAT_NODROP: nothing dropped");
        }
    }

    @Test
    void shouldReturnEtimeWhenNothingCompletesAndEbadfAfterClose() throws Exception {
        Ring ring = Ring.open(4, 8);
        assertEquals(0, ring.enable());
        assertEquals(-errno_h.ETIME, ring.submitAndWait(1, 10_000_000L));
        ring.close();
        assertEquals(-errno_h.EBADF, ring.submit());
        assertEquals("Ring{closed}", ring.toString());
        assertThrows(IllegalStateException.class, () -> ring.completionQueue().ready(), "unmapped: throws, no crash");
    }

    @Test
    void shouldPackAndUnpackUserData() {
        long ud = UserData.encode(0xAB, 0x123456, -7);
        assertEquals(0xAB, UserData.op(ud));
        assertEquals(0x123456, UserData.id(ud));
        assertEquals(-7, UserData.data(ud));
    }

    private static int drain(final CompletionQueue cq, final BitSet seen) {
        int n = cq.ready();
        for (int k = 0; k < n; k++) {
            assertEquals(0, cq.res(k));
            seen.set(UserData.id(cq.userData(k)));
        }
        cq.advance(n);
        return n;
    }
}
