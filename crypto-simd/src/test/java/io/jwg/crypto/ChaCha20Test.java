package io.jwg.crypto;

import static io.jwg.crypto.AeadTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 8439 known answers for the scalar ChaCha20 block function and keystream XOR. */
class ChaCha20Test {

    static final byte[] KEY_00_1F = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final byte[] SUNSCREEN = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
            + "the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @EnumSource(AeadTestSupport.Kind.class)
    void rfc8439Section2_3_2BlockFunction(AeadTestSupport.Kind kind) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = kind.alloc(64, arena);
            ChaCha20.block(kind.copyOf(KEY_00_1F, arena), 1, kind.copyOf(hex("000000090000004a00000000"), arena), out);
            assertEquals("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                    + "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e", hex(out.toArray(ValueLayout.JAVA_BYTE)));
        }
    }

    @ParameterizedTest
    @EnumSource(AeadTestSupport.Kind.class)
    void rfc8439AppendixA1Vector1ZeroKeyBlock(AeadTestSupport.Kind kind) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = kind.alloc(64, arena);
            ChaCha20.block(kind.alloc(32, arena), 0, kind.alloc(12, arena), out);
            assertEquals("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                    + "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586", hex(out.toArray(ValueLayout.JAVA_BYTE)));
        }
    }

    @ParameterizedTest
    @EnumSource(AeadTestSupport.Kind.class)
    void rfc8439Section2_4_2Encryption(AeadTestSupport.Kind kind) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = kind.copyOf(SUNSCREEN, arena);
            MemorySegment key = kind.copyOf(KEY_00_1F, arena), nonce = kind.copyOf(hex("000000000000004a00000000"), arena);
            ChaCha20.xor(key, 1, nonce, buf, buf); // in place
            String ct = "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
                    + "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
                    + "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
                    + "5af90bbf74a35be6b40b8eedf2785e42874d";
            assertEquals(ct, hex(buf.toArray(ValueLayout.JAVA_BYTE)));
            MemorySegment back = kind.alloc(SUNSCREEN.length, arena);
            ChaCha20.xor(key, 1, nonce, buf, back); // out of place
            assertEquals(hex(SUNSCREEN), hex(back.toArray(ValueLayout.JAVA_BYTE)));
        }
    }
}
