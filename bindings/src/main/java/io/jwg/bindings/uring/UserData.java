// Hand-written.
package io.jwg.bindings.uring;

/**
 * Stateless: the one place that packs and unpacks the 64-bit {@code user_data} of jwg's SQEs/CQEs as
 * {@code op (8 bits) | id (24 bits) | data (32 bits)}. {@code op} is the caller's own operation code (e.g.
 * receive, send, cancel), {@code id} names the entry (batch index, slot), {@code data} is free (a generation).
 */
public final class UserData {

    private UserData() {
    }

    /** {@return user_data for {@code op} (0..255), {@code id} (0..2^24-1) and {@code data}} */
    public static long encode(final int op, final int id, final int data) {
        return ((long) (op & 0xFF) << 56) | ((long) (id & 0xFF_FFFF) << 32) | (data & 0xFFFF_FFFFL);
    }

    /** {@return the op of {@code userData}} */
    public static int op(final long userData) {
        return (int) (userData >>> 56);
    }

    /** {@return the id of {@code userData}} */
    public static int id(final long userData) {
        return (int) (userData >>> 32) & 0xFF_FFFF;
    }

    /** {@return the data of {@code userData}} */
    public static int data(final long userData) {
        return (int) userData;
    }

    /** {@return e.g. "op=2 id=17 data=0"} */
    public static String toString(final long userData) {
        return "op=" + op(userData) + " id=" + id(userData) + " data=" + data(userData);
    }
}
