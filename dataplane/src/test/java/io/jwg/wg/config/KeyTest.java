package io.jwg.wg.config;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyTest {

    private static final String HEX = "e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a";

    @Test
    void shouldRoundTripHexAndBase64AgainstTheJdkCodecsWithRandomKeys() {
        final long seed = System.nanoTime();
        final Random rnd = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            final byte[] b = new byte[32];
            rnd.nextBytes(b);
            final Key k = Key.of(b);
            final String hex = HexFormat.of().formatHex(b);
            final String b64 = Base64.getEncoder().encodeToString(b);
            assertEquals(hex, k.toHex(), "seed " + seed);
            assertEquals(b64, k.toBase64(), "seed " + seed);
            assertEquals(k, Key.parseHex(hex), "seed " + seed);
            assertEquals(k, Key.parseHex(hex.toUpperCase()), "seed " + seed);
            assertEquals(k, Key.parseBase64(b64), "seed " + seed);
            assertArrayEquals(b, k.toByteArray());
        }
    }

    @Test
    void shouldRejectMalformedHex() {
        assertNull(Key.parseHex(null));
        assertNull(Key.parseHex(""));
        assertNull(Key.parseHex(HEX.substring(1)));
        assertNull(Key.parseHex(HEX + "0"));
        assertNull(Key.parseHex(HEX.substring(0, 63) + "g"));
        assertNull(Key.parseHex(" " + HEX.substring(1)));
        assertNull(Key.parseHex(HEX.substring(0, 62) + "0x"));
        assertNull(Key.parseHex(HEX.substring(0, 63) + "\u0660")); // Arabic-Indic zero is not hex
    }

    @Test
    void shouldRejectBase64ThatWgRejects() {
        final String good = Key.parseHex(HEX).toBase64();
        assertNull(Key.parseBase64(good.substring(0, 43)));          // too short
        assertNull(Key.parseBase64(good.substring(0, 43) + "A"));    // no padding
        assertNull(Key.parseBase64(good + "="));                     // too long
        assertNull(Key.parseBase64("-" + good.substring(1)));        // URL alphabet
        assertNull(Key.parseBase64("_" + good.substring(1)));
        // the last character carries 2 spare bits that must be zero ("...AAB=" fails, "...AAE=" passes in wg)
        final String zeros = "A".repeat(42);
        assertNull(Key.parseBase64(zeros + "B="));
        assertNull(Key.parseBase64(zeros + "D="));
        assertEquals(1, Key.parseBase64(zeros + "E=").toByteArray()[31]);
        assertTrue(Key.parseBase64(zeros + "A=").isZero());
    }

    @Test
    void shouldClampAsX25519PrivateKey() {
        final byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) 0xff);
        final byte[] c = Key.of(b).clampedAsPrivateKey().toByteArray();
        assertEquals((byte) 0xf8, c[0]);
        assertEquals((byte) 0x7f, c[31]);
        assertEquals((byte) 0x40, Key.ZERO.clampedAsPrivateKey().toByteArray()[31]);
        assertEquals(Key.of(c), Key.of(c).clampedAsPrivateKey());
    }

    @Test
    void shouldCompareByValueAndNeverPrintKeyMaterial() {
        final Key a = Key.parseHex(HEX);
        final Key b = Key.parseHex(HEX.toUpperCase());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Key.ZERO);
        assertTrue(Key.ZERO.isZero());
        assertFalse(a.isZero());
        assertFalse(a.toString().contains(HEX.substring(0, 8)));
        assertFalse(a.toString().contains(a.toBase64().substring(0, 8)));
    }

    @Test
    void shouldRejectWrongLengthArrays() {
        assertThrows(IllegalArgumentException.class, () -> Key.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> Key.of(new byte[40], 9));
        assertEquals(Key.ZERO, Key.of(new byte[40], 8));
    }
}
