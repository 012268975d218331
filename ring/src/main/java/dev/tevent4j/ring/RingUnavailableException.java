package dev.tevent4j.ring;

import dev.tevent4j.spi.BackendUnavailableException;

/**
 * A ring cannot be set up or used here: io_uring_setup refused (ENOSYS, EPERM from
 * kernel.io_uring_disabled or seccomp), or a ring set up whose io_uring_enter or
 * io_uring_register a seccomp filter refuses. The message names the syscall and the errno.
 */
public final class RingUnavailableException extends BackendUnavailableException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public RingUnavailableException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The positive errno the refused syscall returned. */
    public int errno() {
        return errno;
    }
}
