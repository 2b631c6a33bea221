package io.jwg.wg.device;

import io.jwg.crypto.X25519;
import io.jwg.wg.core.DeviceCore;
import io.jwg.wg.core.WallClock;
import io.jwg.wg.peer.Endpoint;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.peer.PeerKey;
import io.jwg.wg.routing.Prefix;
import java.util.Random;

/**
 * One in-memory jwg device for tests: a DeviceCore, a ChannelTun, a ChannelBind on a shared
 * ChannelNetwork, and the DataPlane running them.
 */
final class TestNode implements AutoCloseable {
    static final int MTU = 1420;

    final String name;
    final int outerAddress;
    final int port;
    final int innerAddress;
    final byte[] privateKey = new byte[32];
    final byte[] publicKey = new byte[32];
    final DeviceCore core;
    final ChannelTun tun;
    final ChannelBind bind;
    final ManualClock clock;
    DataPlane plane;

    TestNode(final String name, final ChannelNetwork net, final int outerAddress, final int port,
             final int innerAddress, final ManualClock clock, final long seed) {
        this.name = name;
        this.outerAddress = outerAddress;
        this.port = port;
        this.innerAddress = innerAddress;
        this.clock = clock;
        final Random random = new Random(seed);
        X25519.generatePrivateKey(random, privateKey);
        X25519.publicKey(privateKey, publicKey);
        this.core = new DeviceCore(random, WallClock.SYSTEM);
        core.setPrivateKey(privateKey);
        this.tun = new ChannelTun(name, MTU, 1024);
        this.bind = new ChannelBind(net, outerAddress, port, 1024);
    }

    /** Adds {@code other} as a peer reachable at its outer address, owning its inner /32. */
    Peer connect(final TestNode other) {
        final Peer p = core.addPeer(PeerKey.of(other.publicKey));
        core.setEndpoint(p, Endpoint.ofV4(other.outerAddress, other.port));
        core.addAllowedIp(p, Prefix.v4(other.innerAddress, 32));
        if (plane != null) {
            plane.attach(p);
        }
        return p;
    }

    Peer peerFor(final TestNode other) {
        return core.peer(PeerKey.of(other.publicKey));
    }

    void start(final PipelineSettings settings) {
        plane = new DataPlane(core, tun, bind, settings, clock, WallClock.SYSTEM);
        plane.start();
    }

    static PipelineSettings smallSettings(final int workers) {
        return smallSettings(workers, PipelineSettings.INLINE_UNIT_PACKETS_DEFAULT);
    }

    /** Small pools; {@code inlineUnitPackets} 0 forces every unit through the crypto workers. */
    static PipelineSettings smallSettings(final int workers, final int inlineUnitPackets) {
        return new PipelineSettings(workers, 8, 128, 16, 512, 64, 64, 2048, 20_000_000L, 20_000_000L, 8,
            inlineUnitPackets);
    }

    @Override
    public void close() {
        if (plane != null) {
            plane.close();
        }
        bind.close();
        tun.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
