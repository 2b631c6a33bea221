package io.jwg.wg.device;

import io.jwg.wg.core.DeviceCore;
import io.jwg.wg.core.NanoClock;
import io.jwg.wg.peer.Peer;
import io.jwg.wg.pipeline.Agent;
import io.jwg.wg.pipeline.ControlProxy;
import io.jwg.wg.pipeline.DataPathContext;
import io.jwg.wg.pipeline.PeerPipeline;
import java.util.function.IntSupplier;

/**
 * The timer conductor agent, on the control thread (composed with the {@link
 * io.jwg.wg.rx.HandshakeWorker}): consumes, each duty cycle and up to a limit, peer requests from the
 * {@link ControlProxy} (start a handshake, send staged packets, send a keepalive), ticks the protocol
 * core's peer timers when their earliest deadline is due (at least every tick period; the core's
 * cookie checker rotates its secret by age as it is used), picks up requests that found the proxy
 * full, and follows the interface MTU. Everything it sends leaves through the control thread's
 * {@link ControlSender}.
 */
public final class Conductor implements Agent {
    private static final int REQUESTS_PER_CYCLE = 256;
    private static final long MTU_CHECK_PERIOD_NS = 1_000_000_000L;

    private final DeviceCore core;
    private final ControlProxy proxy;
    private final ControlSender out;
    private final NanoClock clock;
    private final long tickPeriodNs;
    private final DataPathContext ctx;
    private final IntSupplier mtuProbe;
    private long nextMtuCheckNs;
    private volatile long nextTickNs;

    Conductor(final DeviceCore core, final ControlProxy proxy, final ControlSender out, final NanoClock clock,
              final long tickPeriodNs, final DataPathContext ctx, final IntSupplier mtuProbe) {
        this.ctx = ctx;
        this.mtuProbe = mtuProbe;
        this.core = core;
        this.proxy = proxy;
        this.out = out;
        this.clock = clock;
        this.tickPeriodNs = tickPeriodNs;
        this.nextTickNs = clock.nanoTime();
    }

    @Override
    public int doWork() {
        final long nowNs = clock.nanoTime();
        int work = 0;
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
        if (work > 0) {
            out.flush();
        }
        return work;
    }

    private void onRequests(final PeerPipeline p, final int bits, final long nowNs) {
        final Peer peer = p.peer();
        if (bits == 0 || peer.isRemoved()) {
            return;
        }
        if ((bits & PeerPipeline.REQUEST_KEEPALIVE) != 0) {
            core.sendKeepalive(peer, nowNs, out);
        } else if ((bits & PeerPipeline.REQUEST_FLUSH_STAGED) != 0) {
            core.sendStaged(peer, nowNs, out);
        }
        if ((bits & PeerPipeline.REQUEST_HANDSHAKE) != 0) {
            core.initiateHandshake(peer, nowNs, out);
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

    @Override
    public void onClose() {
        out.close();
    }

    @Override
    public String roleName() {
        return "jwg-conductor";
    }
}
