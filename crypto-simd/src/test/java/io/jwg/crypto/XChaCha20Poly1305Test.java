package io.jwg.crypto;

import static io.jwg.crypto.AeadTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** HChaCha20 known answer (draft-irtf-cfrg-xchacha-03 §2.2.1); the AEAD itself is covered by Wycheproof. */
class XChaCha20Poly1305Test {

    @Test
    void hchacha20Draft03Section2_2_1() {
        MemorySegment out = MemorySegment.ofArray(new byte[32]);
        HChaCha20.derive(MemorySegment.ofArray(ChaCha20Test.KEY_00_1F), MemorySegment.ofArray(hex("000000090000004a0000000031415927")), out);
        assertEquals("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc", hex(out.toArray(ValueLayout.JAVA_BYTE)));
    }
}
