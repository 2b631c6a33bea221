package io.jwg.wg.daemon;

import io.jwg.wg.config.Key;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KeyToolTest {

    /** RFC 7748 §6.1 Alice: private key and public key, as base64. */
    private static final String ALICE_PRIV = Key.parseHex(
        "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a").toBase64();
    private static final String ALICE_PUB = Key.parseHex(
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a").toBase64();

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(final String stdin, final Path stdoutTarget, final String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = KeyTool.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.ISO_8859_1)),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
            stdoutTarget);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintThePublicKeyAndAcceptTrailingWhitespaceAndNul() {
        assertEquals(new Run(0, ALICE_PUB + "\n", ""), run(ALICE_PRIV, null, "pubkey"));
        assertEquals(new Run(0, ALICE_PUB + "\n", ""), run(ALICE_PRIV + "\n", null, "pubkey"));
        assertEquals(new Run(0, ALICE_PUB + "\n", ""), run(ALICE_PRIV + " \t\r\n\u000b\f\0\0\n", null, "pubkey"));
    }

    @Test
    void shouldRejectWhatWgPubkeyRejectsWithItsMessages() {
        final String format = "jwg: Key is not the correct length or format\n";
        assertEquals(new Run(1, "", format), run("", null, "pubkey"));
        assertEquals(new Run(1, "", format), run(ALICE_PRIV.substring(1), null, "pubkey"));
        assertEquals(new Run(1, "", format), run("A".repeat(42) + "B=", null, "pubkey"));
        assertEquals(new Run(1, "", format), run(ALICE_PRIV.replace('=', 'A'), null, "pubkey"));
        assertEquals(new Run(1, "", "jwg: Trailing characters found after key\n"), run(ALICE_PRIV + "  x", null, "pubkey"));
        assertEquals(new Run(1, "", "Usage: jwg pubkey\n"), run(ALICE_PRIV, null, "pubkey", "extra"));
    }

    @Test
    void shouldGenerateClampedPrivateKeysAndUnclampedPsks() {
        boolean pskUnclamped = false;
        for (int i = 0; i < 64; i++) {
            final Run k = run("", null, "genkey");
            assertEquals(0, k.code());
            final Key key = Key.parseBase64(k.out().strip());
            assertNotNull(key);
            assertEquals(key, key.clampedAsPrivateKey());
            final Key psk = Key.parseBase64(run("", null, "genpsk").out().strip());
            assertNotNull(psk);
            pskUnclamped |= !psk.equals(psk.clampedAsPrivateKey());
        }
        assertTrue(pskUnclamped, "64 random PSKs all looked clamped");
        assertNotEquals(run("", null, "genkey").out(), run("", null, "genkey").out());
        assertEquals(new Run(1, "", "Usage: jwg genkey\n"), run("", null, "genkey", "x"));
    }

    @Test
    void shouldWarnWhenWritingKeysToAWorldAccessibleFile() throws Exception {
        final Path open = Files.createFile(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        final Path closed = Files.createFile(tmp.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rw-------"));
        final String warning = "Warning: writing to world accessible file.\nConsider setting the umask to 077 and trying again.\n";
        assertEquals(warning, run("", open, "genkey").err());
        assertEquals(warning, run("", open, "genpsk").err());
        assertEquals("", run("", closed, "genkey").err());
        assertEquals("", run("", tmp, "genkey").err(), "not a regular file");
    }

    @Test
    void shouldAgreeWithWgPubkeyOnRandomKeys() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wg")), "wg(8) not installed");
        for (int i = 0; i < 5; i++) {
            final String priv = run("", null, "genkey").out();
            final Process p = new ProcessBuilder("/usr/bin/wg", "pubkey").start();
            p.getOutputStream().write(priv.getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().close();
            final String wg = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(wg, run(priv, null, "pubkey").out());
        }
    }
}
