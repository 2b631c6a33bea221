package io.jwg.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared helpers for the AEAD tests: hex, segment kinds, the vectors directory and a tiny JSON reader. */
final class AeadTestSupport {

    private AeadTestSupport() {
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Where the bytes live: a plain array, a heap segment at an odd offset, native memory at an odd offset. */
    enum Kind {
        ARRAY, HEAP, NATIVE;

        /** A segment of exactly {@code b.length} bytes holding a copy of b. */
        MemorySegment copyOf(byte[] b, Arena arena) {
            MemorySegment s = alloc(b.length, arena);
            MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
            return s;
        }

        /** A zeroed segment of exactly n bytes. */
        MemorySegment alloc(long n, Arena arena) {
            return switch (this) {
                case ARRAY -> MemorySegment.ofArray(new byte[(int) n]);
                case HEAP -> MemorySegment.ofArray(new long[(int) (n / 8) + 2]).asSlice(3, n);
                case NATIVE -> arena.allocate(n + 5, 8).asSlice(1, n);
            };
        }
    }

    static Path vectorsDir() {
        String dir = System.getProperty("jwg.vectors.dir");
        Path p = dir != null ? Path.of(dir) : Path.of("../../shared/vectors");
        if (!Files.isDirectory(p)) {
            p = Path.of("../shared/vectors");
        }
        return p;
    }

    /** Minimal JSON reader (objects, arrays, strings, numbers, literals) for the vector files. */
    static Object parseJson(String text) {
        return new Json(text).value();
    }

    private static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"':
                    return string();
                default:
                    int start = i;
                    while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
                        i++;
                    }
                    String lit = s.substring(start, i);
                    return switch (lit) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        case "null" -> null;
                        default -> Double.parseDouble(lit);
                    };
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalStateException("expected '" + c + "' at " + i);
            }
            i++;
        }
    }
}
