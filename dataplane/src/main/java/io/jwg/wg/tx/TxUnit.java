package io.jwg.wg.tx;

import io.jwg.crypto.ChaCha20Poly1305;
import io.jwg.wg.noise.Keypair;
import io.jwg.wg.pipeline.PeerPipeline;
import io.jwg.wg.pipeline.Unit;
import io.jwg.wg.pipeline.UnitPool;
import io.jwg.wg.protocol.TransportMessage;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Outbound unit: up to {@code capacity} plaintext packets of one peer, all to be sealed under one
 * keypair with consecutive counters. Filled by a {@link TxStager} owner (TUN reader or control
 * agent), sealed by one crypto worker, released in order to a {@link UdpSender}.
 *
 * <p>Packet {@code i}'s plaintext is at {@code offsets()[i]} of the TX slab with
 * {@link TransportMessage#HEADER_LENGTH} bytes of headroom before it; {@link #crypt()} zero-pads
 * it, writes the header into the headroom and seals in place, after which {@code lengths()[i]} is the
 * padded length and the datagram is {@link #datagramOffset}/{@link #datagramLength}.
 *
 * <p>The unit holds a reference on its keypair ({@link Keypair#tryRetain()}) from nonce assignment
 * until recycling, so the keys cannot be wiped while it is in flight.
 */
public final class TxUnit extends Unit {
    /** {@link Unit#kind()} of outbound units. */
    public static final int KIND = 0;

    private final MemorySegment slab;
    private PeerPipeline peer;
    private Keypair keypair;
    private int mtu;
    private int dataPackets;
    private long wireBytes;
    private boolean presealed;

    /** Creates an empty unit over {@code slab} returning to {@code pool}. */
    public TxUnit(final UnitPool<TxUnit> pool, final int capacity, final MemorySegment slab) {
        super(KIND, capacity, pool);
        this.slab = slab;
    }

    /**
     * Binds the filled unit to its peer and keypair (already retained for this unit) and assigns
     * consecutive counters from {@code firstCounter}; stager only, before enqueueing.
     */
    void assign(final PeerPipeline p, final Keypair k, final long firstCounter, final int mtuBytes) {
        this.peer = p;
        this.keypair = k;
        this.mtu = mtuBytes;
        final long[] ctr = counters();
        final int[] len = lengths();
        int data = 0;
        for (int i = 0; i < count(); i++) {
            ctr[i] = firstCounter + i;
            if (len[i] > 0) {
                data++;
            }
        }
        this.dataPackets = data;
    }

    /**
     * Fills this one-packet unit with a transport datagram the protocol core already sealed (staged
     * packets and keepalives the control thread sends), copied into the unit's own slot, so it takes
     * its place in the peer's ordered queue behind every earlier unit; stager owner only. The slot
     * must have {@link TransportMessage#HEADER_LENGTH} bytes of headroom before
     * {@code slotDataOffset}.
     */
    public void preseal(final PeerPipeline p, final long slotDataOffset, final MemorySegment src, final long off,
                 final int length) {
        MemorySegment.copy(src, off, slab, slotDataOffset - TransportMessage.HEADER_LENGTH, length);
        offsets()[0] = slotDataOffset;
        lengths()[0] = length - TransportMessage.OVERHEAD;
        counters()[0] = TransportMessage.counter(slab, slotDataOffset - TransportMessage.HEADER_LENGTH);
        count(1);
        this.peer = p;
        this.presealed = true;
        this.wireBytes = length;
        this.dataPackets = length > TransportMessage.OVERHEAD ? 1 : 0;
    }

    /**
     * Whether the unit carries datagrams sealed (and accounted for: bytes, timers) by the protocol
     * core; the sender only transmits them.
     */
    public boolean presealed() {
        return presealed;
    }

    /** Sets the peer only (for a unit that dies before a keypair is assigned). */
    void peer(final PeerPipeline p) {
        this.peer = p;
    }

    /** The slab the packets live in. */
    public MemorySegment slab() {
        return slab;
    }

    /** The peer. */
    public PeerPipeline peer() {
        return peer;
    }

    /** The keypair sealing this unit, or null before assignment. */
    public Keypair keypair() {
        return keypair;
    }

    /** Non-keepalive packets in the unit. */
    public int dataPackets() {
        return dataPackets;
    }

    /** Offset of packet {@code i}'s datagram (header first) after sealing. */
    public long datagramOffset(final int i) {
        return offsets()[i] - TransportMessage.HEADER_LENGTH;
    }

    /** Length of packet {@code i}'s datagram after sealing. */
    public int datagramLength(final int i) {
        return lengths()[i] + TransportMessage.OVERHEAD;
    }

    /** Sum of datagram lengths after sealing. */
    public long wireBytes() {
        return wireBytes;
    }

    @Override
    protected int crypt() {
        final Keypair k = keypair;
        if (presealed) {
            return CRYPTED;
        }
        if (k == null) {
            return DEAD;
        }
        final MemorySegment s = slab;
        final long[] off = offsets();
        final int[] len = lengths();
        final long[] ctr = counters();
        final int n = count();
        final int remoteIndex = k.remoteIndex();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            final long o = off[i];
            final int plain = len[i];
            final int padded = TransportMessage.paddedLength(plain, mtu);
            for (long z = o + plain, end = o + padded; z < end; z++) {
                s.set(ValueLayout.JAVA_BYTE, z, (byte) 0);
            }
            TransportMessage.putHeader(s, o - TransportMessage.HEADER_LENGTH, remoteIndex, ctr[i]);
            len[i] = padded;
            bytes += padded + TransportMessage.OVERHEAD;
        }
        ChaCha20Poly1305.sealBatch(k.sendKey(), s, off, len, ctr, n);
        wireBytes = bytes;
        return CRYPTED;
    }

    @Override
    protected void onRecycle() {
        final Keypair k = keypair;
        keypair = null;
        peer = null;
        dataPackets = 0;
        wireBytes = 0;
        presealed = false;
        if (k != null) {
            k.release();
        }
    }
}
