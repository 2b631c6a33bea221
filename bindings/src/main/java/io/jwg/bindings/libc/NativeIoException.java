// Hand-written (not generated).
package io.jwg.bindings.libc;

import java.io.IOException;

/** A setup call (socket, bind, ioctl, io_uring_setup...) failed with {@link #errno()}. Not used on the data path. */
public final class NativeIoException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    /** {@code what} failed with {@code errno} (either sign). */
    public NativeIoException(final String what, final int errno) {
        super(what + ": " + Errno.describe(errno));
        this.errno = Math.abs(errno);
    }

    /** {@return the positive errno value} */
    public int errno() {
        return errno;
    }
}
