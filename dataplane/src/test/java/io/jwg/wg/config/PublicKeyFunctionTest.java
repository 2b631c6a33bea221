package io.jwg.wg.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PublicKeyFunctionTest {

    @Test
    void shouldDeriveTheRfc7748AlicePublicKey() {
        final Key priv = Key.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        final Key pub = PublicKeyFunction.x25519().publicKey(priv);
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", pub.toHex());
        assertEquals(pub, PublicKeyFunction.x25519().publicKey(priv.clampedAsPrivateKey()));
    }
}
