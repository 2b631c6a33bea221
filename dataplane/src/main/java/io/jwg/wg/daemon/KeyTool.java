package io.jwg.wg.daemon;

import io.jwg.crypto.X25519;
import io.jwg.wg.config.Key;
import io.jwg.wg.config.PublicKeyFunction;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code jwg genkey | genpsk | pubkey}: the key subcommands of {@code wg(8)}
 * ({@code wireguard-tools/src/genkey.c}, {@code pubkey.c}) with the same input rules, output,
 * messages (prefixed {@code jwg:}) and exit codes.
 * <ul>
 *   <li>{@code genkey}: 32 random bytes, clamped as an X25519 private key, base64 + newline;</li>
 *   <li>{@code genpsk}: the same without clamping;</li>
 *   <li>both warn on stderr if stdout is a regular file accessible to others;</li>
 *   <li>{@code pubkey}: reads exactly 44 base64 characters from stdin, then allows only NUL or
 *       whitespace before end of input, prints the public key.</li>
 * </ul>
 */
final class KeyTool {

    private static final String PROG = "jwg";

    private KeyTool() {
    }

    /** True if {@code command} is one of the key subcommands. */
    static boolean handles(final String command) {
        return command.equals("genkey") || command.equals("genpsk") || command.equals("pubkey");
    }

    /**
     * Runs a subcommand; {@code args[0]} is the subcommand name.
     *
     * @param stdoutTarget what file descriptor 1 refers to ({@code /proc/self/fd/1}), for the
     *                     world-accessible warning; may be {@code null}
     * @return the process exit code
     */
    static int run(final String[] args, final InputStream in, final PrintStream out, final PrintStream err,
                   final Path stdoutTarget) {
        if (args.length != 1) {
            err.println("Usage: " + PROG + " " + args[0]);
            return 1;
        }
        return switch (args[0]) {
            case "genkey" -> generate(true, out, err, stdoutTarget);
            case "genpsk" -> generate(false, out, err, stdoutTarget);
            case "pubkey" -> pubkey(in, out, err);
            default -> throw new IllegalArgumentException("not a key subcommand: " + args[0]);
        };
    }

    private static int generate(final boolean clamp, final PrintStream out, final PrintStream err,
                                final Path stdoutTarget) {
        if (worldAccessibleRegularFile(stdoutTarget)) {
            err.print("Warning: writing to world accessible file.\nConsider setting the umask to 077 and trying again.\n");
        }
        final byte[] k = new byte[Key.LENGTH];
        new SecureRandom().nextBytes(k);
        if (clamp) {
            X25519.clamp(k);
        }
        out.println(Key.of(k).toBase64());
        Arrays.fill(k, (byte) 0);
        out.flush();
        return out.checkError() ? 1 : 0;
    }

    private static int pubkey(final InputStream in, final PrintStream out, final PrintStream err) {
        final byte[] text = new byte[Key.BASE64_LENGTH];
        try {
            if (in.readNBytes(text, 0, text.length) != text.length) {
                err.println(PROG + ": Key is not the correct length or format");
                return 1;
            }
            for (int c = in.read(); c != -1; c = in.read()) {
                if (c != 0 && !isSpace(c)) {
                    err.println(PROG + ": Trailing characters found after key");
                    return 1;
                }
            }
        } catch (final IOException e) {
            err.println(PROG + ": Key is not the correct length or format");
            return 1;
        }
        final Key priv = Key.parseBase64(new String(text, StandardCharsets.ISO_8859_1));
        Arrays.fill(text, (byte) 0);
        if (priv == null) {
            err.println(PROG + ": Key is not the correct length or format");
            return 1;
        }
        out.println(PublicKeyFunction.x25519().publicKey(priv).toBase64());
        out.flush();
        return out.checkError() ? 1 : 0;
    }

    /** wg's {@code char_is_space}: tab, newline, vertical tab, form feed, carriage return, space. */
    private static boolean isSpace(final int c) {
        return (c >= 9 && c <= 13) || c == ' ';
    }

    private static boolean worldAccessibleRegularFile(final Path target) {
        if (target == null) {
            return false;
        }
        try {
            final PosixFileAttributes a = Files.readAttributes(target, PosixFileAttributes.class);
            final Set<PosixFilePermission> p = a.permissions();
            return a.isRegularFile() && (p.contains(PosixFilePermission.OTHERS_READ)
                || p.contains(PosixFilePermission.OTHERS_WRITE) || p.contains(PosixFilePermission.OTHERS_EXECUTE));
        } catch (final IOException | UnsupportedOperationException e) {
            return false;   // a pipe or terminal: no warning, as with fstat in wg
        }
    }
}
