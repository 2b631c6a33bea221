package io.jwg.crypto;

import static io.jwg.crypto.ChaCha20.LE_INT;
import static io.jwg.crypto.ChaCha20.SIGMA_0;
import static io.jwg.crypto.ChaCha20.SIGMA_1;
import static io.jwg.crypto.ChaCha20.SIGMA_2;
import static io.jwg.crypto.ChaCha20.SIGMA_3;
import static jdk.incubator.vector.VectorOperators.ROL;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.io.IOException;
import java.io.InputStream;
import java.lang.constant.ConstantDescs;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * ChaCha20 keystream with the Vector API, one block per lane: with the 512-bit species 16 blocks are
 * computed at once (8 with 256-bit, 4 with 128-bit). The state is kept "transposed": vector
 * {@code x[i]} holds state word i of every block, so a quarter round is 12 whole-vector operations
 * and no lane ever talks to another. After the rounds an in-register transpose (log2(lanes) stages
 * of two-vector lane selects) turns the words of each block back into memory order, and the
 * keystream is XORed straight from the registers into the data, a masked byte vector for the
 * ragged end: no keystream buffer, nothing allocated, nothing shared, so all entry points are
 * thread-safe. A lane's block number is never reused within a call: each chunk produces
 * {@code LANES * 64} bytes of keystream and the counter advances by exactly the blocks produced.
 *
 * <p>The species is {@code static final} so C2 compiles the kernel for one shape. It is read once
 * from system property {@value #SPECIES_PROPERTY} = {@code 128 | 256 | 512 | preferred} (default
 * preferred, {@link IntVector#SPECIES_PREFERRED}). Tests exercise every species in one JVM through
 * {@link #specialised}, which loads this same bytecode again as a hidden class whose class data is
 * another species. The byte layout assumes a little-endian platform ({@link #SUPPORTED}).
 */
public final class ChaCha20Vector {

    /** System property choosing the species: 128, 256, 512 or preferred. */
    public static final String SPECIES_PROPERTY = "jwg.chacha.species";

    /** The species in use (see the class comment). */
    static final VectorSpecies<Integer> SPECIES = chooseSpecies();
    /** Blocks per chunk. */
    static final int LANES = SPECIES.length();
    private static final int VBYTES = SPECIES.vectorByteSize();
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, SPECIES.vectorShape());
    /** True where lane bytes are little-endian, which the in-register keystream layout relies on. */
    static final boolean SUPPORTED = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private static final IntVector IOTA = IntVector.zero(SPECIES).addIndex(1);
    // Transpose stage b swaps the off-diagonal b x b sub-blocks of every 2b x 2b block of the
    // (word x lane) matrix: rows r and r+b (r & b == 0) exchange lanes through these selectors.
    private static final IntVector LO1 = selector(1, false), HI1 = selector(1, true);
    private static final IntVector LO2 = selector(2, false), HI2 = selector(2, true);
    private static final IntVector LO4 = selector(4, false), HI4 = selector(4, true);
    private static final IntVector LO8 = selector(8, false), HI8 = selector(8, true);

    static final int MODE_XOR = 0;
    static final int MODE_SEAL = 1;
    static final int MODE_OPEN = 2;

    private ChaCha20Vector() {
    }

    @SuppressWarnings("unchecked")
    private static VectorSpecies<Integer> chooseSpecies() {
        try {
            VectorSpecies<Integer> given = MethodHandles.classData(MethodHandles.lookup(), ConstantDescs.DEFAULT_NAME, VectorSpecies.class);
            if (given != null) {
                return given;
            }
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
        return speciesFor(System.getProperty(SPECIES_PROPERTY, "preferred"));
    }

    /** Maps a property value to a species; unknown values fail loudly at class initialisation. */
    static VectorSpecies<Integer> speciesFor(String value) {
        return switch (value.trim()) {
            case "128" -> IntVector.SPECIES_128;
            case "256" -> IntVector.SPECIES_256;
            case "512" -> IntVector.SPECIES_512;
            case "preferred", "" -> IntVector.SPECIES_PREFERRED;
            default -> throw new IllegalArgumentException(SPECIES_PROPERTY + " must be 128, 256, 512 or preferred, not " + value);
        };
    }

    private static IntVector selector(int b, boolean high) {
        int l = SPECIES.length();
        int[] idx = new int[l];
        for (int lane = 0; lane < l; lane++) {
            boolean left = (lane & b) == 0;
            idx[lane] = high ? (left ? lane + b : l + lane) : (left ? lane : l + lane - b);
            idx[lane] &= 2 * l - 1; // stages wider than the vector are never used; keep indexes legal
        }
        return IntVector.fromArray(SPECIES, idx, 0);
    }

    /**
     * Loads this class's bytecode again as a hidden class whose {@link #SPECIES} is {@code species},
     * so one JVM can run the kernel at every vector size. Returns a lookup on the copy.
     */
    static MethodHandles.Lookup specialised(VectorSpecies<Integer> species) {
        try (InputStream in = ChaCha20Vector.class.getResourceAsStream("ChaCha20Vector.class")) {
            byte[] bytes = in.readAllBytes();
            return MethodHandles.lookup().defineHiddenClassWithClassData(bytes, species, true);
        } catch (IOException | IllegalAccessException e) {
            throw new IllegalStateException("cannot specialise ChaCha20Vector for " + species, e);
        }
    }

    /**
     * Encrypts or decrypts: {@code dst = src XOR keystream(key, nonce)} starting at block
     * {@code counter} (RFC 8439 §2.4); same contract as {@link ChaCha20#xor}.
     */
    public static void xor(MemorySegment key, int counter, MemorySegment nonce, MemorySegment src, MemorySegment dst) {
        if (key.byteSize() != ChaCha20.KEY_LENGTH || nonce.byteSize() != ChaCha20.NONCE_LENGTH || dst.byteSize() < src.byteSize()) {
            throw new IllegalArgumentException("need a 32-byte key, a 12-byte nonce and dst at least as long as src");
        }
        run(MODE_XOR, key.get(LE_INT, 0), key.get(LE_INT, 4), key.get(LE_INT, 8), key.get(LE_INT, 12),
                key.get(LE_INT, 16), key.get(LE_INT, 20), key.get(LE_INT, 24), key.get(LE_INT, 28),
                counter, nonce.get(LE_INT, 0), nonce.get(LE_INT, 4), nonce.get(LE_INT, 8),
                MemorySegment.NULL, 0, 0, src, 0, dst, 0, src.byteSize());
    }

    /**
     * The kernel. {@link #MODE_XOR}: keystream XOR of {@code len} bytes from block {@code counter}.
     * {@link #MODE_SEAL} / {@link #MODE_OPEN}: the AEAD of RFC 8439 §2.8 ({@code counter} unused):
     * the first chunk's lane 0 is block 0, whose first 32 bytes are the Poly1305 key; the body starts
     * at block 1. Seal encrypts then writes the tag at {@code dst[dstOff+len]}; open first verifies
     * the tag at {@code src[srcOff+len]} over the ciphertext, and returns false before writing
     * anything when it does not match. Arguments are trusted (checked by the public callers).
     */
    static boolean run(int mode, int k0, int k1, int k2, int k3, int k4, int k5, int k6, int k7,
                       int counter, int n0, int n1, int n2,
                       MemorySegment aad, long aadOff, long aadLen,
                       MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
        final boolean aead = mode != MODE_XOR;
        if (!aead && len == 0) {
            return true;
        }
        long r0 = 0, r1 = 0, s0 = 0, s1 = 0;
        long pos = 0;
        int ctr = aead ? 0 : counter;
        int skip = aead ? 1 : 0;
        do {
            IntVector x0 = IntVector.broadcast(SPECIES, SIGMA_0), x1 = IntVector.broadcast(SPECIES, SIGMA_1);
            IntVector x2 = IntVector.broadcast(SPECIES, SIGMA_2), x3 = IntVector.broadcast(SPECIES, SIGMA_3);
            IntVector x4 = IntVector.broadcast(SPECIES, k0), x5 = IntVector.broadcast(SPECIES, k1);
            IntVector x6 = IntVector.broadcast(SPECIES, k2), x7 = IntVector.broadcast(SPECIES, k3);
            IntVector x8 = IntVector.broadcast(SPECIES, k4), x9 = IntVector.broadcast(SPECIES, k5);
            IntVector x10 = IntVector.broadcast(SPECIES, k6), x11 = IntVector.broadcast(SPECIES, k7);
            final IntVector ctrs = IOTA.add(ctr);
            IntVector x12 = ctrs, x13 = IntVector.broadcast(SPECIES, n0);
            IntVector x14 = IntVector.broadcast(SPECIES, n1), x15 = IntVector.broadcast(SPECIES, n2);
            for (int i = 0; i < ChaCha20.DOUBLE_ROUNDS; i++) {
                // column round
                x0 = x0.add(x4); x12 = x12.lanewise(XOR, x0).lanewise(ROL, 16);
                x1 = x1.add(x5); x13 = x13.lanewise(XOR, x1).lanewise(ROL, 16);
                x2 = x2.add(x6); x14 = x14.lanewise(XOR, x2).lanewise(ROL, 16);
                x3 = x3.add(x7); x15 = x15.lanewise(XOR, x3).lanewise(ROL, 16);
                x8 = x8.add(x12); x4 = x4.lanewise(XOR, x8).lanewise(ROL, 12);
                x9 = x9.add(x13); x5 = x5.lanewise(XOR, x9).lanewise(ROL, 12);
                x10 = x10.add(x14); x6 = x6.lanewise(XOR, x10).lanewise(ROL, 12);
                x11 = x11.add(x15); x7 = x7.lanewise(XOR, x11).lanewise(ROL, 12);
                x0 = x0.add(x4); x12 = x12.lanewise(XOR, x0).lanewise(ROL, 8);
                x1 = x1.add(x5); x13 = x13.lanewise(XOR, x1).lanewise(ROL, 8);
                x2 = x2.add(x6); x14 = x14.lanewise(XOR, x2).lanewise(ROL, 8);
                x3 = x3.add(x7); x15 = x15.lanewise(XOR, x3).lanewise(ROL, 8);
                x8 = x8.add(x12); x4 = x4.lanewise(XOR, x8).lanewise(ROL, 7);
                x9 = x9.add(x13); x5 = x5.lanewise(XOR, x9).lanewise(ROL, 7);
                x10 = x10.add(x14); x6 = x6.lanewise(XOR, x10).lanewise(ROL, 7);
                x11 = x11.add(x15); x7 = x7.lanewise(XOR, x11).lanewise(ROL, 7);
                // diagonal round
                x0 = x0.add(x5); x15 = x15.lanewise(XOR, x0).lanewise(ROL, 16);
                x1 = x1.add(x6); x12 = x12.lanewise(XOR, x1).lanewise(ROL, 16);
                x2 = x2.add(x7); x13 = x13.lanewise(XOR, x2).lanewise(ROL, 16);
                x3 = x3.add(x4); x14 = x14.lanewise(XOR, x3).lanewise(ROL, 16);
                x10 = x10.add(x15); x5 = x5.lanewise(XOR, x10).lanewise(ROL, 12);
                x11 = x11.add(x12); x6 = x6.lanewise(XOR, x11).lanewise(ROL, 12);
                x8 = x8.add(x13); x7 = x7.lanewise(XOR, x8).lanewise(ROL, 12);
                x9 = x9.add(x14); x4 = x4.lanewise(XOR, x9).lanewise(ROL, 12);
                x0 = x0.add(x5); x15 = x15.lanewise(XOR, x0).lanewise(ROL, 8);
                x1 = x1.add(x6); x12 = x12.lanewise(XOR, x1).lanewise(ROL, 8);
                x2 = x2.add(x7); x13 = x13.lanewise(XOR, x2).lanewise(ROL, 8);
                x3 = x3.add(x4); x14 = x14.lanewise(XOR, x3).lanewise(ROL, 8);
                x10 = x10.add(x15); x5 = x5.lanewise(XOR, x10).lanewise(ROL, 7);
                x11 = x11.add(x12); x6 = x6.lanewise(XOR, x11).lanewise(ROL, 7);
                x8 = x8.add(x13); x7 = x7.lanewise(XOR, x8).lanewise(ROL, 7);
                x9 = x9.add(x14); x4 = x4.lanewise(XOR, x9).lanewise(ROL, 7);
            }
            // feed-forward
            x0 = x0.add(SIGMA_0); x1 = x1.add(SIGMA_1); x2 = x2.add(SIGMA_2); x3 = x3.add(SIGMA_3);
            x4 = x4.add(k0); x5 = x5.add(k1); x6 = x6.add(k2); x7 = x7.add(k3);
            x8 = x8.add(k4); x9 = x9.add(k5); x10 = x10.add(k6); x11 = x11.add(k7);
            x12 = x12.add(ctrs); x13 = x13.add(n0); x14 = x14.add(n1); x15 = x15.add(n2);
            if (skip != 0) {
                // RFC 8439 §2.6: the Poly1305 key is the first 32 bytes of block 0 (lane 0)
                r0 = (x0.lane(0) & 0xffffffffL) | ((long) x1.lane(0) << 32);
                r1 = (x2.lane(0) & 0xffffffffL) | ((long) x3.lane(0) << 32);
                s0 = (x4.lane(0) & 0xffffffffL) | ((long) x5.lane(0) << 32);
                s1 = (x6.lane(0) & 0xffffffffL) | ((long) x7.lane(0) << 32);
                if (mode == MODE_OPEN
                        && !Poly1305.aead(r0, r1, s0, s1, aad, aadOff, aadLen, src, srcOff, len, src, srcOff + len, true)) {
                    return false;
                }
            }
            // transpose each LANES x LANES group of words so that vectors hold blocks
            if (LANES > 8) {
                IntVector t;
                t = LO8.selectFrom(x0, x8); x8 = HI8.selectFrom(x0, x8); x0 = t;
                t = LO8.selectFrom(x1, x9); x9 = HI8.selectFrom(x1, x9); x1 = t;
                t = LO8.selectFrom(x2, x10); x10 = HI8.selectFrom(x2, x10); x2 = t;
                t = LO8.selectFrom(x3, x11); x11 = HI8.selectFrom(x3, x11); x3 = t;
                t = LO8.selectFrom(x4, x12); x12 = HI8.selectFrom(x4, x12); x4 = t;
                t = LO8.selectFrom(x5, x13); x13 = HI8.selectFrom(x5, x13); x5 = t;
                t = LO8.selectFrom(x6, x14); x14 = HI8.selectFrom(x6, x14); x6 = t;
                t = LO8.selectFrom(x7, x15); x15 = HI8.selectFrom(x7, x15); x7 = t;
            }
            if (LANES > 4) {
                IntVector t;
                t = LO4.selectFrom(x0, x4); x4 = HI4.selectFrom(x0, x4); x0 = t;
                t = LO4.selectFrom(x1, x5); x5 = HI4.selectFrom(x1, x5); x1 = t;
                t = LO4.selectFrom(x2, x6); x6 = HI4.selectFrom(x2, x6); x2 = t;
                t = LO4.selectFrom(x3, x7); x7 = HI4.selectFrom(x3, x7); x3 = t;
                t = LO4.selectFrom(x8, x12); x12 = HI4.selectFrom(x8, x12); x8 = t;
                t = LO4.selectFrom(x9, x13); x13 = HI4.selectFrom(x9, x13); x9 = t;
                t = LO4.selectFrom(x10, x14); x14 = HI4.selectFrom(x10, x14); x10 = t;
                t = LO4.selectFrom(x11, x15); x15 = HI4.selectFrom(x11, x15); x11 = t;
            }
            IntVector t;
            t = LO2.selectFrom(x0, x2); x2 = HI2.selectFrom(x0, x2); x0 = t;
            t = LO2.selectFrom(x1, x3); x3 = HI2.selectFrom(x1, x3); x1 = t;
            t = LO2.selectFrom(x4, x6); x6 = HI2.selectFrom(x4, x6); x4 = t;
            t = LO2.selectFrom(x5, x7); x7 = HI2.selectFrom(x5, x7); x5 = t;
            t = LO2.selectFrom(x8, x10); x10 = HI2.selectFrom(x8, x10); x8 = t;
            t = LO2.selectFrom(x9, x11); x11 = HI2.selectFrom(x9, x11); x9 = t;
            t = LO2.selectFrom(x12, x14); x14 = HI2.selectFrom(x12, x14); x12 = t;
            t = LO2.selectFrom(x13, x15); x15 = HI2.selectFrom(x13, x15); x13 = t;
            t = LO1.selectFrom(x0, x1); x1 = HI1.selectFrom(x0, x1); x0 = t;
            t = LO1.selectFrom(x2, x3); x3 = HI1.selectFrom(x2, x3); x2 = t;
            t = LO1.selectFrom(x4, x5); x5 = HI1.selectFrom(x4, x5); x4 = t;
            t = LO1.selectFrom(x6, x7); x7 = HI1.selectFrom(x6, x7); x6 = t;
            t = LO1.selectFrom(x8, x9); x9 = HI1.selectFrom(x8, x9); x8 = t;
            t = LO1.selectFrom(x10, x11); x11 = HI1.selectFrom(x10, x11); x10 = t;
            t = LO1.selectFrom(x12, x13); x13 = HI1.selectFrom(x12, x13); x12 = t;
            t = LO1.selectFrom(x14, x15); x15 = HI1.selectFrom(x14, x15); x14 = t;
            // x[g*LANES + j] now holds words [g*LANES, (g+1)*LANES) of block j: chunk offset 64j + VBYTES*g.
            // Block j of this chunk goes to data offset 64 * (j - skip); block 0 of the first AEAD chunk is the key.
            long lo = 64L * skip;
            long lim = len - pos + lo;
            long sb = srcOff + pos - lo, db = dstOff + pos - lo;
            xorOut(x0, src, sb, dst, db, at(0), lo, lim);
            xorOut(x1, src, sb, dst, db, at(1), lo, lim);
            xorOut(x2, src, sb, dst, db, at(2), lo, lim);
            xorOut(x3, src, sb, dst, db, at(3), lo, lim);
            xorOut(x4, src, sb, dst, db, at(4), lo, lim);
            xorOut(x5, src, sb, dst, db, at(5), lo, lim);
            xorOut(x6, src, sb, dst, db, at(6), lo, lim);
            xorOut(x7, src, sb, dst, db, at(7), lo, lim);
            xorOut(x8, src, sb, dst, db, at(8), lo, lim);
            xorOut(x9, src, sb, dst, db, at(9), lo, lim);
            xorOut(x10, src, sb, dst, db, at(10), lo, lim);
            xorOut(x11, src, sb, dst, db, at(11), lo, lim);
            xorOut(x12, src, sb, dst, db, at(12), lo, lim);
            xorOut(x13, src, sb, dst, db, at(13), lo, lim);
            xorOut(x14, src, sb, dst, db, at(14), lo, lim);
            xorOut(x15, src, sb, dst, db, at(15), lo, lim);
            pos += 64L * (LANES - skip);
            ctr += LANES;
            skip = 0;
        } while (pos < len);
        if (mode == MODE_SEAL) {
            Poly1305.aead(r0, r1, s0, s1, aad, aadOff, aadLen, dst, dstOff, len, dst, dstOff + len, false);
        }
        return true;
    }

    /** Chunk offset of transposed vector k: block k % LANES, word group k / LANES. */
    private static long at(int k) {
        return 64L * (k % LANES) + (long) VBYTES * (k / LANES);
    }

    /** XORs keystream vector ks into the data at chunk offset rel, clipped to [lo, lim). */
    private static void xorOut(IntVector ks, MemorySegment src, long sb, MemorySegment dst, long db, long rel, long lo, long lim) {
        if (rel < lo) {
            return;
        }
        if (rel + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + rel, ByteOrder.LITTLE_ENDIAN).lanewise(XOR, ks)
                    .intoMemorySegment(dst, db + rel, ByteOrder.LITTLE_ENDIAN);
        } else if (rel < lim) {
            VectorMask<Byte> m = BYTES.indexInRange(0L, lim - rel);
            ByteVector.fromMemorySegment(BYTES, src, sb + rel, ByteOrder.LITTLE_ENDIAN, m).lanewise(XOR, ks.reinterpretAsBytes())
                    .intoMemorySegment(dst, db + rel, ByteOrder.LITTLE_ENDIAN, m);
        }
    }
}
