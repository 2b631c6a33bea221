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
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * ChaCha20 keystream with the Vector API. Each 128-bit group of lanes holds one row (4 words) of
 * one block, so a vector of the 512-bit species carries a row of 4 blocks, and the 16-word state
 * of those blocks is 4 vectors {@code a, b, c, d}. A quarter round runs on whole vectors; the
 * diagonal round rotates the words of b, c, d inside each 128-bit group (RFC 8439 §2.3's
 * "diagonal" made into a column). Two such states run interleaved for instruction-level
 * parallelism: a chunk is {@code BLOCKS} = 8 blocks with 512-bit vectors (4 with 256, 2 with 128).
 * After the rounds a 4x4 transpose of 128-bit groups puts each block's 64 bytes into memory order
 * and the keystream is XORed from the registers straight into the data: no keystream buffer,
 * nothing allocated, nothing shared, so every entry point is thread-safe; the vector the end of
 * the data cuts through is XORed with a byte mask. Counters are never reused: chunk i uses blocks {@code [first + i*BLOCKS,
 * first + (i+1)*BLOCKS)} and each block's keystream is used once.
 *
 * <p>Why not one block per lane (16 "transposed" word vectors, 16 blocks per chunk)? It was built
 * and measured first: its chunk method is so large that C1 bails out of it ("out of virtual
 * registers") and tiered compilation then stayed at level 2 without Vector API intrinsics (200 KB
 * allocated per packet), and C2 took over 8 s to compile it on this machine; it also computes 32
 * blocks for a 1420-byte packet that needs 24. This layout has half the code and no waste at MTU
 * sizes, at ~20% more vector operations per block.
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
    /** Lanes per vector. */
    static final int LANES = SPECIES.length();
    /** Blocks per vector: one per 128-bit group. */
    private static final int PER_VECTOR = LANES / 4;
    /** Blocks per chunk: two interleaved states. */
    static final int BLOCKS = 2 * PER_VECTOR;
    private static final long CHUNK = 64L * BLOCKS;
    private static final int VBYTES = SPECIES.vectorByteSize();
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, SPECIES.vectorShape());
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** True where lane bytes are little-endian, which the in-register keystream layout relies on. */
    static final boolean SUPPORTED = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** Block number within the vector in word 0 of each group (the counter word), 0 elsewhere. */
    private static final IntVector BLOCK_IN_VECTOR = IntVector.fromArray(SPECIES, blockIndex(), 0);
    private static final VectorMask<Integer> WORD1 = wordMask(1), WORD2 = wordMask(2), WORD3 = wordMask(3);
    /** Rotate the 4 words of every 128-bit group left by 1, 2, 3 positions. */
    private static final VectorShuffle<Integer> ROT1 = rotation(1), ROT2 = rotation(2), ROT3 = rotation(3);
    // 4x4 transpose of 128-bit groups (only used when a vector holds 2 or 4 blocks): see chunk()
    private static final IntVector PAIR_LO = pairs(0), PAIR_HI = pairs(1), HALF_LO = halves(0), HALF_HI = halves(1);

    static final int MODE_XOR = 0;
    static final int MODE_SEAL = 1;
    static final int MODE_OPEN = 2;

    private ChaCha20Vector() {
    }

    private static int[] blockIndex() {
        int[] v = new int[LANES];
        for (int i = 0; i < LANES; i += 4) {
            v[i] = i / 4;
        }
        return v;
    }

    private static VectorMask<Integer> wordMask(int word) {
        boolean[] m = new boolean[LANES];
        for (int i = 0; i < LANES; i++) {
            m[i] = (i & 3) == word;
        }
        return VectorMask.fromArray(SPECIES, m, 0);
    }

    private static VectorShuffle<Integer> rotation(int by) {
        int[] idx = new int[LANES];
        for (int i = 0; i < LANES; i++) {
            idx[i] = (i & ~3) | ((i + by) & 3);
        }
        return VectorShuffle.fromArray(SPECIES, idx, 0);
    }

    /**
     * Two-vector selectors over 128-bit groups. pairs(h): groups [x(2h), y(2h), x(2h+1), y(2h+1)]
     * of (x, y) for 4-group vectors, [x(h), y(h)] for 2-group vectors. halves(h): groups
     * [x(2h), x(2h+1), y(2h), y(2h+1)] (4-group vectors only).
     */
    private static IntVector pairs(int h) {
        int[] idx = new int[LANES];
        int groups = PER_VECTOR;
        for (int g = 0; g < groups; g++) {
            int srcGroup = groups == 4 ? 2 * h + g / 2 : h;
            int fromY = groups == 4 ? g & 1 : g;
            for (int w = 0; w < 4; w++) {
                idx[4 * g + w] = (fromY * LANES + 4 * srcGroup + w) & (2 * LANES - 1);
            }
        }
        return IntVector.fromArray(SPECIES, idx, 0);
    }

    private static IntVector halves(int h) {
        int[] idx = new int[LANES];
        int groups = PER_VECTOR;
        for (int g = 0; g < groups; g++) {
            int fromY = g / 2;
            int srcGroup = 2 * h + (g & 1);
            for (int w = 0; w < 4; w++) {
                idx[4 * g + w] = (fromY * LANES + 4 * srcGroup + w) & (2 * LANES - 1);
            }
        }
        return IntVector.fromArray(SPECIES, idx, 0);
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

    /**
     * Loads this class's bytecode again as a hidden class whose {@link #SPECIES} is {@code species},
     * so one JVM can run the kernel at every vector size. Returns a lookup on the copy.
     */
    static MethodHandles.Lookup specialised(VectorSpecies<Integer> species) {
        return specialised(ChaCha20Vector.class, species);
    }

    /**
     * Loads {@code c}'s bytecode (a class of this package that reads its species from class data,
     * as this class and {@link Poly1305} do) again as a hidden class with {@code species} as class data.
     */
    static MethodHandles.Lookup specialised(Class<?> c, VectorSpecies<?> species) {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            byte[] bytes = in.readAllBytes();
            return MethodHandles.lookup().defineHiddenClassWithClassData(bytes, species, true);
        } catch (IOException | IllegalAccessException e) {
            throw new IllegalStateException("cannot specialise " + c.getSimpleName() + " for " + species, e);
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
     * <p>The chunk holding block 0 is where the Poly1305 key appears, so open runs it first and
     * seal last, once the whole ciphertext exists. Arguments are trusted (checked by the callers).
     */
    static boolean run(int mode, int k0, int k1, int k2, int k3, int k4, int k5, int k6, int k7,
                       int counter, int n0, int n1, int n2,
                       MemorySegment aad, long aadOff, long aadLen,
                       MemorySegment src, long srcOff, MemorySegment dst, long dstOff, long len) {
        final long lead = mode == MODE_XOR ? 0 : 64;      // key block before the body
        final int first = mode == MODE_XOR ? counter : 0; // counter of chunk 0's first block
        final long end = len + lead;                      // end of the data in keystream bytes
        // chunk i covers keystream bytes [i*CHUNK, (i+1)*CHUNK) = body bytes shifted by lead
        if (mode == MODE_OPEN && !chunk(MODE_OPEN, k0, k1, k2, k3, k4, k5, k6, k7, first, n0, n1, n2,
                aad, aadOff, aadLen, src, srcOff - lead, dst, dstOff - lead, Math.min(end, CHUNK), len)) {
            return false;
        }
        int ctr = first + BLOCKS;
        for (long c = CHUNK; c < end; c += CHUNK, ctr += BLOCKS) {
            chunk(MODE_XOR, k0, k1, k2, k3, k4, k5, k6, k7, ctr, n0, n1, n2,
                    aad, aadOff, aadLen, src, srcOff + c - lead, dst, dstOff + c - lead, Math.min(end - c, CHUNK), len);
        }
        if (mode != MODE_OPEN && end > 0) {
            chunk(mode, k0, k1, k2, k3, k4, k5, k6, k7, first, n0, n1, n2,
                    aad, aadOff, aadLen, src, srcOff - lead, dst, dstOff - lead, Math.min(end, CHUNK), len);
        }
        return true;
    }

    /**
     * One chunk: blocks {@code ctr .. ctr+BLOCKS-1}; keystream byte i is XORed into byte i relative
     * to {@code sb}/{@code db} for every i below {@code lim} (the vector that lim cuts through with
     * a byte mask).
     * In the AEAD modes block 0 is the Poly1305 key and is not XORed; open verifies the tag over
     * {@code src[sb+64, +len)} first, seal writes the tag after its XOR.
     */
    private static boolean chunk(int mode, int k0, int k1, int k2, int k3, int k4, int k5, int k6, int k7,
                                 int ctr, int n0, int n1, int n2, MemorySegment aad, long aadOff, long aadLen,
                                 MemorySegment src, long sb, MemorySegment dst, long db, long lim, long len) {
        // Built here rather than taken from a static final vector: a constant box entering the loop
        // phi cannot be merged with the loop's computed vectors, and C2 then allocates a box per iteration.
        final IntVector a0 = IntVector.broadcast(SPECIES, SIGMA_0).blend(SIGMA_1, WORD1).blend(SIGMA_2, WORD2).blend(SIGMA_3, WORD3);
        final IntVector b0 = IntVector.broadcast(SPECIES, k0).blend(k1, WORD1).blend(k2, WORD2).blend(k3, WORD3);
        final IntVector c0 = IntVector.broadcast(SPECIES, k4).blend(k5, WORD1).blend(k6, WORD2).blend(k7, WORD3);
        final IntVector dA = BLOCK_IN_VECTOR.add(ctr).blend(n0, WORD1).blend(n1, WORD2).blend(n2, WORD3);
        final IntVector dB = dA.add(IntVector.broadcast(SPECIES, PER_VECTOR).blend(0, WORD1.or(WORD2).or(WORD3)));
        IntVector a = a0, b = b0, c = c0, d = dA;     // state A: blocks ctr .. ctr+PER_VECTOR-1
        IntVector e = a0, f = b0, g = c0, h = dB;     // state B: the next PER_VECTOR blocks
        for (int i = 0; i < ChaCha20.DOUBLE_ROUNDS; i++) {
            // column round, both states
            a = a.add(b); d = d.lanewise(XOR, a).lanewise(ROL, 16);
            e = e.add(f); h = h.lanewise(XOR, e).lanewise(ROL, 16);
            c = c.add(d); b = b.lanewise(XOR, c).lanewise(ROL, 12);
            g = g.add(h); f = f.lanewise(XOR, g).lanewise(ROL, 12);
            a = a.add(b); d = d.lanewise(XOR, a).lanewise(ROL, 8);
            e = e.add(f); h = h.lanewise(XOR, e).lanewise(ROL, 8);
            c = c.add(d); b = b.lanewise(XOR, c).lanewise(ROL, 7);
            g = g.add(h); f = f.lanewise(XOR, g).lanewise(ROL, 7);
            // diagonals into columns
            b = b.rearrange(ROT1); c = c.rearrange(ROT2); d = d.rearrange(ROT3);
            f = f.rearrange(ROT1); g = g.rearrange(ROT2); h = h.rearrange(ROT3);
            // diagonal round, both states
            a = a.add(b); d = d.lanewise(XOR, a).lanewise(ROL, 16);
            e = e.add(f); h = h.lanewise(XOR, e).lanewise(ROL, 16);
            c = c.add(d); b = b.lanewise(XOR, c).lanewise(ROL, 12);
            g = g.add(h); f = f.lanewise(XOR, g).lanewise(ROL, 12);
            a = a.add(b); d = d.lanewise(XOR, a).lanewise(ROL, 8);
            e = e.add(f); h = h.lanewise(XOR, e).lanewise(ROL, 8);
            c = c.add(d); b = b.lanewise(XOR, c).lanewise(ROL, 7);
            g = g.add(h); f = f.lanewise(XOR, g).lanewise(ROL, 7);
            // and back
            b = b.rearrange(ROT3); c = c.rearrange(ROT2); d = d.rearrange(ROT1);
            f = f.rearrange(ROT3); g = g.rearrange(ROT2); h = h.rearrange(ROT1);
        }
        // feed-forward
        a = a.add(a0); b = b.add(b0); c = c.add(c0); d = d.add(dA);
        e = e.add(a0); f = f.add(b0); g = g.add(c0); h = h.add(dB);
        long r0 = 0, r1 = 0, s0 = 0, s1 = 0;
        if (mode != MODE_XOR) {
            // RFC 8439 §2.6: the Poly1305 key is the first 32 bytes of block 0: row a and row b of group 0
            r0 = (a.lane(0) & 0xffffffffL) | ((long) a.lane(1) << 32);
            r1 = (a.lane(2) & 0xffffffffL) | ((long) a.lane(3) << 32);
            s0 = (b.lane(0) & 0xffffffffL) | ((long) b.lane(1) << 32);
            s1 = (b.lane(2) & 0xffffffffL) | ((long) b.lane(3) << 32);
            if (mode == MODE_OPEN
                    && !Poly1305.aead(r0, r1, s0, s1, aad, aadOff, aadLen, src, sb + 64, len, src, sb + 64 + len, true)) {
                return false;
            }
        }
        // Memory order. A vector holds group (row) r of PER_VECTOR blocks; block j's 64 bytes are
        // rows a, b, c, d of group j. 4 blocks per vector: pair up (a,b) and (c,d) groups, then halves.
        IntVector o0, o1, o2, o3, o4, o5, o6, o7;
        if (PER_VECTOR == 4) {
            IntVector ab0 = PAIR_LO.selectFrom(a, b), ab1 = PAIR_HI.selectFrom(a, b);   // a0 b0 a1 b1 | a2 b2 a3 b3
            IntVector cd0 = PAIR_LO.selectFrom(c, d), cd1 = PAIR_HI.selectFrom(c, d);
            o0 = HALF_LO.selectFrom(ab0, cd0); o1 = HALF_HI.selectFrom(ab0, cd0);         // block 0, block 1
            o2 = HALF_LO.selectFrom(ab1, cd1); o3 = HALF_HI.selectFrom(ab1, cd1);         // block 2, block 3
            IntVector ef0 = PAIR_LO.selectFrom(e, f), ef1 = PAIR_HI.selectFrom(e, f);
            IntVector gh0 = PAIR_LO.selectFrom(g, h), gh1 = PAIR_HI.selectFrom(g, h);
            o4 = HALF_LO.selectFrom(ef0, gh0); o5 = HALF_HI.selectFrom(ef0, gh0);
            o6 = HALF_LO.selectFrom(ef1, gh1); o7 = HALF_HI.selectFrom(ef1, gh1);
        } else if (PER_VECTOR == 2) {
            o0 = PAIR_LO.selectFrom(a, b); o1 = PAIR_LO.selectFrom(c, d);                  // block 0
            o2 = PAIR_HI.selectFrom(a, b); o3 = PAIR_HI.selectFrom(c, d);                  // block 1
            o4 = PAIR_LO.selectFrom(e, f); o5 = PAIR_LO.selectFrom(g, h);
            o6 = PAIR_HI.selectFrom(e, f); o7 = PAIR_HI.selectFrom(g, h);
        } else {
            o0 = a; o1 = b; o2 = c; o3 = d; o4 = e; o5 = f; o6 = g; o7 = h;                 // already in order
        }
        // o_k sits at chunk offset k * VBYTES; XOR every whole vector below lim (block 0 of an AEAD
        // chunk is the key: offsets below lo are skipped), then the one lim cuts, masked
        final long lo = mode == MODE_XOR ? 0 : 64;
        if (lo <= 0 && VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb, LE).lanewise(XOR, o0).intoMemorySegment(dst, db, LE);
        }
        if (lo <= VBYTES && 2L * VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + VBYTES, LE).lanewise(XOR, o1).intoMemorySegment(dst, db + VBYTES, LE);
        }
        if (lo <= 2L * VBYTES && 3L * VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + 2L * VBYTES, LE).lanewise(XOR, o2).intoMemorySegment(dst, db + 2L * VBYTES, LE);
        }
        if (lo <= 3L * VBYTES && 4L * VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + 3L * VBYTES, LE).lanewise(XOR, o3).intoMemorySegment(dst, db + 3L * VBYTES, LE);
        }
        if (5L * VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + 4L * VBYTES, LE).lanewise(XOR, o4).intoMemorySegment(dst, db + 4L * VBYTES, LE);
        }
        if (6L * VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + 5L * VBYTES, LE).lanewise(XOR, o5).intoMemorySegment(dst, db + 5L * VBYTES, LE);
        }
        if (7L * VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + 6L * VBYTES, LE).lanewise(XOR, o6).intoMemorySegment(dst, db + 6L * VBYTES, LE);
        }
        if (8L * VBYTES <= lim) {
            IntVector.fromMemorySegment(SPECIES, src, sb + 7L * VBYTES, LE).lanewise(XOR, o7).intoMemorySegment(dst, db + 7L * VBYTES, LE);
        }
        final long cut = lim % VBYTES;
        if (cut != 0) {
            final long at = lim - cut;
            final IntVector ks = switch ((int) (at / VBYTES)) {
                case 0 -> o0; case 1 -> o1; case 2 -> o2; case 3 -> o3;
                case 4 -> o4; case 5 -> o5; case 6 -> o6; default -> o7;
            };
            final VectorMask<Byte> m = BYTES.indexInRange(0L, cut);
            ByteVector.fromMemorySegment(BYTES, src, sb + at, LE, m).lanewise(XOR, ks.reinterpretAsBytes())
                    .intoMemorySegment(dst, db + at, LE, m);
        }
        if (mode == MODE_SEAL) {
            Poly1305.aead(r0, r1, s0, s1, aad, aadOff, aadLen, dst, db + 64, len, dst, db + 64 + len, false);
        }
        return true;
    }
}
