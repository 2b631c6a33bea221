// Hand-written (not generated): the errno helper jextract leaves to its users.
package io.jwg.bindings.libc;

import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Stateless and thread-safe (each capture-state segment belongs to the one thread that passes it to calls):
 * errno capture for the generated bindings. Every wrapper of a function that sets errno takes a
 * {@link #CAPTURE_STATE_LAYOUT} segment first (linked with {@code Linker.Option.captureCallState("errno")}),
 * and {@link #get(MemorySegment)} reads the value the call left there. The errno constants are in the
 * generated {@link errno_h}.
 * <p>Negative errno values are the result-code convention of {@code io.jwg.bindings.io}: a call returns a
 * count or {@code -errno}; {@link #describe(int)} accepts either sign.
 */
public final class Errno {

    /** Layout of the capture-state segment (platform-defined; contains at least {@code errno}). */
    public static final StructLayout CAPTURE_STATE_LAYOUT = libc_h.CAPTURE_STATE_LAYOUT;

    private static final VarHandle ERRNO = CAPTURE_STATE_LAYOUT.varHandle(PathElement.groupElement("errno"));
    private static final Map<Integer, String> NAMES = names();

    private Errno() {
    }

    /** Allocates one capture-state segment from {@code allocator}. */
    public static MemorySegment allocateState(final SegmentAllocator allocator) {
        return allocator.allocate(CAPTURE_STATE_LAYOUT);
    }

    /** {@return the errno captured by the last call that was given {@code state}} */
    public static int get(final MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** {@return the symbolic name of {@code errno} (either sign), e.g. "EAGAIN", or "E?123"} */
    public static String name(final int errno) {
        int e = Math.abs(errno);
        String n = NAMES.get(e);
        return n != null ? n : "E?" + e;
    }

    /** {@return libc's message for {@code errno} (either sign); cold path, allocates} */
    @SuppressWarnings("restricted")
    public static String strerror(final int errno) {
        MemorySegment s = errno_h.strerror(Math.abs(errno));
        return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(4096).getString(0);
    }

    /** {@return e.g. "EAGAIN (Resource temporarily unavailable)"; cold path, allocates} */
    public static String describe(final int errno) {
        return name(errno) + " (" + strerror(errno) + ")";
    }

    private static Map<Integer, String> names() {
        Map<Integer, String> m = new HashMap<>();
        for (Field f : errno_h.class.getFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod) && f.getType() == int.class && f.getName().startsWith("E")) {
                try {
                    m.putIfAbsent(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        m.put(errno_h.EAGAIN, "EAGAIN"); // == EWOULDBLOCK on Linux; keep the name callers test for
        return Map.copyOf(m);
    }
}
