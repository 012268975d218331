package dev.tevent4j.ring;

import dev.tevent4j.spi.BackendUnavailableException;

/**
 * A ring cannot be set up or used here: io_uring_setup refused (ENOSYS, EPERM from
 * kernel.io_uring_disabled or seccomp), or a ring set up whose io_uring_enter or
 * io_uring_register a seccomp filter refuses. The message names the syscall and the errno.
 */
public final class RingUnavailableException extends BackendUnavailableException {
    /** Serial form version. */
    private static final long serialVersionUID = 1L;
    /** The positive errno of the refused syscall. */
    private final int errno;

    /**
     * A refusal.
     *
     * @param message what was refused, naming the syscall and the errno
     * @param errno the positive errno
     */
    public RingUnavailableException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /**
     * The errno.
     *
     * @return the positive errno the refused syscall returned
     */
    public int errno() {
        return errno;
    }
}
