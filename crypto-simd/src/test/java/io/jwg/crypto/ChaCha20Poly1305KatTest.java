package io.jwg.crypto;

import static io.jwg.crypto.AeadTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 8439 known answers for the AEAD, each through byte[], heap-segment and native-segment forms. */
class ChaCha20Poly1305KatTest {

    @ParameterizedTest
    @EnumSource(AeadTestSupport.Kind.class)
    void rfc8439Section2_6_2PolyKeyGeneration(AeadTestSupport.Kind kind) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = kind.alloc(64, arena);
            ChaCha20.block(kind.copyOf(hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"), arena), 0,
                    kind.copyOf(hex("000000000001020304050607"), arena), out);
            assertEquals("8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646",
                    hex(Arrays.copyOf(out.toArray(ValueLayout.JAVA_BYTE), 32)));
        }
    }

    @Test
    void rfc8439Section2_8_2Aead() {
        AeadForms.checkValid(hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"),
                hex("070000004041424344454647"), hex("50515253c0c1c2c3c4c5c6c7"), ChaCha20Test.SUNSCREEN,
                hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                        + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                        + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                        + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691"), "RFC 8439 2.8.2");
    }

    static final byte[] A5_KEY = hex("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
    static final byte[] A5_NONCE = hex("000000000102030405060708");
    static final byte[] A5_AAD = hex("f33388860000000000004e91");
    static final byte[] A5_CT_TAG = hex("64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
            + "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
            + "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
            + "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
            + "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
            + "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
            + "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
            + "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
            + "a6ad5cb4022b02709beead9d67890cbb22392336fea1851f38");
    static final byte[] A5_PT = hex("496e7465726e65742d4472616674732061726520647261667420646f63756d65"
            + "6e74732076616c696420666f722061206d6178696d756d206f6620736978206d"
            + "6f6e74687320616e64206d617920626520757064617465642c207265706c6163"
            + "65642c206f72206f62736f6c65746564206279206f7468657220646f63756d65"
            + "6e747320617420616e792074696d652e20497420697320696e617070726f7072"
            + "6961746520746f2075736520496e7465726e65742d4472616674732061732072"
            + "65666572656e6365206d6174657269616c206f7220746f206369746520746865"
            + "6d206f74686572207468616e206173202fe2809c776f726b20696e2070726f67"
            + "726573732e2fe2809d");

    @Test
    void rfc8439AppendixA5Decryption() {
        // A.5's nonce is WireGuard-shaped, so this also runs the counter, byte[] and in-place forms.
        AeadForms.checkValid(A5_KEY, A5_NONCE, A5_AAD, A5_PT, A5_CT_TAG, "RFC 8439 A.5");
        byte[] forged = A5_CT_TAG.clone();
        forged[forged.length - 1] ^= 1;
        AeadForms.checkInvalid(A5_KEY, A5_NONCE, A5_AAD, forged, "RFC 8439 A.5 with a flipped tag bit");
        byte[] flippedCt = A5_CT_TAG.clone();
        flippedCt[100] ^= (byte) 0x80;
        AeadForms.checkInvalid(A5_KEY, A5_NONCE, A5_AAD, flippedCt, "RFC 8439 A.5 with a flipped ciphertext bit");
        AeadForms.checkInvalid(A5_KEY, A5_NONCE, A5_AAD, Arrays.copyOf(A5_CT_TAG, 15), "RFC 8439 A.5 shorter than a tag");
    }

    @Test
    void emptyPlaintextHasOnlyATag() {
        byte[] key = new byte[32];
        byte[] out = new byte[16];
        ChaCha20Poly1305.seal(key, 0, null, new byte[0], 0, 0, out, 0);
        assertEquals(true, ChaCha20Poly1305.open(key, 0, null, out, 0, 16, new byte[0], 0));
    }

    @Test
    void wrongNonceLengthIsAProgrammerError() {
        MemorySegment key = MemorySegment.ofArray(new byte[32]);
        MemorySegment src = MemorySegment.ofArray(new byte[20]);
        MemorySegment dst = MemorySegment.ofArray(new byte[36]);
        for (int n : new int[] {0, 8, 11, 13, 16, 24}) {
            MemorySegment nonce = MemorySegment.ofArray(new byte[n]);
            assertThrows(IllegalArgumentException.class, () -> ChaCha20Poly1305.seal(key, nonce, null, src, dst));
            assertThrows(IllegalArgumentException.class, () -> ChaCha20Poly1305.open(key, nonce, null, dst, src));
        }
    }

    @Test
    void partialOverlapIsAProgrammerError() {
        MemorySegment key = MemorySegment.ofArray(new byte[32]);
        MemorySegment nonce = MemorySegment.ofArray(new byte[12]);
        try (Arena arena = Arena.ofConfined()) {
            for (MemorySegment buf : new MemorySegment[] {MemorySegment.ofArray(new byte[100]), arena.allocate(100)}) {
                assertThrows(IllegalArgumentException.class,
                        () -> ChaCha20Poly1305.seal(key, nonce, null, buf.asSlice(0, 40), buf.asSlice(1, 56)));
                assertThrows(IllegalArgumentException.class,
                        () -> ChaCha20Poly1305.open(key, nonce, null, buf.asSlice(1, 56), buf.asSlice(0, 40)));
                ChaCha20Poly1305.seal(key, nonce, null, buf.asSlice(0, 40), buf.asSlice(40, 56)); // disjoint is fine
            }
        }
        byte[] arr = new byte[100];
        assertThrows(IllegalArgumentException.class, () -> ChaCha20Poly1305.seal(arr, 0, null, arr, 0, 40, arr, 8));
    }

    @Test
    void dstTooSmallIsAProgrammerError() {
        MemorySegment key = MemorySegment.ofArray(new byte[32]);
        assertThrows(IllegalArgumentException.class, () -> ChaCha20Poly1305.seal(key, 1L, null,
                MemorySegment.ofArray(new byte[10]), MemorySegment.ofArray(new byte[25])));
        assertThrows(IllegalArgumentException.class, () -> ChaCha20Poly1305.sealInPlace(key, 1L,
                MemorySegment.ofArray(new byte[25]), 0, 10));
        byte[] buf = new byte[26];
        ChaCha20Poly1305.sealInPlace(key, 1L, MemorySegment.ofArray(buf), 0, 10); // fits exactly
        assertEquals(true, ChaCha20Poly1305.openInPlace(key, 1L, MemorySegment.ofArray(buf), 0, 26));
        assertArrayEquals(new byte[10], Arrays.copyOf(buf, 10));
    }
}
