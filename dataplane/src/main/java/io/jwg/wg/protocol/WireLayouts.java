package io.jwg.wg.protocol;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Unaligned little- and big-endian value layouts for reading wire fields out of any segment. */
public final class WireLayouts {
    private WireLayouts() {
    }

    /** Little-endian u32 at any offset: every WireGuard integer field is little-endian. */
    public static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian u64 at any offset (transport counter). */
    public static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Big-endian u16 at any offset (IP header fields, ports). */
    public static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian u32 at any offset (IPv4 addresses). */
    public static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian u64 at any offset (halves of IPv6 addresses). */
    public static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
}
