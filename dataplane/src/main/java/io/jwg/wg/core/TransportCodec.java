package io.jwg.wg.core;

import io.jwg.crypto.ChaCha20Poly1305;
import io.jwg.wg.noise.Keypair;
import io.jwg.wg.protocol.TransportMessage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Transport data framing and sealing (whitepaper 5.4.6; kernel {@code encrypt_packet} /
 * {@code decrypt_packet}), in place and allocation-free. Stateless and thread-safe: a pipeline calls
 * these from parallel workers once counters have been assigned in order.
 *
 * <pre>
 *   buf[off +  0, off + 16)             header: type 4, receiver index, counter
 *   buf[off + 16, off + 16 + padded)    plaintext, zero-padded (paddedLength)
 *   buf[off + 16 + padded, ... + 16)    Poly1305 tag
 * </pre>
 */
public final class TransportCodec {
    private TransportCodec() {
    }

    /**
     * Bytes a buffer needs at {@code off} to encapsulate {@code plainLength} bytes:
     * {@code 16 + paddedLength + 16}.
     */
    public static int messageLength(final int plainLength, final int mtu) {
        return TransportMessage.OVERHEAD + TransportMessage.paddedLength(plainLength, mtu);
    }

    /**
     * Encapsulates the plaintext already at {@code buf[off + 16, off + 16 + plainLength)}: writes the
     * header, zero-pads to {@link TransportMessage#paddedLength}, and seals in place with the keypair's
     * sending key and {@code counter}. The buffer must hold {@link #messageLength} bytes at {@code off}.
     *
     * @return the transport message length
     */
    public static int encapsulate(final Keypair keypair, final long counter, final MemorySegment buf, final long off,
                                  final int plainLength, final int mtu) {
        final int padded = TransportMessage.paddedLength(plainLength, mtu);
        final long data = off + TransportMessage.DATA_OFFSET;
        for (long i = data + plainLength; i < data + padded; i++) {
            buf.set(ValueLayout.JAVA_BYTE, i, (byte) 0);
        }
        TransportMessage.putHeader(buf, off, keypair.remoteIndex(), counter);
        ChaCha20Poly1305.sealInPlace(keypair.sendKey(), counter, buf, data, padded);
        return TransportMessage.OVERHEAD + padded;
    }

    /**
     * Verifies and decrypts the transport message {@code buf[off, off + length)} in place with the
     * keypair's receiving key and the counter from its header; on success the padded plaintext is at
     * {@code buf[off + 16, off + length - 16)}. On failure the buffer is untouched.
     *
     * @return true if the tag verified
     */
    public static boolean decapsulate(final Keypair keypair, final MemorySegment buf, final long off, final int length) {
        return ChaCha20Poly1305.openInPlace(keypair.receiveKey(), TransportMessage.counter(buf, off), buf,
                off + TransportMessage.DATA_OFFSET, length - TransportMessage.DATA_OFFSET);
    }
}
