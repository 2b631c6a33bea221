package io.jwg.wg.uapi;

import io.jwg.wg.config.Key;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static io.jwg.wg.config.TestKeys.FAKE_PUBLIC;
import static io.jwg.wg.config.TestKeys.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UapiConnectionTest {

    private static final Key A = key("a");

    private TestDevice device;
    private UapiService service;

    @BeforeEach
    void setUp() {
        device = new TestDevice();
        service = new UapiService(device, FAKE_PUBLIC);
    }

    private String talk(final String input) throws IOException {
        return talk(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), Long.MAX_VALUE);
    }

    private String talk(final InputStream in, final long maxRequest) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        UapiConnection.serve(in, out, service, maxRequest);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldServeSeveralRequestsOnOneConnection() throws IOException {
        final String out = talk("set=1\nlisten_port=4000\n\nget=1\n\nset=1\nlisten_port=x\n\nget=1\n\n");
        assertEquals("errno=0\n\nlisten_port=4000\nerrno=0\n\nerrno=-22\n\nlisten_port=4000\nerrno=0\n\n", out);
    }

    @Test
    void shouldKeepTheConnectionUsableAfterAFailedSetInTheMiddleOfARequest() throws IOException {
        final String out = talk("set=1\nbogus=1\npublic_key=" + A.toHex() + "\nallowed_ip=192.0.2.0/24\n\n"
            + "set=1\npublic_key=" + A.toHex() + "\n\n");
        assertEquals("errno=-22\n\nerrno=0\n\n", out);
        assertNotNull(device.config().peer(A));
        assertTrue(device.config().peer(A).allowedIps().isEmpty());
    }

    @Test
    void shouldCloseWithoutAnswerOnAnInvalidOperation() throws IOException {
        assertEquals("", talk("hello=1\n\nget=1\n\n"));
        assertEquals("", talk("get=1\r\n\n"));
        assertEquals("", talk("\nget=1\n\n"));
        assertEquals("", talk("get=2\n\n"));
        assertEquals("", talk("get=1"));                 // no newline before end of input
        assertEquals("", talk("x".repeat(100_000) + "\nget=1\n\n"));
    }

    @Test
    void shouldAnswerEinvalToATrailingCharacterAfterGetAndContinue() throws IOException {
        assertEquals("errno=-22\n\nerrno=0\n\n", talk("get=1\nxget=1\n\n"));
        assertEquals("", talk("get=1\n"));
    }

    @Test
    void shouldApplyASetRequestCutShortByEndOfInputAsWireguardGoDoes() throws IOException {
        assertEquals("errno=0\n\n", talk("set=1\nlisten_port=4001\nfwmark=7"));
        assertEquals(4001, device.config().listenPort());
        assertEquals(7, device.config().fwmark());
    }

    @Test
    void shouldDropACarriageReturnBeforeTheNewlineInSetLines() throws IOException {
        assertEquals("errno=0\n\nerrno=0\n\n", talk("set=1\nlisten_port=4002\r\n\r\nset=1\n\n"));
        assertEquals(4002, device.config().listenPort());
    }

    @Test
    void shouldFailAnOverlongLineWithEioAndApplyNothing() throws IOException {
        final String out = talk("set=1\nlisten_port=4003\nallowed_ip=" + "1".repeat(UapiLimits.MAX_LINE_BYTES)
            + "\nfwmark=1\n\nget=1\n\n");
        assertEquals("errno=-5\n\nerrno=0\n\n", out);
        assertEquals(0, device.config().listenPort());
    }

    @Test
    void shouldFailAnOversizedRequestWithEmsgsizeInBoundedMemory() throws IOException {
        // 64 MiB of lines streamed through a 1 MiB request bound; the stream is generated, not stored.
        final long lines = 2_000_000;
        final byte[] line = "persistent_keepalive_interval=25\n".getBytes(StandardCharsets.ISO_8859_1);
        final byte[] head = ("set=1\npublic_key=" + A.toHex() + "\n").getBytes(StandardCharsets.ISO_8859_1);
        final byte[] tail = "\nget=1\n\n".getBytes(StandardCharsets.ISO_8859_1);
        final InputStream in = new InputStream() {
            private long pos;
            private final long size = head.length + lines * line.length + tail.length;

            @Override
            public int read() {
                if (pos >= size) {
                    return -1;
                }
                final long p = pos++;
                if (p < head.length) {
                    return head[(int) p];
                }
                final long q = p - head.length;
                if (q < lines * line.length) {
                    return line[(int) (q % line.length)];
                }
                return tail[(int) (q - lines * line.length)];
            }

            @Override
            public int read(final byte[] b, final int off, final int len) {
                int n = 0;
                while (n < len) {
                    final int c = read();
                    if (c < 0) {
                        return n == 0 ? -1 : n;
                    }
                    b[off + n++] = (byte) c;
                }
                return n;
            }
        };
        assertEquals("errno=-90\n\nerrno=0\n\n", talk(in, 1 << 20));
        assertNull(device.config().peer(A));
    }

    @Test
    void shouldEndTheConnectionQuietlyAtEndOfInputBetweenRequests() throws IOException {
        assertEquals("", talk(""));
        assertEquals("errno=0\n\n", talk("set=1\n\n"));
    }
}
