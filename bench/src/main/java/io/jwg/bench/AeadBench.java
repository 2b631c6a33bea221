package io.jwg.bench;

import io.jwg.crypto.ChaCha20Poly1305;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ChaCha20-Poly1305 seal/open of one packet: jwg (in place, native segment, WireGuard nonce),
 * the JDK's {@code Cipher("ChaCha20-Poly1305")} and BouncyCastle, each with a fresh nonce per
 * sealed packet as a real sender must use (the JDK refuses nonce reuse for encryption). Open
 * decrypts one valid packet repeatedly; jwg's open first copies the sealed packet into the
 * buffer (it decrypts in place), the peers decrypt into a separate array. Ops/s; bytes/s =
 * ops/s * size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
public class AeadBench {

    @Param({"64", "256", "1420", "8192"})
    public int size;

    @Param({"jwg", "jdk", "bc"})
    public String impl;

    private Arena arena;
    private MemorySegment key;
    private MemorySegment buf;
    private MemorySegment sealedSeg;
    private byte[] keyBytes;
    private byte[] plain;
    private byte[] out;
    private byte[] sealed;
    private long counter;
    private final byte[] nonce = new byte[12];
    private Cipher cipher;
    private SecretKeySpec jdkKey;
    private org.bouncycastle.crypto.modes.ChaCha20Poly1305 bc;
    private KeyParameter bcKey;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Random rnd = new Random(42);
        keyBytes = new byte[32];
        rnd.nextBytes(keyBytes);
        plain = new byte[size];
        rnd.nextBytes(plain);
        out = new byte[size + 16];
        arena = Arena.ofConfined();
        key = arena.allocate(32, 64);
        MemorySegment.copy(MemorySegment.ofArray(keyBytes), 0, key, 0, 32);
        buf = arena.allocate(size + 16, 64);
        MemorySegment.copy(MemorySegment.ofArray(plain), 0, buf, 0, size);
        cipher = Cipher.getInstance("ChaCha20-Poly1305");
        jdkKey = new SecretKeySpec(keyBytes, "ChaCha20");
        bc = new org.bouncycastle.crypto.modes.ChaCha20Poly1305();
        bcKey = new KeyParameter(keyBytes);
        // one valid packet for open, sealed with counter 7
        sealed = new byte[size + 16];
        ChaCha20Poly1305.seal(keyBytes, 7, null, plain, 0, size, sealed, 0);
        sealedSeg = arena.allocate(size + 16, 64);
        MemorySegment.copy(MemorySegment.ofArray(sealed), 0, sealedSeg, 0, size + 16);
        counter = 1000;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    private byte[] nonce(long c) {
        ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN).putLong(4, c);
        return nonce;
    }

    @Benchmark
    public Object seal() throws Exception {
        long c = counter++;
        switch (impl) {
            case "jwg" -> {
                ChaCha20Poly1305.sealInPlace(key, c, buf, 0, size);
                return buf;
            }
            case "jdk" -> {
                cipher.init(Cipher.ENCRYPT_MODE, jdkKey, new IvParameterSpec(nonce(c)));
                cipher.doFinal(plain, 0, size, out, 0);
                return out;
            }
            default -> {
                bc.init(true, new ParametersWithIV(bcKey, nonce(c)));
                int n = bc.processBytes(plain, 0, size, out, 0);
                bc.doFinal(out, n);
                return out;
            }
        }
    }

    @Benchmark
    public boolean open() throws Exception {
        switch (impl) {
            case "jwg" -> {
                MemorySegment.copy(sealedSeg, 0, buf, 0, size + 16);
                return ChaCha20Poly1305.openInPlace(key, 7, buf, 0, size + 16);
            }
            case "jdk" -> {
                cipher.init(Cipher.DECRYPT_MODE, jdkKey, new IvParameterSpec(nonce(7)));
                return cipher.doFinal(sealed, 0, size + 16, out, 0) == size;
            }
            default -> {
                bc.init(false, new ParametersWithIV(bcKey, nonce(7)));
                int n = bc.processBytes(sealed, 0, size + 16, out, 0);
                try {
                    return bc.doFinal(out, n) + n == size;
                } catch (InvalidCipherTextException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
