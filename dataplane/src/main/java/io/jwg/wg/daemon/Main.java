package io.jwg.wg.daemon;

import io.jwg.crypto.Warmup;
import io.jwg.wg.config.PublicKeyFunction;
import io.jwg.wg.uapi.UapiServer;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Command line of the jwg daemon, a drop-in for {@code wireguard-go} under {@code wg-quick}:
 * <pre>
 *   jwg [-f|--foreground] IFNAME     run the device IFNAME (this JVM always stays in the foreground;
 *                                    the ./jwg launcher detaches it and waits for readiness)
 *   jwg genkey | genpsk | pubkey     key tools compatible with wg(8)
 *   jwg --version
 * </pre>
 * Environment: {@code LOG_LEVEL=verbose|error|silent}; {@code JWG_READY_FD} (set by the launcher,
 * {@link ReadySignal}). System property {@code jwg.backend} picks the device backend
 * ({@link #backendFactory()}).
 *
 * <p>Exit codes: 0 after a clean stop (signal, socket or interface removed), 1 if the device
 * could not start or the arguments are wrong.
 */
public final class Main {

    /** Version string printed by {@code --version}. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private static final int WARMUP_MAX_ROUNDS = 200_000;
    private static final long WARMUP_MAX_NANOS = 60_000_000_000L;

    private Main() {
    }

    /** Entry point; never returns normally for daemon runs (exits with the process code). */
    public static void main(final String[] args) {
        if (args.length >= 1 && KeyTool.handles(args[0])) {
            System.exit(KeyTool.run(args, System.in, System.out, System.err, Path.of("/proc/self/fd/1")));
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-v"))) {
            System.out.println("jwg v" + VERSION + "\n\nUserspace WireGuard daemon for Linux in Java.");
            System.exit(0);
        }
        final String name;
        if (args.length == 2 && (args[0].equals("-f") || args[0].equals("--foreground"))) {
            name = args[1];
        } else if (args.length == 1 && !args[0].startsWith("-")) {
            name = args[0];
        } else {
            System.err.println("Usage: jwg [-f/--foreground] INTERFACE-NAME");
            System.err.println("       jwg genkey | genpsk | pubkey");
            System.exit(1);
            return;
        }
        System.exit(runDaemon(name));
    }

    private static int runDaemon(final String name) {
        DaemonLog.configure(name, DaemonLog.levelFor(System.getenv("LOG_LEVEL")), System.out);
        final System.Logger log = System.getLogger("io.jwg.wg.daemon");
        // Compile the AEAD's Vector API kernels now, in parallel with start-up, instead of on the
        // first flow's packets (uncompiled they cost milliseconds per packet; see Warmup).
        if (!Boolean.getBoolean("jwg.warmup.disable")) {
            Warmup.startInBackground(WARMUP_MAX_ROUNDS, WARMUP_MAX_NANOS);
        }
        final ReadySignal ready = ReadySignal.fromEnvironment();
        final String problem = InterfaceName.problem(name);
        if (problem != null) {
            log.log(Level.ERROR, "Failed to create TUN device: {0}", problem);
            ready.failed("Failed to create TUN device: " + problem);
            return 1;
        }
        // Signals may come at any moment, even before the device exists: remember them.
        final AtomicReference<Daemon> running = new AtomicReference<>();
        final AtomicBoolean stopRequested = new AtomicBoolean();
        Signals.onTermination(() -> {
            stopRequested.set(true);
            final Daemon d = running.get();
            if (d != null) {
                d.requestStop("signal received");
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            final Daemon d = running.get();
            if (d != null) {
                d.close();
            }
        }, "jwg-shutdown"));
        final Daemon daemon;
        try {
            daemon = Daemon.start(name, backendFactory(), PublicKeyFunction.x25519(), UapiServer.SOCKET_DIRECTORY);
        } catch (final Daemon.StartException e) {
            log.log(Level.ERROR, e.getMessage());
            ready.failed(e.getMessage());
            return 1;
        }
        running.set(daemon);
        if (stopRequested.get()) {
            daemon.requestStop("signal received");
        }
        ready.ready();
        final String reason = daemon.awaitExit();
        log.log(Level.DEBUG, "Shutting down: {0}", reason);
        daemon.close();
        return 0;
    }

    /**
     * The backend named by {@code -Djwg.backend}: {@code tun} (default: creates TUN IFNAME and runs
     * the multi-core data plane, {@link io.jwg.wg.device.PipelineDevice}), {@code config-only-tun}
     * (creates TUN IFNAME, holds the configuration, moves no packets) or {@code config-only} (no
     * interface).
     */
    static DeviceBackend.Factory backendFactory() {
        final String kind = System.getProperty("jwg.backend", "tun");
        return switch (kind) {
            case "tun" -> io.jwg.wg.device.PipelineDevice::open;
            case "config-only-tun" -> ConfigOnlyDevice::openWithTun;
            case "config-only" -> ifname -> ConfigOnlyDevice.open();
            default -> ifname -> {
                throw new IllegalArgumentException("unknown backend " + kind
                    + " (use tun, config-only-tun or config-only)");
            };
        };
    }
}
