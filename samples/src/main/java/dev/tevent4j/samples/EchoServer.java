package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;
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
    @Option(names = "--backend", description = "Event loop backend (default: the first of `bin/tevent4j backends`).")
    String backend;
    @Option(names = "--port", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).", defaultValue = "7777")
    int port;
    @Option(names = "--bind", description = "IPv4 address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String bind;
    @Option(names = "--threads", description = "Loop threads (default: the number of CPUs).")
    int threads = Runtime.getRuntime().availableProcessors();

    private LoopThreads group;
    private int[] listenFds = new int[0];
    private int boundPort;

    /** Buffer per connection: one read per readiness report, as the macro bench servers do. */
    static final int BUFFER = 64 * 1024;

    /** Starts the server with the fields set (by picocli or by a test); returns the bound port. */
    public int start() throws Exception {
        String be = Net.checkBackend(backend);
        Net.checkPort(port);
        if (threads < 1 || threads > 1024) throw new IllegalArgumentException("--threads must be 1..1024, got " + threads);
        int addr = Net.ipv4(bind);
        listenFds = new int[threads];
        java.util.Arrays.fill(listenFds, -1);
        try {
            // The first socket may pick the port (0); the others join it through SO_REUSEPORT.
            listenFds[0] = Net.listen(addr, port, true, true);
            boundPort = Net.localPort(listenFds[0]);
            for (int i = 1; i < threads; i++) listenFds[i] = Net.listen(addr, boundPort, true, true);
        } catch (Exception e) {
            for (int fd : listenFds) if (fd >= 0) Libc.close(fd);
            throw e;
        }
        int[] fds = listenFds;
        group = LoopThreads.start("echo", be, threads, i -> new Shard(fds[i]));
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
                threads, Net.checkBackend(backend), bind, boundPort);
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
        private final int listenFd;
        private EventLoop loop;
        private FdEvent listener;
        private final Set<Conn> conns = new HashSet<>();

        Shard(int listenFd) {
            this.listenFd = listenFd;
        }

        @Override
        public void start(EventLoop loop) {
            this.loop = loop;
            listener = loop.addFd(listenFd, FdEvent.READ, (e, f) -> accept());
            listener.setAutoClose(true);
        }

        private void accept() {
            while (true) {
                int fd = Libc.accept4(listenFd, MemorySegment.NULL, MemorySegment.NULL, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
                if (fd == -Errno.EAGAIN || fd == -Errno.EINTR) return;
                if (fd < 0) { // EMFILE, ECONNABORTED...: report, keep serving the others
                    System.err.println("echo-server: accept4: " + Errno.name(-fd));
                    return;
                }
                Net.noDelay(fd);
                conns.add(new Conn(loop, fd, conns));
            }
        }

        @Override
        public void shutdown() {
            for (Conn c : Set.copyOf(conns)) c.fde.close();
            if (listener != null) listener.close();
            else Libc.close(listenFd);
        }
    }

    /** One connection: a reusable native buffer, the unsent tail of the last read, if any. */
    private static final class Conn {
        final FdEvent fde;
        final Arena arena = Arena.ofConfined();
        final MemorySegment buf = arena.allocate(BUFFER);
        final int fd;
        long pendingOff, pendingLen;

        Conn(EventLoop loop, int fd, Set<Conn> conns) {
            this.fd = fd;
            fde = loop.addFd(fd, FdEvent.READ, this::onFd);
            fde.setAutoClose(true);
            fde.setCloseFn((e, f) -> {
                conns.remove(this);
                arena.close();
            });
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
