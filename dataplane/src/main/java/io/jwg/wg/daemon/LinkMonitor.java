package io.jwg.wg.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a network interface exists in this process's network namespace, read from
 * {@code /proc/self/net/dev} (per namespace, unlike a {@code /sys} mounted for another one).
 * Polled by the daemon to exit when its interface is deleted ({@code wg-quick down} runs
 * {@code ip link delete} and never signals the daemon, protocol.md §4).
 */
public final class LinkMonitor {

    private static final Path NET_DEV = Path.of("/proc/self/net/dev");

    private LinkMonitor() {
    }

    /** True if an interface called {@code name} exists; false if not or if /proc cannot be read. */
    public static boolean exists(final String name) {
        final String text;
        try {
            text = Files.readString(NET_DEV, StandardCharsets.ISO_8859_1);
        } catch (final IOException e) {
            return false;
        }
        return listed(text, name);
    }

    /** True if the {@code /proc/net/dev} text lists {@code name}. */
    static boolean listed(final String netDev, final String name) {
        for (final String line : netDev.split("\n")) {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
