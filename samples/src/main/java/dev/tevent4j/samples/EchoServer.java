package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.TimerEvent;
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
 * read/write on the loop thread and waits for WRITE only when the send buffer is full. A
 * connection that moves no byte either way for --idle-timeout is closed (one timer per
 * connection, pushed back lazily: see {@code Conn}).
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
        BackendChoice be = net.check();
        ReusePortSockets sockets = net.listen();
        boundPort = sockets.port();
        long idle = net.idleTimeout.nanos();
        group = LoopThreads.start("echo", be, net.threads, i -> new Shard(sockets.fds()[i], idle));
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
                net.threads, group.backendName(), net.bind, boundPort);
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

        Shard(int listenFd, long idleNanos) {
            // Non-blocking connections: the loop reads and writes them itself.
            acceptor = new Acceptor("echo-server", listenFd, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, fd -> {
                Net.noDelay(fd);
                conns.add(new Conn(loop, fd, conns, idleNanos));
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

    /**
     * One connection: a reusable native buffer, the unsent tail of the last read, if any, and
     * the idle timer. Echo traffic is one read and one write per message, so the timer is not
     * re-armed per message: each read, and each time room opens for a pending echo, stamps
     * {@code lastActive}, and an expiry that finds a recent stamp re-arms itself for stamp +
     * idle (one timer update per idle period, not per read).
     */
    private static final class Conn implements Connections.Conn {
        final FdEvent fde;
        final Arena arena = Arena.ofConfined();
        final MemorySegment buf = arena.allocate(BUFFER);
        final int fd;
        final long idleNanos;
        final TimerEvent idle;
        long pendingOff, pendingLen;
        long lastActive = System.nanoTime();

        Conn(EventLoop loop, int fd, Connections<Conn> conns, long idleNanos) {
            this.fd = fd;
            this.idleNanos = idleNanos;
            fde = loop.addFd(fd, FdEvent.READ, this::onFd);
            fde.setAutoClose(true);
            idle = loop.addTimerAt(lastActive + idleNanos, (t, now) -> onIdle(now));
            if (idleNanos == 0) idle.cancel();
            fde.setCloseFn((e, f) -> { // the auto-closed fd is gone: release the buffer and the timer too
                idle.cancel();
                conns.remove(this);
                arena.close();
            });
        }

        private void onIdle(long now) {
            if (fde.isClosed()) return;
            long quietFor = now - lastActive;
            if (quietFor < idleNanos) { idle.update(lastActive + idleNanos); return; }
            fde.close(); // silently: an echo has nothing to say on timeout
        }

        @Override
        public void close() {
            fde.close();
        }

        private void onFd(FdEvent e, int flags) {
            if (pendingLen > 0) { // waiting for room to send the rest of the last read
                lastActive = System.nanoTime(); // room opened: the peer is taking its echoes
                flush();
                return;
            }
            long n = Libc.read(fd, buf, BUFFER);
            if (n == -Errno.EAGAIN || n == -Errno.EINTR) return;
            if (n <= 0) { // EOF or ECONNRESET: the peer is gone
                e.close();
                return;
            }
            lastActive = System.nanoTime();
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
