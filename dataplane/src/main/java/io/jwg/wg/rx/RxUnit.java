package io.jwg.wg.rx;

import io.jwg.crypto.ChaCha20Poly1305;
import io.jwg.wg.noise.Keypair;
import io.jwg.wg.pipeline.PeerPipeline;
import io.jwg.wg.pipeline.Unit;
import io.jwg.wg.pipeline.UnitPool;
import io.jwg.wg.protocol.TransportMessage;
import java.lang.foreign.MemorySegment;

/**
 * Inbound unit: up to {@code capacity} transport messages of one peer received under one keypair,
 * in arrival order. Filled by a {@link UdpReceiver}, opened by one crypto worker, released in order
 * to a {@link TunWriter}.
 *
 * <p>Packet {@code i}: {@code offsets()[i]} is the ciphertext (datagram + 16), {@code lengths()[i]}
 * the ciphertext length including the tag, {@code counters()[i]} the header's counter;
 * {@link #ok()} says which authenticated. The outer source of the last packet is kept for the
 * endpoint update (per unit, as wireguard-go updates per vector).
 */
public final class RxUnit extends Unit {
    /** {@link Unit#kind()} of inbound units. */
    public static final int KIND = 1;

    private final MemorySegment slab;
    private final int poolId;
    private final boolean[] ok;
    private PeerPipeline peer;
    private Keypair keypair;
    private long wireBytes;
    private boolean sourceV6;
    private long sourceHi;
    private long sourceLo;
    private int sourcePort;
    private boolean hasLocal;
    private long localHi;
    private long localLo;
    private int localIfIndex;

    /**
     * Creates an empty unit.
     *
     * @param poolId small id of the packet pool the slots come from (one per UDP receiver); the TUN
     *     writer keeps one write batch per pool
     */
    public RxUnit(final UnitPool<RxUnit> pool, final int capacity, final MemorySegment slab, final int poolId) {
        super(KIND, capacity, pool);
        this.slab = slab;
        this.poolId = poolId;
        this.ok = new boolean[capacity];
    }

    /** Binds the unit to its peer and keypair (already retained for it); receiver only. */
    void bind(final PeerPipeline p, final Keypair k) {
        this.peer = p;
        this.keypair = k;
    }

    /**
     * Appends one transport message at {@code datagramOffset} (its slot already swapped into
     * {@code slots()[count()]} by the receiver); receiver only. Returns its index.
     */
    int add(final long datagramOffset, final int datagramLength) {
        final int i = count();
        offsets()[i] = datagramOffset + TransportMessage.DATA_OFFSET;
        lengths()[i] = datagramLength - TransportMessage.DATA_OFFSET;
        counters()[i] = TransportMessage.counter(slab, datagramOffset);
        wireBytes += datagramLength;
        count(i + 1);
        return i;
    }

    /** Records the outer source of the latest packet; receiver only. */
    void source(final boolean v6, final long hi, final long lo, final int port) {
        sourceV6 = v6;
        sourceHi = hi;
        sourceLo = lo;
        sourcePort = port;
        hasLocal = false;
    }

    /** Records the local address the latest packet arrived on; receiver only. */
    void local(final long hi, final long lo, final int ifIndex) {
        hasLocal = true;
        localHi = hi;
        localLo = lo;
        localIfIndex = ifIndex;
    }

    /** The slab the packets live in. */
    public MemorySegment slab() {
        return slab;
    }

    /** Id of the packet pool of the slots. */
    public int poolId() {
        return poolId;
    }

    /** Per-packet authentication results, valid once the state is CRYPTED. */
    public boolean[] ok() {
        return ok;
    }

    /** The peer. */
    public PeerPipeline peer() {
        return peer;
    }

    /** The keypair the packets were received under. */
    public Keypair keypair() {
        return keypair;
    }

    /** Sum of the datagram lengths. */
    public long wireBytes() {
        return wireBytes;
    }

    /** Whether the latest source is IPv6. */
    public boolean sourceV6() {
        return sourceV6;
    }

    /** Latest source address bits 0..63 (IPv4 in the top 32 bits). */
    public long sourceHi() {
        return sourceHi;
    }

    /** Latest source address bits 64..127. */
    public long sourceLo() {
        return sourceLo;
    }

    /** Latest source port. */
    public int sourcePort() {
        return sourcePort;
    }

    /** Whether the local address of the latest packet is known. */
    public boolean hasLocal() {
        return hasLocal;
    }

    /** Local address bits 0..63. */
    public long localHi() {
        return localHi;
    }

    /** Local address bits 64..127. */
    public long localLo() {
        return localLo;
    }

    /** Local interface index. */
    public int localIfIndex() {
        return localIfIndex;
    }

    @Override
    protected int crypt() {
        final Keypair k = keypair;
        if (k == null) {
            return DEAD;
        }
        ChaCha20Poly1305.openBatch(k.receiveKey(), slab, offsets(), lengths(), counters(), count(), ok);
        return CRYPTED;
    }

    @Override
    protected void onRecycle() {
        final Keypair k = keypair;
        keypair = null;
        peer = null;
        wireBytes = 0;
        hasLocal = false;
        java.util.Arrays.fill(ok, false);
        if (k != null) {
            k.release();
        }
    }
}
