package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Callable;

/**
 * {@code bin/tevent4j echo-server}: a TCP echo server with one event loop per thread, each loop
 * owning its own SO_REUSEPORT listening socket on the shared port. Accepting is non-blocking
 * ({@code accept4} until EAGAIN from a READ event); each connection echoes with plain
 * read/write on the loop thread and waits for WRITE only when the send buffer is full.
 */
@Command(name = "echo-server", mixinStandardHelpOptions = true,
        description = "TCP echo server: one event loop per thread, SO_REUSEPORT sockets on one port.")
public final class EchoServer implements Callable<Integer>, AutoCloseable {
    @Mixin
    final ServerOptions net = new ServerOptions(7777);

    private LoopThreads group;
    private int boundPort;

    /** Buffer per connection: one read per readiness report, as the macro bench servers do. */
    static final int BUFFER = 64 * 1024;

    /** Starts the server with the fields set (by picocli or by a test); returns the bound port. */
    public int start() throws Exception {
        String be = net.check();
        ReusePortSockets sockets = net.listen();
        boundPort = sockets.port();
        group = LoopThreads.start("echo", be, net.threads, i -> new Shard(sockets.fds()[i]));
        return boundPort;
    }

    /** The port the server listens on. */
    public int port() {
        return boundPort;
    }

    @Override
    public Integer call() throws Exception {
        start();
        System.out.printf("echo-server: %d loop(s) on backend %s, listening on %s:%d%n",
                net.threads, Net.checkBackend(net.backend), net.bind, boundPort);
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        group.await();
        return 0;
    }

    /** Stops every loop; closes every connection and listening socket. Idempotent. */
    @Override
    public void close() {
        if (group != null) group.close();
    }

    /** One loop: its listening socket and its connections. */
    private static final class Shard implements LoopThreads.Shard {
        private final Acceptor acceptor;
        private final Connections<Conn> conns = new Connections<>();
        private EventLoop loop;

        Shard(int listenFd) {
            // Non-blocking connections: the loop reads and writes them itself.
            acceptor = new Acceptor("echo-server", listenFd, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, fd -> {
                Net.noDelay(fd);
                conns.add(new Conn(loop, fd, conns));
            });
        }

        @Override
        public void start(EventLoop loop) {
            this.loop = loop;
            acceptor.start(loop);
        }

        @Override
        public void shutdown() {
            conns.closeAll();
            acceptor.close();
        }
    }

    /** One connection: a reusable native buffer, the unsent tail of the last read, if any. */
    private static final class Conn implements Connections.Conn {
        final FdEvent fde;
        final Arena arena = Arena.ofConfined();
        final MemorySegment buf = arena.allocate(BUFFER);
        final int fd;
        long pendingOff, pendingLen;

        Conn(EventLoop loop, int fd, Connections<Conn> conns) {
            this.fd = fd;
            fde = loop.addFd(fd, FdEvent.READ, this::onFd);
            fde.setAutoClose(true);
            fde.setCloseFn((e, f) -> { // the auto-closed fd is gone: release the buffer too
                conns.remove(this);
                arena.close();
            });
        }

        @Override
        public void close() {
            fde.close();
        }

        private void onFd(FdEvent e, int flags) {
            if (pendingLen > 0) { // waiting for room to send the rest of the last read
                flush();
                return;
            }
            long n = Libc.read(fd, buf, BUFFER);
            if (n == -Errno.EAGAIN || n == -Errno.EINTR) return;
            if (n <= 0) { // EOF or ECONNRESET: the peer is gone
                e.close();
                return;
            }
            pendingOff = 0;
            pendingLen = n;
            flush();
        }

        private void flush() {
            long w = Libc.write(fd, buf.asSlice(pendingOff, pendingLen), pendingLen);
            if (w == -Errno.EAGAIN || w == -Errno.EINTR) w = 0;
            if (w < 0) {
                fde.close();
                return;
            }
            pendingOff += w;
            pendingLen -= w;
            // Stop reading while the peer does not read its echoes: back-pressure, no unbounded buffer.
            int want = pendingLen > 0 ? FdEvent.WRITE : FdEvent.READ;
            if (fde.flags() != want) fde.setFlags(want);
        }
    }
}
