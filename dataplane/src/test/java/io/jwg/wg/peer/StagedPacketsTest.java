package io.jwg.wg.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class StagedPacketsTest {
    @Test
    void shouldDropOldestWhenFullAndKeepOrder() {
        final StagedPackets q = new StagedPackets(128);
        for (int i = 0; i < 130; i++) {
            final byte[] p = new byte[10 + i];
            p[0] = (byte) i;
            final boolean dropped = q.stage(MemorySegment.ofArray(p), 0, p.length);
            assertEquals(i >= 128, dropped);
        }
        assertEquals(128, q.size());
        final MemorySegment out = MemorySegment.ofArray(new byte[1000]);
        for (int i = 2; i < 130; i++) {
            assertEquals(10 + i, q.peek(out, 0));
            assertEquals((byte) i, out.get(ValueLayout.JAVA_BYTE, 0));
            q.pop();
        }
        assertTrue(q.isEmpty());
        assertEquals(-1, q.peekLength());
    }

    @Test
    void shouldStageKeepaliveOnlyWhenEmpty() {
        final StagedPackets q = new StagedPackets();
        q.stageKeepaliveIfEmpty();
        assertEquals(1, q.size());
        assertEquals(0, q.peekLength());
        q.stageKeepaliveIfEmpty();
        assertEquals(1, q.size());
        assertEquals(1, q.clear());
        q.stage(MemorySegment.ofArray(new byte[5]), 0, 5);
        q.stageKeepaliveIfEmpty();
        assertEquals(1, q.size());
        assertFalse(q.isEmpty());
    }
}
