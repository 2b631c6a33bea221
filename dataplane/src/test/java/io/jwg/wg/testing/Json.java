package io.jwg.wg.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal strict JSON reader for test vectors: objects become {@link Map}, arrays {@link List},
 * strings {@link String}, numbers {@link Double}, plus booleans and null. Test scope only.
 */
public final class Json {
    private final String s;
    private int pos;

    private Json(final String s) {
        this.s = s;
    }

    /** Parses a whole document. */
    public static Object parse(final String text) {
        final Json p = new Json(text);
        final Object v = p.value();
        p.ws();
        if (p.pos != p.s.length()) {
            throw p.error("trailing data");
        }
        return v;
    }

    /** Parses a file under the vectors directory (system property {@code jwg.vectors.dir}). */
    public static Map<String, Object> vector(final String fileName) throws IOException {
        final String dir = System.getProperty("jwg.vectors.dir");
        if (dir == null) {
            throw new IllegalStateException("system property jwg.vectors.dir is not set");
        }
        return obj(parse(Files.readString(Path.of(dir, fileName))));
    }

    /** Casts to an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> obj(final Object o) {
        return (Map<String, Object>) o;
    }

    /** Casts to an array. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(final Object o) {
        return (List<Object>) o;
    }

    /** Decodes a hex string member. */
    public static byte[] hex(final Map<String, Object> o, final String key) {
        return HexFormat.of().parseHex((String) o.get(key));
    }

    private Object value() {
        ws();
        if (pos >= s.length()) {
            throw error("unexpected end");
        }
        final char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                expect("true");
                return Boolean.TRUE;
            case 'f':
                expect("false");
                return Boolean.FALSE;
            case 'n':
                expect("null");
                return null;
            default:
                return number();
        }
    }

    private Map<String, Object> object() {
        final Map<String, Object> m = new LinkedHashMap<>();
        pos++;
        ws();
        if (peek() == '}') {
            pos++;
            return m;
        }
        while (true) {
            ws();
            final String k = string();
            ws();
            if (s.charAt(pos++) != ':') {
                throw error("expected ':'");
            }
            m.put(k, value());
            ws();
            final char c = s.charAt(pos++);
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array() {
        final List<Object> l = new ArrayList<>();
        pos++;
        ws();
        if (peek() == ']') {
            pos++;
            return l;
        }
        while (true) {
            l.add(value());
            ws();
            final char c = s.charAt(pos++);
            if (c == ']') {
                return l;
            }
            if (c != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        if (s.charAt(pos++) != '"') {
            throw error("expected string");
        }
        final StringBuilder sb = new StringBuilder();
        while (true) {
            final char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                final char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
    }

    private Double number() {
        final int start = pos;
        while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
        if (start == pos) {
            throw error("unexpected character");
        }
        return Double.parseDouble(s.substring(start, pos));
    }

    private void expect(final String word) {
        if (!s.startsWith(word, pos)) {
            throw error("expected " + word);
        }
        pos += word.length();
    }

    private char peek() {
        return s.charAt(pos);
    }

    private void ws() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(final String what) {
        return new IllegalArgumentException(what + " at offset " + pos);
    }
}
