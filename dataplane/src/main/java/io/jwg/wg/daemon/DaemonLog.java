package io.jwg.wg.daemon;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Configures {@code java.util.logging} (the backend of {@link System.Logger}) the way
 * wireguard-go logs: {@code LOG_LEVEL=verbose|debug} shows debug lines, {@code error} (the
 * default) errors only, {@code silent} nothing; each line reads
 * {@code ERROR: (IFNAME) 2006/01/02 15:04:05 message} ({@code DEBUG:} for debug lines) on stdout.
 */
public final class DaemonLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    /** The JDK logs every Runtime.exit at debug level; keep that out of verbose logs (strong ref: JUL loggers are weak). */
    private static final Logger RUNTIME_EXIT = Logger.getLogger("java.lang.Runtime");

    private DaemonLog() {
    }

    /** The JUL level for a {@code LOG_LEVEL} value ({@code null} or unknown = error). */
    public static Level levelFor(final String logLevel) {
        if (logLevel == null) {
            return Level.SEVERE;
        }
        return switch (logLevel) {
            case "verbose", "debug" -> Level.FINE;
            case "silent" -> Level.OFF;
            default -> Level.SEVERE;
        };
    }

    /** Routes all logging to {@code out} at {@code level}, prefixed with the interface name. */
    public static void configure(final String interfaceName, final Level level, final PrintStream out) {
        LogManager.getLogManager().reset();
        final Logger root = Logger.getLogger("");
        root.setLevel(level);
        final String prefix = "(" + interfaceName + ") ";
        root.addHandler(new Handler() {
            @Override
            public void publish(final LogRecord r) {
                if (!isLoggable(r)) {
                    return;
                }
                final String tag = r.getLevel().intValue() >= Level.SEVERE.intValue() ? "ERROR: "
                    : r.getLevel().intValue() >= Level.INFO.intValue() ? "INFO: " : "DEBUG: ";
                final StringBuilder sb = new StringBuilder(128).append(tag).append(prefix)
                    .append(LocalDateTime.now().format(TIME)).append(' ').append(message(r));
                if (r.getThrown() != null) {
                    sb.append(": ").append(r.getThrown());
                }
                synchronized (out) {
                    out.println(sb);
                    out.flush();
                }
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                out.flush();
            }
        });
        root.getHandlers()[0].setLevel(level);
        RUNTIME_EXIT.setLevel(Level.INFO);
    }

    private static String message(final LogRecord r) {
        final Object[] params = r.getParameters();
        final String msg = r.getMessage() == null ? "" : r.getMessage();
        if (params == null || params.length == 0) {
            return msg;
        }
        try {
            return java.text.MessageFormat.format(msg, params);
        } catch (final IllegalArgumentException e) {
            return msg;
        }
    }
}
