package dev.tevent4j.linux;


import java.io.IOException;

/** A system call failed; carries the errno and names it in the message, e.g. "EBADF". */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    /**
     * @param call what failed, e.g. "read" or "epoll_ctl(ADD, fd 7)"
     * @param errno the positive errno value
     */
    public ErrnoException(String call, int errno) {
        super(call + " failed: " + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
        this.errno = errno;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. "ECONNRESET". */
    public String errnoName() {
        return Errno.name(errno);
    }
}
