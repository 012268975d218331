package dev.tevent4j.bench.server;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntConsumer;

/**
 * What every tevent4j bench server shares: a non-blocking listening socket on 127.0.0.1 watched
 * by a READ FdEvent, accepting with accept4 until EAGAIN and handing each new connection
 * (non-blocking, TCP_NODELAY) to the server. The event auto-closes the socket with the loop.
 */
final class LoopbackListener {
    private final int fd;
    private final int port;
    private final IntConsumer onAccepted;
    private final Arena arena = Arena.ofAuto();

    /** Listens on 127.0.0.1:{@code port} (0 = an ephemeral port) on {@code loop}. */
    LoopbackListener(EventLoop loop, int port, IntConsumer onAccepted) {
        this.onAccepted = onAccepted;
        fd = check(Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0), "socket");
        try {
            Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1, arena);
            MemorySegment sa = Libc.sockaddrIn(arena, Libc.INADDR_LOOPBACK, port);
            check(Libc.bind(fd, sa, (int) Libc.SOCKADDR_IN.byteSize()), "bind");
            check(Libc.listen(fd, 1024), "listen");
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, (int) Libc.SOCKADDR_IN.byteSize());
            check(Libc.getsockname(fd, sa, len), "getsockname");
            this.port = Libc.port(sa);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        loop.addFd(fd, FdEvent.READ, (fde, flags) -> acceptAll()).setAutoClose(true);
    }

    int port() {
        return port;
    }

    private void acceptAll() {
        for (;;) {
            int c = Libc.accept4(fd, MemorySegment.NULL, MemorySegment.NULL, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
            if (c < 0) {
                if (c != -Errno.EAGAIN && c != -Errno.ECONNABORTED) {
                    System.err.println("accept4: " + Errno.name(-c));
                }
                return;
            }
            Libc.setIntOption(c, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1, arena);
            onAccepted.accept(c);
        }
    }

    static int check(long rc, String call) {
        if (rc < 0) throw new IllegalStateException(call + ": " + Errno.name((int) -rc));
        return (int) rc;
    }
}
