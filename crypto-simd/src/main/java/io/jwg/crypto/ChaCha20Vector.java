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
import jdk.incubator.vector.IntVector;
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
    /** Keystream bytes per chunk. */
    private static final long CHUNK = 64L * LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    // Chunk offset of transposed vector k (see run): block k % LANES, word group k / LANES.
    private static final long A0 = at(0);
    private static final long A1 = at(1);
    private static final long A2 = at(2);
    private static final long A3 = at(3);
    private static final long A4 = at(4);
    private static final long A5 = at(5);
    private static final long A6 = at(6);
    private static final long A7 = at(7);
    private static final long A8 = at(8);
    private static final long A9 = at(9);
    private static final long A10 = at(10);
    private static final long A11 = at(11);
    private static final long A12 = at(12);
    private static final long A13 = at(13);
    private static final long A14 = at(14);
    private static final long A15 = at(15);

    private static long at(int k) {
        return 64L * (k % LANES) + (long) VBYTES * (k / LANES);
    }
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
     * Keystream XOR ({@link #MODE_XOR}: {@code len} bytes from block {@code counter}) or the AEAD of
     * RFC 8439 §2.8 ({@link #MODE_SEAL}, {@link #MODE_OPEN}; {@code counter} unused): block 0 is the
     * Poly1305 key, the body starts at block 1. Seal encrypts, then writes the tag at
     * {@code dst[dstOff+len]}; open first verifies the tag at {@code src[srcOff+len]} over the
     * ciphertext and returns false before writing anything when it does not match.
     *
     * <p>Whole blocks go through {@link #chunk}, {@code LANES} blocks per call; the last partial
     * block (len % 64 bytes) through the scalar {@link ChaCha20}. The first AEAD chunk (the one
     * holding block 0) is where the Poly1305 key appears, so open runs it first and seal last, once
     * the whole ciphertext exists. Arguments are trusted (checked by the public callers).
     */
    static boolean run(int mode, int k0, int k1, int k2, int k3, int k4, int k5, int k6, int k7,
                       int counter, int n0, int n1, int n2,
                       MemorySegment aad, long aadOff, long aadLen,
                       MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
        final int skip = mode == MODE_XOR ? 0 : 1;      // blocks before the body
        final int first = mode == MODE_XOR ? counter : 0; // counter of the first block computed
        final long whole = len & ~63L;                 // body bytes in whole blocks
        if (mode == MODE_OPEN && !chunk(MODE_OPEN, k0, k1, k2, k3, k4, k5, k6, k7, 0, n0, n1, n2, aad, aadOff, aadLen,
                src, srcOff - 64, dst, dstOff - 64, Math.min(whole + 64, CHUNK), len)) {
            return false;
        }
        // chunks after the first: chunk c covers body bytes [c*CHUNK - 64*skip, (c+1)*CHUNK - 64*skip)
        for (long c = CHUNK - 64L * skip; c < whole; c += CHUNK) {
            chunk(MODE_XOR, k0, k1, k2, k3, k4, k5, k6, k7, first + (int) ((c >>> 6) + skip), n0, n1, n2, aad, aadOff, aadLen,
                    src, srcOff + c, dst, dstOff + c, Math.min(whole - c, CHUNK), len);
        }
        if (whole != len) { // the partial last block
            ChaCha20.xor(k0, k1, k2, k3, k4, k5, k6, k7, first + (int) (whole >>> 6) + skip, n0, n1, n2,
                    src, srcOff + whole, dst, dstOff + whole, len - whole);
        }
        if (mode == MODE_SEAL) {
            chunk(MODE_SEAL, k0, k1, k2, k3, k4, k5, k6, k7, 0, n0, n1, n2, aad, aadOff, aadLen,
                    src, srcOff - 64, dst, dstOff - 64, Math.min(whole + 64, CHUNK), len);
        } else if (mode == MODE_XOR && skip == 0 && whole > 0) {
            chunk(MODE_XOR, k0, k1, k2, k3, k4, k5, k6, k7, first, n0, n1, n2, aad, aadOff, aadLen,
                    src, srcOff, dst, dstOff, Math.min(whole, CHUNK), len);
        }
        return true;
    }

    /**
     * One chunk: {@code LANES} blocks from counter {@code ctr}; block j's keystream is XORed into
     * {@code [64j, 64j+64)} relative to {@code sb}/{@code db} for every whole block below {@code lim}.
     * In the AEAD modes {@code ctr} is 0, block 0 (lane 0) is the Poly1305 key and is not XORed;
     * open verifies the tag over {@code src[sb+64, +len)} first, seal writes it after the XOR.
     */
    private static boolean chunk(int mode, int k0, int k1, int k2, int k3, int k4, int k5, int k6, int k7,
                                 int ctr, int n0, int n1, int n2, MemorySegment aad, long aadOff, long aadLen,
                                 MemorySegment src, long sb, MemorySegment dst, long db, long lim, long len) {
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
    long r0 = 0, r1 = 0, s0 = 0, s1 = 0;
        if (mode != MODE_XOR) {
            // RFC 8439 §2.6: the Poly1305 key is the first 32 bytes of block 0 (lane 0)
            r0 = (x0.lane(0) & 0xffffffffL) | ((long) x1.lane(0) << 32);
            r1 = (x2.lane(0) & 0xffffffffL) | ((long) x3.lane(0) << 32);
            s0 = (x4.lane(0) & 0xffffffffL) | ((long) x5.lane(0) << 32);
            s1 = (x6.lane(0) & 0xffffffffL) | ((long) x7.lane(0) << 32);
            if (mode == MODE_OPEN
                    && !Poly1305.aead(r0, r1, s0, s1, aad, aadOff, aadLen, src, sb + 64, len, src, sb + 64 + len, true)) {
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
        // Whole blocks below lim; block 0 of an AEAD chunk (below lo) is the key, not keystream.
        final long lo = mode == MODE_XOR ? 0 : 64;
        if (A0 >= lo && A0 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A0, LE).lanewise(XOR, x0).intoMemorySegment(dst, db + A0, LE);
        }
        if (A1 >= lo && A1 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A1, LE).lanewise(XOR, x1).intoMemorySegment(dst, db + A1, LE);
        }
        if (A2 >= lo && A2 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A2, LE).lanewise(XOR, x2).intoMemorySegment(dst, db + A2, LE);
        }
        if (A3 >= lo && A3 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A3, LE).lanewise(XOR, x3).intoMemorySegment(dst, db + A3, LE);
        }
        if (A4 >= lo && A4 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A4, LE).lanewise(XOR, x4).intoMemorySegment(dst, db + A4, LE);
        }
        if (A5 >= lo && A5 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A5, LE).lanewise(XOR, x5).intoMemorySegment(dst, db + A5, LE);
        }
        if (A6 >= lo && A6 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A6, LE).lanewise(XOR, x6).intoMemorySegment(dst, db + A6, LE);
        }
        if (A7 >= lo && A7 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A7, LE).lanewise(XOR, x7).intoMemorySegment(dst, db + A7, LE);
        }
        if (A8 >= lo && A8 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A8, LE).lanewise(XOR, x8).intoMemorySegment(dst, db + A8, LE);
        }
        if (A9 >= lo && A9 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A9, LE).lanewise(XOR, x9).intoMemorySegment(dst, db + A9, LE);
        }
        if (A10 >= lo && A10 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A10, LE).lanewise(XOR, x10).intoMemorySegment(dst, db + A10, LE);
        }
        if (A11 >= lo && A11 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A11, LE).lanewise(XOR, x11).intoMemorySegment(dst, db + A11, LE);
        }
        if (A12 >= lo && A12 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A12, LE).lanewise(XOR, x12).intoMemorySegment(dst, db + A12, LE);
        }
        if (A13 >= lo && A13 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A13, LE).lanewise(XOR, x13).intoMemorySegment(dst, db + A13, LE);
        }
        if (A14 >= lo && A14 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A14, LE).lanewise(XOR, x14).intoMemorySegment(dst, db + A14, LE);
        }
        if (A15 >= lo && A15 + VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + A15, LE).lanewise(XOR, x15).intoMemorySegment(dst, db + A15, LE);
        }
        if (mode == MODE_SEAL) {
            Poly1305.aead(r0, r1, s0, s1, aad, aadOff, aadLen, dst, db + 64, len, dst, db + 64 + len, false);
        }
        return true;
    }
}
