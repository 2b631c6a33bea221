package io.jwg.wg.rx;

import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.protocol.InitiationMessage;
import io.jwg.wg.protocol.MessageKind;
import java.lang.foreign.MemorySegment;

/**
 * One queued handshake message (initiation, response or cookie reply) with its outer source, copied
 * out of the receive slot so the slot goes back to its pool at once. Preallocated by the
 * {@link HandshakeQueue}; owned by the receiver that fills it, then by the handshake worker, then
 * returned.
 */
public final class HandshakeJob {
    /** Largest handshake message (an initiation). */
    public static final int MAX_LENGTH = InitiationMessage.LENGTH;

    private final MemorySegment message = MemorySegment.ofArray(new byte[MAX_LENGTH]);
    private final Endpoint source = Endpoint.mutable();
    private MessageKind kind;
    private int length;
    private long receivedNs;

    HandshakeJob() {
    }

    /** Copies {@code length} bytes of a classified message and stamps the time; receiver only. */
    void fill(final MessageKind k, final MemorySegment src, final long off, final int len, final long nowNs) {
        MemorySegment.copy(src, off, message, 0, len);
        this.kind = k;
        this.length = len;
        this.receivedNs = nowNs;
    }

    /** The message bytes at offset 0. */
    public MemorySegment message() {
        return message;
    }

    /** Message length. */
    public int length() {
        return length;
    }

    /** Which handshake message it is. */
    public MessageKind kind() {
        return kind;
    }

    /** The outer source (remote address, port, local address): mutable, owned with the job. */
    public Endpoint source() {
        return source;
    }

    /** Monotonic receive time. */
    public long receivedNs() {
        return receivedNs;
    }
}
