package io.jwg.wg.daemon;

/** Interface-name rules of the Linux kernel ({@code dev_valid_name}): what a TUN can be called. */
public final class InterfaceName {

    /** IFNAMSIZ - 1. */
    public static final int MAX_LENGTH = 15;

    private InterfaceName() {
    }

    /** Why {@code name} cannot name a network interface, or {@code null} if it can. */
    public static String problem(final String name) {
        if (name.isEmpty()) {
            return "interface name is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "interface name too long (max " + MAX_LENGTH + " characters)";
        }
        if (name.equals(".") || name.equals("..")) {
            return "interface name cannot be . or ..";
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c == '/' || c == ':' || c <= ' ' || c >= 0x7f) {
                return "interface name contains an invalid character";
            }
        }
        return null;
    }
}
