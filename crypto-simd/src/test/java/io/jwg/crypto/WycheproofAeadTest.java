package io.jwg.crypto;

import static io.jwg.crypto.AeadTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every Wycheproof ChaCha20-Poly1305 and XChaCha20-Poly1305 vector. Valid: exact ct||tag and
 * decryption. Invalid: refused. A nonce of the wrong size is refused by the general API with
 * IllegalArgumentException (a programmer error, since nonces are never parsed from the wire).
 */
class WycheproofAeadTest {

    record Case(int tcId, String comment, String result, int ivBits, byte[] key, byte[] iv, byte[] aad, byte[] msg, byte[] ct, byte[] tag) {
        String what() {
            return "tcId " + tcId + " (" + comment + ")";
        }

        byte[] ctAndTag() {
            byte[] out = new byte[ct.length + tag.length];
            System.arraycopy(ct, 0, out, 0, ct.length);
            System.arraycopy(tag, 0, out, ct.length, tag.length);
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    static List<Case> load(String file) throws IOException {
        Map<String, Object> root = (Map<String, Object>) AeadTestSupport.parseJson(Files.readString(AeadTestSupport.vectorsDir().resolve(file)));
        List<Case> cases = new ArrayList<>();
        for (Object g : (List<Object>) root.get("testGroups")) {
            Map<String, Object> group = (Map<String, Object>) g;
            int ivBits = ((Double) group.get("ivSize")).intValue();
            for (Object t : (List<Object>) group.get("tests")) {
                Map<String, Object> c = (Map<String, Object>) t;
                cases.add(new Case(((Double) c.get("tcId")).intValue(), (String) c.get("comment"), (String) c.get("result"), ivBits,
                        hex((String) c.get("key")), hex((String) c.get("iv")), hex((String) c.get("aad")),
                        hex((String) c.get("msg")), hex((String) c.get("ct")), hex((String) c.get("tag"))));
            }
        }
        assertEquals(((Double) root.get("numberOfTests")).intValue(), cases.size(), file + ": numberOfTests");
        return cases;
    }

    @Test
    void chacha20Poly1305AllVectors() throws IOException {
        int valid = 0, invalid = 0, badNonce = 0;
        for (Case c : load("chacha20_poly1305_test.json")) {
            if (c.iv.length != ChaCha20Poly1305.NONCE_LENGTH) {
                assertEquals("invalid", c.result, c.what());
                MemorySegment key = MemorySegment.ofArray(c.key), nonce = MemorySegment.ofArray(c.iv);
                MemorySegment src = MemorySegment.ofArray(c.ctAndTag()), dst = MemorySegment.ofArray(new byte[c.msg.length + 16]);
                assertThrows(IllegalArgumentException.class, () -> ChaCha20Poly1305.open(key, nonce, MemorySegment.ofArray(c.aad), src, dst), c.what());
                assertThrows(IllegalArgumentException.class, () -> ChaCha20Poly1305.seal(key, nonce, MemorySegment.ofArray(c.aad),
                        MemorySegment.ofArray(c.msg), dst), c.what());
                badNonce++;
            } else if (c.result.equals("valid")) {
                AeadForms.checkValid(c.key, c.iv, c.aad, c.msg, c.ctAndTag(), c.what());
                valid++;
            } else {
                AeadForms.checkInvalid(c.key, c.iv, c.aad, c.ctAndTag(), c.what());
                invalid++;
            }
        }
        assertEquals(256, valid);
        assertEquals(60, invalid);
        assertEquals(9, badNonce);
    }

    @Test
    void xchacha20Poly1305AllVectors() throws IOException {
        int valid = 0, invalid = 0, badNonce = 0;
        for (Case c : load("xchacha20_poly1305_test.json")) {
            byte[] aad = c.aad.length == 0 ? null : c.aad;
            if (c.iv.length != XChaCha20Poly1305.NONCE_LENGTH) {
                assertEquals("invalid", c.result, c.what());
                assertThrows(IllegalArgumentException.class,
                        () -> XChaCha20Poly1305.open(c.key, c.iv, aad, c.ctAndTag(), 0, c.ctAndTag().length, new byte[c.msg.length + 16], 0), c.what());
                assertThrows(IllegalArgumentException.class,
                        () -> XChaCha20Poly1305.seal(c.key, c.iv, aad, c.msg, 0, c.msg.length, new byte[c.msg.length + 16], 0), c.what());
                badNonce++;
            } else if (c.result.equals("valid")) {
                byte[] out = new byte[c.msg.length + 16 + 3];
                XChaCha20Poly1305.seal(c.key, c.iv, aad, c.msg, 0, c.msg.length, out, 3);
                assertArrayEquals(c.ctAndTag(), java.util.Arrays.copyOfRange(out, 3, out.length), c.what());
                byte[] back = new byte[c.msg.length];
                assertTrue(XChaCha20Poly1305.open(c.key, c.iv, aad, out, 3, c.msg.length + 16, back, 0), c.what());
                assertArrayEquals(c.msg, back, c.what());
                // segment form, native, in place
                try (var arena = java.lang.foreign.Arena.ofConfined()) {
                    MemorySegment buf = AeadTestSupport.Kind.NATIVE.alloc(c.msg.length + 16, arena);
                    MemorySegment.copy(c.msg, 0, buf, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, c.msg.length);
                    MemorySegment k = AeadTestSupport.Kind.NATIVE.copyOf(c.key, arena), n = AeadTestSupport.Kind.NATIVE.copyOf(c.iv, arena);
                    MemorySegment a = AeadTestSupport.Kind.NATIVE.copyOf(c.aad, arena);
                    XChaCha20Poly1305.seal(k, n, a, buf.asSlice(0, c.msg.length), buf);
                    assertArrayEquals(c.ctAndTag(), AeadForms.bytes(buf), c.what() + " native in place");
                    assertTrue(XChaCha20Poly1305.open(k, n, a, buf, buf.asSlice(0, c.msg.length)), c.what());
                    assertArrayEquals(c.msg, AeadForms.bytes(buf.asSlice(0, c.msg.length)), c.what());
                }
                valid++;
            } else {
                byte[] back = new byte[Math.max(0, c.ct.length)];
                java.util.Arrays.fill(back, (byte) 7);
                assertFalse(XChaCha20Poly1305.open(c.key, c.iv, aad, c.ctAndTag(), 0, c.ctAndTag().length, back, 0), c.what());
                for (byte b : back) {
                    assertEquals(7, b, c.what() + " dst touched");
                }
                invalid++;
            }
        }
        assertEquals(246, valid);
        assertEquals(60, invalid);
        assertEquals(9, badNonce);
    }
}
