package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.MemorySegment;
import java.util.function.IntConsumer;

/**
 * Accepts on one loop's non-blocking listening socket: on each READ report, {@code accept4}
 * until EAGAIN, handing every new connection's fd on. Owns the listening socket from
 * construction: {@link #close()} closes it whether or not {@link #start} ran.
 */
public final class Acceptor implements AutoCloseable {
    private final String name;
    private final int listenFd;
    private final int acceptFlags;
    private final IntConsumer onConnection;
    private FdEvent listener;

    /**
     * @param name         the server's name, prefixed to accept errors on stderr
     * @param listenFd     a non-blocking listening socket
     * @param acceptFlags  {@code accept4} flags for the new sockets (SOCK_CLOEXEC, SOCK_NONBLOCK)
     * @param onConnection takes ownership of each accepted fd, on the loop thread
     */
    public Acceptor(String name, int listenFd, int acceptFlags, IntConsumer onConnection) {
        this.name = name;
        this.listenFd = listenFd;
        this.acceptFlags = acceptFlags;
        this.onConnection = onConnection;
    }

    /** Starts accepting on {@code loop} (the calling thread's). */
    public void start(EventLoop loop) {
        listener = loop.addFd(listenFd, FdEvent.READ, (e, f) -> acceptAll());
        listener.setAutoClose(true);
    }

    private void acceptAll() {
        while (true) {
            int fd = Libc.accept4(listenFd, MemorySegment.NULL, MemorySegment.NULL, acceptFlags);
            if (fd == -Errno.EAGAIN || fd == -Errno.EINTR) return;
            if (fd < 0) { // EMFILE, ECONNABORTED...: report, keep serving the others
                System.err.println(name + ": accept4: " + Errno.name(-fd));
                return;
            }
            onConnection.accept(fd);
        }
    }

    /** Stops accepting and closes the listening socket. */
    @Override
    public void close() {
        if (listener != null) listener.close();
        else Libc.close(listenFd);
    }
}
