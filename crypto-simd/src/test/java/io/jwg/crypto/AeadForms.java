package io.jwg.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Runs one ChaCha20-Poly1305 case through every public form: general API over each segment kind,
 * out of place and in place; the WireGuard-counter forms, byte[] forms and the in-place data-path
 * forms whenever the nonce is WireGuard-shaped (4 zero bytes then a little-endian counter).
 */
final class AeadForms {

    private AeadForms() {
    }

    static boolean isWireGuardNonce(byte[] nonce) {
        return nonce.length == 12 && nonce[0] == 0 && nonce[1] == 0 && nonce[2] == 0 && nonce[3] == 0;
    }

    static long counterOf(byte[] nonce) {
        return MemorySegment.ofArray(nonce).get(ChaCha20.LE_LONG, 4);
    }

    /** Asserts every seal form gives {@code expected} (ct||tag) and every open form gives back pt. */
    static void checkValid(byte[] key, byte[] nonce, byte[] aad, byte[] pt, byte[] expected, String what) {
        try (Arena arena = Arena.ofConfined()) {
            for (AeadTestSupport.Kind kind : AeadTestSupport.Kind.values()) {
                String w = what + " [" + kind + "]";
                MemorySegment k = kind.copyOf(key, arena), n = kind.copyOf(nonce, arena), a = kind.copyOf(aad, arena);
                // out of place
                MemorySegment src = kind.copyOf(pt, arena), dst = kind.alloc(pt.length + 16, arena);
                ChaCha20Poly1305.seal(k, n, a, src, dst);
                assertArrayEquals(expected, bytes(dst), w + " seal");
                MemorySegment back = kind.alloc(pt.length, arena);
                assertTrue(ChaCha20Poly1305.open(k, n, a, dst, back), w + " open");
                assertArrayEquals(pt, bytes(back), w + " open");
                // in place: the same memory as src and dst
                MemorySegment buf = kind.alloc(pt.length + 16, arena);
                MemorySegment.copy(pt, 0, buf, ValueLayout.JAVA_BYTE, 0, pt.length);
                ChaCha20Poly1305.seal(k, n, a, buf.asSlice(0, pt.length), buf);
                assertArrayEquals(expected, bytes(buf), w + " seal in place");
                assertTrue(ChaCha20Poly1305.open(k, n, a, buf, buf.asSlice(0, pt.length)), w + " open in place");
                assertArrayEquals(pt, Arrays.copyOf(bytes(buf), pt.length), w + " open in place");
                if (isWireGuardNonce(nonce)) {
                    long c = counterOf(nonce);
                    ChaCha20Poly1305.seal(k, c, a, src, dst);
                    assertArrayEquals(expected, bytes(dst), w + " seal(counter)");
                    assertTrue(ChaCha20Poly1305.open(k, c, a, dst, back), w + " open(counter)");
                    assertArrayEquals(pt, bytes(back), w + " open(counter)");
                    if (aad.length == 0) {
                        MemorySegment slab = kind.alloc(pt.length + 16 + 3, arena);
                        MemorySegment.copy(pt, 0, slab, ValueLayout.JAVA_BYTE, 3, pt.length);
                        ChaCha20Poly1305.sealInPlace(k, c, slab, 3, pt.length);
                        assertArrayEquals(expected, Arrays.copyOfRange(bytes(slab), 3, 3 + pt.length + 16), w + " sealInPlace");
                        assertTrue(ChaCha20Poly1305.openInPlace(k, c, slab, 3, pt.length + 16), w + " openInPlace");
                        assertArrayEquals(pt, Arrays.copyOfRange(bytes(slab), 3, 3 + pt.length), w + " openInPlace");
                    }
                }
            }
            if (isWireGuardNonce(nonce)) {
                long c = counterOf(nonce);
                byte[] dst = new byte[pt.length + 16 + 5];
                byte[] src = new byte[pt.length + 2];
                System.arraycopy(pt, 0, src, 2, pt.length);
                ChaCha20Poly1305.seal(key, c, aad.length == 0 ? null : aad, src, 2, pt.length, dst, 5);
                assertArrayEquals(expected, Arrays.copyOfRange(dst, 5, 5 + pt.length + 16), what + " seal(byte[])");
                byte[] back = new byte[pt.length + 1];
                assertTrue(ChaCha20Poly1305.open(key, c, aad, dst, 5, pt.length + 16, back, 1), what + " open(byte[])");
                assertArrayEquals(pt, Arrays.copyOfRange(back, 1, 1 + pt.length), what + " open(byte[])");
            }
        }
    }

    /** Asserts every open form refuses {@code ctAndTag} and leaves the destination untouched. */
    static void checkInvalid(byte[] key, byte[] nonce, byte[] aad, byte[] ctAndTag, String what) {
        try (Arena arena = Arena.ofConfined()) {
            for (AeadTestSupport.Kind kind : AeadTestSupport.Kind.values()) {
                String w = what + " [" + kind + "]";
                MemorySegment k = kind.copyOf(key, arena), n = kind.copyOf(nonce, arena), a = kind.copyOf(aad, arena);
                MemorySegment src = kind.copyOf(ctAndTag, arena);
                int ptLen = Math.max(ctAndTag.length - 16, 0);
                MemorySegment dst = kind.alloc(ptLen, arena);
                dst.fill((byte) 0x5a);
                assertFalse(ChaCha20Poly1305.open(k, n, a, src, dst), w + " open");
                for (byte b : bytes(dst)) {
                    assertEquals((byte) 0x5a, b, w + " dst touched");
                }
                if (isWireGuardNonce(nonce)) {
                    long c = counterOf(nonce);
                    assertFalse(ChaCha20Poly1305.open(k, c, a, src, dst), w + " open(counter)");
                    if (aad.length == 0) {
                        MemorySegment buf = kind.copyOf(ctAndTag, arena);
                        assertFalse(ChaCha20Poly1305.openInPlace(k, c, buf, 0, ctAndTag.length), w + " openInPlace");
                        assertArrayEquals(ctAndTag, bytes(buf), w + " openInPlace touched the buffer");
                    }
                }
            }
            if (isWireGuardNonce(nonce)) {
                byte[] back = new byte[Math.max(ctAndTag.length - 16, 0)];
                assertFalse(ChaCha20Poly1305.open(key, counterOf(nonce), aad, ctAndTag, 0, ctAndTag.length, back, 0), what + " open(byte[])");
            }
        }
    }

    static byte[] bytes(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }
}
