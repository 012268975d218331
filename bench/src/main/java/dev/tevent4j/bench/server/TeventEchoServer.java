package dev.tevent4j.bench.server;

import dev.tevent4j.FdEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The benchmark's echo server on a tevent4j loop: a listening socket and one FdEvent per
 * connection, raw {@link Libc} read/write into one shared native buffer. What a connection reads
 * it writes straight back; only when the socket buffer is full does the rest wait in a
 * per-connection buffer, with the event switched to WRITE until it drains (the C reference server
 * does the same). One read per readiness report, like the C server: level-triggered epoll reports
 * the fd again if more is queued.
 *
 * <p>Must be created, run and closed on one thread (the loop's owner).
 */
public final class TeventEchoServer extends LoopbackEchoServer {
    private static final int BUFFER = 64 * 1024;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(BUFFER, 64);

    /** Listens on 127.0.0.1:{@code port} (0 = an ephemeral port) with the named backend. */
    public TeventEchoServer(String backend, int port) {
        super(backend, port);
    }

    @Override
    protected void accepted(int fd) {
        Connection c = new Connection(fd);
        c.event = loop.addFd(fd, FdEvent.READ, (fde, flags) -> c.ready(flags));
        c.event.setAutoClose(true);
    }

    private final class Connection {
        final int fd;
        FdEvent event;
        /** Bytes read but not yet written back: only when the socket's send buffer was full. */
        MemorySegment pending;
        long pendingOffset, pendingLength;

        Connection(int fd) {
            this.fd = fd;
        }

        void ready(int flags) {
            if ((flags & FdEvent.WRITE) != 0) {
                flushPending();
                return;
            }
            long n = Libc.read(fd, buffer, BUFFER);
            if (n <= 0) {
                if (n == 0 || n != -Errno.EAGAIN) event.close();
                return;
            }
            long w = Libc.write(fd, buffer, n);
            if (w == n) return;
            if (w < 0 && w != -Errno.EAGAIN) {
                event.close();
                return;
            }
            keep(Math.max(w, 0), n);
        }

        /** Keeps buffer[from, to) for later and waits for WRITE instead of READ. */
        private void keep(long from, long to) {
            if (pending == null) pending = arena.allocate(BUFFER);
            MemorySegment.copy(buffer, from, pending, 0, to - from);
            pendingOffset = 0;
            pendingLength = to - from;
            event.setFlags(FdEvent.WRITE);
        }

        private void flushPending() {
            long w = Libc.write(fd, pending.asSlice(pendingOffset, pendingLength), pendingLength);
            if (w < 0) {
                if (w != -Errno.EAGAIN) event.close();
                return;
            }
            pendingOffset += w;
            pendingLength -= w;
            if (pendingLength == 0) event.setFlags(FdEvent.READ);
        }
    }

    @Override
    public void close() {
        super.close(); // closes every FdEvent, and with them (auto-close) every socket
        arena.close();
    }
}
