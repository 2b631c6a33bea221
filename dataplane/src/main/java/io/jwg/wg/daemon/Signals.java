package io.jwg.wg.daemon;

/**
 * SIGTERM/SIGINT handling: the handler runs instead of the JVM's default (which exits with 143
 * or 130 after the shutdown hooks), so the daemon can stop cleanly and exit 0 as wireguard-go
 * does. Uses {@code sun.misc.Signal} from the supported-but-unsupported {@code jdk.unsupported}
 * module; if it is unavailable the default behaviour stays and the shutdown hook still cleans up.
 */
final class Signals {

    private Signals() {
    }

    /** Runs {@code action} (on a JVM signal thread) when SIGTERM or SIGINT arrives. */
    static void onTermination(final Runnable action) {
        for (final String sig : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> action.run());
            } catch (final IllegalArgumentException | UnsupportedOperationException e) {
                System.getLogger("io.jwg.wg.daemon").log(System.Logger.Level.DEBUG,
                    "cannot handle SIG" + sig + ": " + e.getMessage());
            }
        }
    }
}
