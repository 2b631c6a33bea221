package io.jwg.wg.daemon;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Tells the launcher ({@code ./jwg}) that the daemon is up, or why it failed, through a pipe it
 * passes as file descriptor {@code $JWG_READY_FD}: one line, {@code READY} or
 * {@code ERROR <message>}. Without the variable (foreground runs) nothing is written. The JVM
 * cannot fork, so this replaces wireguard-go's "parent returns once the child holds the TUN and
 * the socket".
 */
public final class ReadySignal {

    /** Environment variable holding the descriptor number. */
    public static final String ENV = "JWG_READY_FD";

    private final String path;
    private boolean sent;

    private ReadySignal(final String path) {
        this.path = path;
    }

    /** From the environment: writes to {@code /proc/self/fd/$JWG_READY_FD} if set and numeric. */
    public static ReadySignal fromEnvironment() {
        final String fd = System.getenv(ENV);
        if (fd == null || fd.isEmpty() || !fd.chars().allMatch(Character::isDigit) || fd.length() > 9) {
            return new ReadySignal(null);
        }
        return new ReadySignal("/proc/self/fd/" + fd);
    }

    /** A signal that writes to {@code path} (tests), or nowhere if {@code null}. */
    public static ReadySignal toPath(final String path) {
        return new ReadySignal(path);
    }

    /** Reports readiness (once). */
    public void ready() {
        send("READY");
    }

    /** Reports a startup failure (once). */
    public void failed(final String message) {
        send("ERROR " + message.replace('\n', ' '));
    }

    private synchronized void send(final String line) {
        if (sent || path == null) {
            return;
        }
        sent = true;
        try (FileOutputStream out = new FileOutputStream(path)) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            System.getLogger("io.jwg.wg.daemon").log(System.Logger.Level.DEBUG, "ready signal not delivered", e);
        }
    }
}
