package io.jwg.wg.uapi;

import io.jwg.wg.config.ConfigurableDevice;
import io.jwg.wg.config.PublicKeyFunction;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The UAPI operations of one device, independent of any socket: {@code get} renders a snapshot,
 * {@code set} interprets a request against the running configuration and applies the result
 * once, all or nothing. Thread-safe: any number of connection threads may call it; set
 * operations are serialized (interpret + apply under one lock, so the change is always computed
 * against the configuration it is applied to), gets never wait for a set.
 */
public final class UapiService {

    private static final System.Logger LOG = System.getLogger("io.jwg.wg.uapi");

    private final ConfigurableDevice device;
    private final PublicKeyFunction keys;
    private final ReentrantLock setLock = new ReentrantLock();

    /**
     * @param device the device to configure
     * @param keys   derives the device's public key when a private key is set
     */
    public UapiService(final ConfigurableDevice device, final PublicKeyFunction keys) {
        this.device = device;
        this.keys = keys;
    }

    /** The device served. */
    public ConfigurableDevice device() {
        return device;
    }

    /** The full {@code get} response (ends with {@code errno=0} and a blank line). */
    public String get() {
        return UapiGet.render(device);
    }

    /** Runs a complete set request; returns 0 or a positive errno. */
    public int set(final List<String> lines) {
        return set(lines, 0);
    }

    /**
     * Runs a set request whose reading stopped with {@code readErrno} after {@code lines}
     * (0 if it was read completely). An error in {@code lines} takes precedence, as it came
     * first; with a read error nothing is applied.
     *
     * @return 0 or a positive errno ({@link UapiErrno})
     */
    public int set(final List<String> lines, final int readErrno) {
        setLock.lock();
        try {
            final UapiSet.Outcome outcome;
            try {
                outcome = UapiSet.interpret(lines, device.config(), keys);
            } catch (final RuntimeException e) {
                LOG.log(Level.ERROR, "UAPI: set failed unexpectedly", e);
                return UapiErrno.ENOANO;
            }
            if (!outcome.ok()) {
                LOG.log(Level.ERROR, "UAPI: set line {0}: {1}", outcome.lineNumber(), outcome.message());
                return outcome.errno();
            }
            if (readErrno != 0) {
                LOG.log(Level.ERROR, "UAPI: set request not applied: read error errno {0}", readErrno);
                return readErrno;
            }
            if (outcome.change().isEmpty()) {
                return 0;
            }
            LOG.log(Level.DEBUG, "UAPI: applying {0}", outcome.change());
            final int errno;
            try {
                errno = device.apply(outcome.change());
            } catch (final RuntimeException e) {
                LOG.log(Level.ERROR, "UAPI: device failed to apply the configuration", e);
                return UapiErrno.ENOANO;
            }
            if (errno != 0) {
                LOG.log(Level.ERROR, "UAPI: device rejected the configuration: errno {0}", errno);
            }
            return errno;
        } finally {
            setLock.unlock();
        }
    }
}
