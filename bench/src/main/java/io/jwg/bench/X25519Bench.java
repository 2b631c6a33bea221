package io.jwg.bench;

import io.jwg.crypto.X25519;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
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
 * X25519 throughput (ops/s), one thread: jwg's {@link X25519} vs the JDK's XDH provider
 * ({@code KeyAgreement "X25519"} with pre-built key objects; {@code KeyPairGenerator "X25519"} for
 * public keys, which also draws 32 random bytes) vs BouncyCastle's
 * {@code org.bouncycastle.math.ec.rfc7748.X25519} (whose {@code scalarMultBase} uses a fixed-base
 * Edwards comb, not the ladder). All three compute with the same private and peer keys.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar X25519Bench -f 1 -wi 2 -i 3}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsPrepend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class X25519Bench {
    @Param({"jwg", "jdk", "bc"})
    public String impl;

    private final byte[] priv = new byte[32];
    private final byte[] peerPub = new byte[32];
    private final byte[] out = new byte[32];
    private KeyAgreement keyAgreement;
    private PrivateKey jdkPriv;
    private PublicKey jdkPeer;
    private KeyPairGenerator keyPairGenerator;

    @Setup
    public void setup() throws Exception {
        SecureRandom rnd = new SecureRandom();
        X25519.generatePrivateKey(rnd, priv);
        byte[] peerPriv = new byte[32];
        X25519.generatePrivateKey(rnd, peerPriv);
        X25519.publicKey(peerPriv, peerPub);
        if (impl.equals("jdk")) {
            KeyFactory kf = KeyFactory.getInstance("XDH");
            jdkPriv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, priv.clone()));
            byte[] be = new byte[32];
            for (int i = 0; i < 32; i++) {
                be[31 - i] = peerPub[i]; // u is little-endian on the wire; BigInteger wants big-endian
            }
            jdkPeer = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
            keyAgreement = KeyAgreement.getInstance("X25519");
            keyPairGenerator = KeyPairGenerator.getInstance("X25519");
            // Same answer as ours, or the comparison is meaningless.
            keyAgreement.init(jdkPriv);
            keyAgreement.doPhase(jdkPeer, true);
            byte[] theirs = keyAgreement.generateSecret();
            X25519.sharedSecret(priv, peerPub, out);
            if (!java.util.Arrays.equals(theirs, out)) {
                throw new IllegalStateException("JDK and jwg disagree");
            }
        }
    }

    @Benchmark
    public byte[] sharedSecret() throws Exception {
        switch (impl) {
            case "jwg" -> X25519.sharedSecret(priv, peerPub, out);
            case "jdk" -> {
                keyAgreement.init(jdkPriv);
                keyAgreement.doPhase(jdkPeer, true);
                keyAgreement.generateSecret(out, 0);
            }
            case "bc" -> org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(priv, 0, peerPub, 0, out, 0);
            default -> throw new IllegalArgumentException(impl);
        }
        return out;
    }

    @Benchmark
    public Object publicKey() {
        switch (impl) {
            case "jwg" -> X25519.publicKey(priv, out);
            case "jdk" -> {
                KeyPair kp = keyPairGenerator.generateKeyPair();
                return kp;
            }
            case "bc" -> org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(priv, 0, out, 0);
            default -> throw new IllegalArgumentException(impl);
        }
        return out;
    }
}
