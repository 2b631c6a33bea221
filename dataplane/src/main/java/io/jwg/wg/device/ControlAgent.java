package io.jwg.wg.device;

import io.jwg.wg.core.DeviceCore;
import io.jwg.wg.core.NanoClock;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.pipeline.Agent;
import io.jwg.wg.pipeline.ControlProxy;
import io.jwg.wg.pipeline.DataPathContext;
import io.jwg.wg.pipeline.PeerPipeline;
import io.jwg.wg.rx.HandshakeJob;
import io.jwg.wg.rx.HandshakeQueue;
import java.util.function.IntSupplier;

/**
 * The control agent: handshake worker and timer conductor on one thread, so the single-threaded
 * protocol core is driven from one place while the data path runs on its own threads. Consumes, in
 * each duty cycle and up to fixed limits: handshake messages from the bounded {@link HandshakeQueue}
 * (reporting the queue depth to the core's load detector first, which decides "under load" and thus
 * cookie replies), peer requests from the {@link ControlProxy} (start a handshake, send staged
 * packets, send a keepalive), and the core's timers when their earliest deadline is due (at least
 * every tick period). Everything it sends leaves through its own {@link ControlSender}.
 */
public final class ControlAgent implements Agent {
    private static final int HANDSHAKES_PER_CYCLE = 64;
    private static final int REQUESTS_PER_CYCLE = 256;
    private static final long MTU_CHECK_PERIOD_NS = 1_000_000_000L;

    private final DeviceCore core;
    private final HandshakeQueue handshakes;
    private final ControlProxy proxy;
    private final ControlSender out;
    private final CoreHooks hooks;
    private final NanoClock clock;
    private final long tickPeriodNs;
    private final DataPathContext ctx;
    private final IntSupplier mtuProbe;
    private long nextMtuCheckNs;
    private volatile long nextTickNs;
    private long handshakesProcessed;

    ControlAgent(final DeviceCore core, final HandshakeQueue handshakes, final ControlProxy proxy,
                 final ControlSender out, final CoreHooks hooks, final NanoClock clock, final long tickPeriodNs,
                 final DataPathContext ctx, final IntSupplier mtuProbe) {
        this.ctx = ctx;
        this.mtuProbe = mtuProbe;
        this.core = core;
        this.handshakes = handshakes;
        this.proxy = proxy;
        this.out = out;
        this.hooks = hooks;
        this.clock = clock;
        this.tickPeriodNs = tickPeriodNs;
        this.nextTickNs = clock.nanoTime();
    }

    @Override
    public int doWork() {
        final long nowNs = clock.nanoTime();
        int work = 0;
        for (int i = 0; i < HANDSHAKES_PER_CYCLE; i++) {
            final HandshakeJob job = handshakes.poll();
            if (job == null) {
                break;
            }
            core.loadDetector().underLoad(handshakes.depth(), nowNs);
            core.onDatagram(job.message(), 0, job.length(), job.source(), nowNs, out);
            handshakes.recycle(job);
            handshakesProcessed++;
            work++;
        }
        for (int i = 0; i < REQUESTS_PER_CYCLE; i++) {
            final PeerPipeline p = proxy.poll();
            if (p == null) {
                break;
            }
            onRequests(p, p.takeRequests(), nowNs);
            work++;
        }
        if (nowNs - nextTickNs >= 0) {
            final long next = core.tick(nowNs, out);
            final long periodic = nowNs + tickPeriodNs;
            nextTickNs = next == Long.MAX_VALUE || next - periodic > 0 ? periodic : next;
            sweepRequests(nowNs);
            checkMtu(nowNs);
            work++;
        }
        out.flush();
        return work;
    }

    private void onRequests(final PeerPipeline p, final int bits, final long nowNs) {
        final Peer peer = p.peer();
        if (bits == 0 || peer.isRemoved()) {
            return;
        }
        if ((bits & PeerPipeline.REQUEST_KEEPALIVE) != 0) {
            peer.staged().stageKeepaliveIfEmpty();
        }
        if ((bits & (PeerPipeline.REQUEST_FLUSH_STAGED | PeerPipeline.REQUEST_KEEPALIVE)) != 0) {
            hooks.sendStaged(peer, nowNs, out);
        }
        if ((bits & PeerPipeline.REQUEST_HANDSHAKE) != 0) {
            hooks.initiateHandshake(peer, nowNs, out);
        }
    }

    /**
     * Picks up requests left pending on peers when the proxy's queue was full (a request only
     * queues the peer on its first bit).
     */
    private void sweepRequests(final long nowNs) {
        for (final Peer peer : core.peers()) {
            final PeerPipeline p = PeerPipeline.of(peer);
            if (p != null && p.pendingRequests() != 0) {
                onRequests(p, p.takeRequests(), nowNs);
            }
        }
    }

    /** Follows the interface MTU (wg-quick sets it after the device starts); at most once a second. */
    private void checkMtu(final long nowNs) {
        if (mtuProbe == null || nowNs - nextMtuCheckNs < 0) {
            return;
        }
        nextMtuCheckNs = nowNs + MTU_CHECK_PERIOD_NS;
        final int m = mtuProbe.getAsInt();
        if (m > 0 && m != ctx.mtu()) {
            ctx.mtu(m);
            core.setMtu(m);
        }
    }

    /** Whether a timer tick is due; for the idle strategy's work check (any thread, racy). */
    boolean tickDue() {
        return clock.nanoTime() - nextTickNs >= 0;
    }

    /** Handshake messages processed so far (racy read). */
    public long handshakesProcessed() {
        return handshakesProcessed;
    }

    @Override
    public void onClose() {
        out.close();
    }

    @Override
    public String roleName() {
        return "jwg-control";
    }
}
