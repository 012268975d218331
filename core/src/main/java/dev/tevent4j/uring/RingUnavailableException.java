package dev.tevent4j.uring;

/** io_uring is refused by this kernel or process (ENOSYS, EPERM, kernel.io_uring_disabled). */
public final class RingUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public RingUnavailableException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
