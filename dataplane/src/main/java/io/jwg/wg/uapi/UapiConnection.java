package io.jwg.wg.uapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves the UAPI protocol on one connection: a sequence of requests, each answered before the
 * next is read (wireguard-go's {@code IpcHandle}; boringtun serves only one, §1.16). Owned by the
 * one thread that calls {@link #serve}.
 *
 * <p>Framing, as wireguard-go does it:
 * <ul>
 *   <li>an operation line is exactly {@code get=1\n} or {@code set=1\n}; anything else (or end of
 *       input) closes the connection without an answer;</li>
 *   <li>{@code get=1\n} must be followed by {@code \n}; any other byte is consumed and answered
 *       with {@code errno=-22}; end of input closes;</li>
 *   <li>a set request runs to a blank line or to end of input (then what was read is applied, as
 *       wireguard-go does); a trailing {@code \r} is dropped from each line (Go's line scanner),
 *       so a line of only {@code \r} is blank;</li>
 *   <li>answers are {@code errno=N\n\n} with N = 0 or a negative errno.</li>
 * </ul>
 * Unlike wireguard-go, after a failed set the rest of the request is read and discarded up to its
 * blank line, so the connection stays usable for the next request.
 *
 * <p>Bounds: a set line longer than {@link UapiLimits#MAX_LINE_BYTES} fails the request with EIO
 * (wireguard-go's scanner limit and errno); a request over {@link UapiLimits#maxRequestBytes()}
 * fails with EMSGSIZE. Input past a bound is consumed without being stored, so memory per
 * connection stays bounded whatever the client sends.
 */
public final class UapiConnection {

    private static final System.Logger LOG = System.getLogger("io.jwg.wg.uapi");

    private final LineReader in;
    private final OutputStream out;
    private final UapiService service;
    private final long maxRequestBytes;

    private UapiConnection(final InputStream in, final OutputStream out, final UapiService service,
                           final long maxRequestBytes) {
        this.in = new LineReader(in);
        this.out = out;
        this.service = service;
        this.maxRequestBytes = maxRequestBytes;
    }

    /** Serves requests until the client closes, sends an invalid operation, or I/O fails. */
    public static void serve(final InputStream in, final OutputStream out, final UapiService service)
        throws IOException {
        serve(in, out, service, UapiLimits.maxRequestBytes());
    }

    /** As {@link #serve(InputStream, OutputStream, UapiService)} with an explicit request bound. */
    public static void serve(final InputStream in, final OutputStream out, final UapiService service,
                             final long maxRequestBytes) throws IOException {
        new UapiConnection(in, out, service, maxRequestBytes).loop();
    }

    private void loop() throws IOException {
        while (true) {
            final Line op = in.readLine(UapiLimits.MAX_OPERATION_LINE_BYTES);
            if (op == null || !op.terminated) {
                return;
            }
            if (!op.tooLong && op.text.equals("set=1")) {
                final int errno = set();
                answer("errno=" + (errno == 0 ? "0" : "-" + errno) + "\n\n");
            } else if (!op.tooLong && op.text.equals("get=1")) {
                final int next = in.readByte();
                if (next < 0) {
                    return;
                }
                if (next != '\n') {
                    LOG.log(Level.ERROR, "UAPI: trailing character in get: 0x{0}", Integer.toHexString(next));
                    answer("errno=-" + UapiErrno.EINVAL + "\n\n");
                } else {
                    answer(service.get());
                }
            } else {
                LOG.log(Level.ERROR, "UAPI: invalid operation, closing the connection");
                return;
            }
        }
    }

    private int set() throws IOException {
        final List<String> lines = new ArrayList<>();
        long total = 0;
        int readErrno = 0;
        while (true) {
            final Line line = in.readLine(UapiLimits.MAX_LINE_BYTES);
            if (line == null) {
                break;
            }
            if (line.tooLong) {
                if (readErrno == 0) {
                    readErrno = UapiErrno.EIO;
                }
            } else {
                String text = line.text;
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                if (text.isEmpty()) {
                    break;
                }
                total += line.length + 1;
                if (readErrno == 0 && total > maxRequestBytes) {
                    readErrno = UapiErrno.EMSGSIZE;
                }
                if (readErrno == 0) {
                    lines.add(text);
                }
            }
            if (!line.terminated) {
                break;
            }
        }
        return service.set(lines, readErrno);
    }

    private void answer(final String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One line read from the client. */
    private record Line(String text, int length, boolean terminated, boolean tooLong) {
    }

    /** A buffered byte-line reader with a length bound per line; bytes map 1:1 to chars (ISO-8859-1). */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buf = new byte[8192];
        private int pos;
        private int end;
        private byte[] line = new byte[256];

        LineReader(final InputStream in) {
            this.in = in;
        }

        /** The next byte, or -1 at end of input. */
        int readByte() throws IOException {
            if (pos == end && !fill()) {
                return -1;
            }
            return buf[pos++] & 0xff;
        }

        /**
         * Reads up to and excluding the next {@code '\n'}. Returns {@code null} at end of input
         * before any byte. A line over {@code max} bytes is consumed to its end and returned
         * with {@code tooLong} set and no text.
         */
        Line readLine(final int max) throws IOException {
            int len = 0;
            boolean tooLong = false;
            boolean any = false;
            while (true) {
                if (pos == end && !fill()) {
                    return any ? new Line(tooLong ? "" : text(len), len, false, tooLong) : null;
                }
                any = true;
                int i = pos;
                while (i < end && buf[i] != '\n') {
                    i++;
                }
                final int chunk = i - pos;
                if (!tooLong) {
                    if (len + chunk > max) {
                        tooLong = true;
                    } else {
                        if (len + chunk > line.length) {
                            line = java.util.Arrays.copyOf(line, Math.min(max, Math.max(len + chunk, 2 * line.length)));
                        }
                        System.arraycopy(buf, pos, line, len, chunk);
                    }
                }
                len = (int) Math.min(Integer.MAX_VALUE, (long) len + chunk);
                if (i < end) {
                    pos = i + 1;
                    return new Line(tooLong ? "" : text(len), len, true, tooLong);
                }
                pos = end;
            }
        }

        private String text(final int len) {
            return new String(line, 0, len, StandardCharsets.ISO_8859_1);
        }

        private boolean fill() throws IOException {
            final int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            end = n;
            return true;
        }
    }
}
