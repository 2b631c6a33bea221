package io.jwg.bench;

import io.jwg.crypto.Blake2s;
import io.jwg.crypto.HmacBlake2s;
import io.jwg.crypto.Kdf;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * BLAKE2s-256 hash (32/128/1024 B), HMAC-BLAKE2s of 32 B and WireGuard's KDF2 over a 32-byte
 * input (the handshake's shapes), jwg vs BouncyCastle's {@code Blake2sDigest} /
 * {@code HMac(Blake2sDigest(256))}; one thread, ops/s, reused state objects on both sides.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar Blake2sBench -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Blake2sBench {

    /** State of the plain hash benchmark: implementation and input size. */
    @State(Scope.Thread)
    public static class HashState {
        @Param({"jwg", "bc"})
        public String impl;

        @Param({"32", "128", "1024"})
        public int size;

        byte[] in;
        final byte[] out = new byte[32];
        boolean jwg;
        final Blake2s ours = new Blake2s(32);
        final Blake2sDigest bc = new Blake2sDigest(256);

        @Setup
        public void setup() {
            in = new byte[size];
            new SplittableRandom(1).nextBytes(in);
            jwg = impl.equals("jwg");
        }
    }

    /** State of the HMAC and KDF benchmarks (32-byte keys and inputs, as in the handshake). */
    @State(Scope.Thread)
    public static class MacState {
        @Param({"jwg", "bc"})
        public String impl;

        final byte[] in = new byte[32];
        final byte[] key = new byte[32];
        final byte[] ck = new byte[32];
        final byte[] out = new byte[32];
        final byte[] t1 = new byte[32];
        final byte[] t2 = new byte[32];
        final byte[] prk = new byte[32];
        final byte[] block = new byte[33];
        boolean jwg;
        final HmacBlake2s hmac = new HmacBlake2s();
        final Kdf kdf = new Kdf();
        final HMac bcHmac = new HMac(new Blake2sDigest(256));

        @Setup
        public void setup() {
            SplittableRandom rnd = new SplittableRandom(2);
            rnd.nextBytes(in);
            rnd.nextBytes(key);
            rnd.nextBytes(ck);
            jwg = impl.equals("jwg");
        }

        void bcMac(byte[] k, byte[] msg, int off, int len, byte[] dst) {
            bcHmac.init(new KeyParameter(k));
            bcHmac.update(msg, off, len);
            bcHmac.doFinal(dst, 0);
        }
    }

    /** BLAKE2s-256 of {@code size} bytes. */
    @Benchmark
    public byte[] hash(HashState s) {
        if (s.jwg) {
            s.ours.reset().update(s.in, 0, s.size).doFinal(s.out, 0);
        } else {
            s.bc.update(s.in, 0, s.size);
            s.bc.doFinal(s.out, 0);
        }
        return s.out;
    }

    /** HMAC-BLAKE2s-256 of 32 bytes under a 32-byte key. */
    @Benchmark
    public byte[] hmac32(MacState s) {
        if (s.jwg) {
            s.hmac.mac(s.key, 0, 32, s.in, 0, 32, s.out, 0);
        } else {
            s.bcMac(s.key, s.in, 0, 32, s.out);
        }
        return s.out;
    }

    /** KDF2 of a 32-byte input (e.g. a DH result) under a chaining key. */
    @Benchmark
    public byte[] kdf2(MacState s) {
        if (s.jwg) {
            s.kdf.kdf2(s.ck, s.in, 0, 32, s.t1, s.t2);
        } else {
            s.bcMac(s.ck, s.in, 0, 32, s.prk);
            s.block[0] = 1;
            s.bcMac(s.prk, s.block, 0, 1, s.t1);
            System.arraycopy(s.t1, 0, s.block, 0, 32);
            s.block[32] = 2;
            s.bcMac(s.prk, s.block, 0, 33, s.t2);
        }
        return s.t2;
    }
}
