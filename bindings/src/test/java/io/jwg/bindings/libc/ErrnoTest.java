package io.jwg.bindings.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void shouldCaptureErrnoOfTheFailingCall() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = Errno.allocateState(a);
            assertEquals(-1, libc_h.close(state, -1));
            assertEquals(errno_h.EBADF, Errno.get(state));
            assertEquals(-1, socket_h.socket(state, 12345, socket_h.SOCK_DGRAM, 0));
            assertEquals(errno_h.EAFNOSUPPORT, Errno.get(state));
        }
    }

    @Test
    void shouldNameAndDescribeEitherSign() {
        assertEquals("EAGAIN", Errno.name(errno_h.EAGAIN));
        assertEquals("ENOBUFS", Errno.name(-errno_h.ENOBUFS));
        assertTrue(Errno.describe(-errno_h.ENOBUFS).startsWith("ENOBUFS (No buffer space"), Errno.describe(-errno_h.ENOBUFS));
        assertEquals("E?4000", Errno.name(4000));
        NativeIoException e = new NativeIoException("bind", -errno_h.EADDRINUSE);
        assertEquals(errno_h.EADDRINUSE, e.errno());
        assertTrue(e.getMessage().startsWith("bind: EADDRINUSE"));
    }
}
