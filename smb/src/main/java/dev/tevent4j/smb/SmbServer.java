package dev.tevent4j.smb;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An SMB2/3 file server for one directory as one share (docs/smb.md), on one event loop of its
 * own thread. {@link #start()} returns once it listens; {@link #close()} closes every connection
 * and the loop.
 */
public final class SmbServer implements AutoCloseable {
    final SmbOptions options;
    final byte[] serverGuid = new byte[16];
    final long startFileTime;
    final Path root;
    int rootFd = -1;
    EventLoop loop;
    AsyncIo io;
    private int listenFd = -1;
    private int port;
    private FdEvent listener;
    private Thread thread;
    private final Set<SmbConnection> connections = new HashSet<>();
    private final CompletableFuture<Integer> started = new CompletableFuture<>();
    private volatile boolean closing;

    /**
     * @param options what to serve; its root must be a directory
     * @throws IOException if the root is not a directory
     */
    public SmbServer(SmbOptions options) throws IOException {
        this.options = options;
        if (!Files.isDirectory(options.root)) throw new IllegalArgumentException("--root is not a directory: " + options.root);
        this.root = options.root.toRealPath();
        new SecureRandom().nextBytes(serverGuid);
        long now = System.currentTimeMillis();
        startFileTime = Wire.fileTime(now / 1000, (int) (now % 1000) * 1_000_000);
    }

    /**
     * Opens the loop on a new thread, checks that the backend suits the mode, listens.
     *
     * @return the port listened on
     * @throws IllegalArgumentException when the mode cannot run on the backend, or the port is taken
     * @throws IOException when listening fails otherwise
     */
    public int start() throws IOException {
        thread = Thread.ofPlatform().name("smb-server").daemon(true).start(this::run);
        try {
            return started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IOException(e.getCause());
        }
    }

    /** The port listened on, once started. */
    public int port() {
        return port;
    }

    /** The backend the loop runs on, once started. */
    public String backendName() {
        return loop.backendName();
    }

    private void run() {
        try {
            loop = openLoop();
            io = loop.io();
            checkMode(options.mode, loop.backendName(), io);
            rootFd = openRoot();
            listenFd = listen();
            port = localPort(listenFd);
            listener = loop.addFd(listenFd, FdEvent.READ, (e, f) -> acceptAll());
            listener.setAutoClose(true);
        } catch (Throwable t) {
            if (rootFd >= 0) Libc.close(rootFd);
            if (listenFd >= 0) Libc.close(listenFd);
            if (loop != null) loop.close();
            started.completeExceptionally(t);
            return;
        }
        started.complete(port);
        try {
            loop.runUntil(() -> closing && connections.isEmpty());
        } finally {
            for (SmbConnection c : new ArrayList<>(connections)) c.close();
            loop.close(); // waits for every op in flight
            for (SmbConnection c : new ArrayList<>(connections)) c.forceFinish(); // nothing in flight now: free fds and memory
            Libc.close(rootFd);
        }
    }

    private EventLoop openLoop() {
        if (options.backend != null) return EventLoop.open(options.backend);
        return options.mode == ReadMode.threadpool ? EventLoop.open("epoll") : EventLoop.open();
    }

    /** Refuses a mode the loop's AsyncIo cannot do, with what to do instead. */
    static void checkMode(ReadMode mode, String backend, AsyncIo io) {
        boolean ring = io.kind().equals("io_uring");
        if (mode.needsIoUring() && !ring) {
            throw new IllegalArgumentException("--mode " + mode + " needs io_uring, but backend " + backend + " has a " + io.kind()
                    + " AsyncIo (io_uring unusable here, or choose --backend hybrid)");
        }
        if (mode == ReadMode.threadpool && ring) {
            throw new IllegalArgumentException("--mode threadpool needs the thread-pool AsyncIo of backend epoll; backend " + backend + " has io_uring");
        }
        if (mode == ReadMode.splice && !io.supports(AsyncIo.Op.SPLICE)) throw new IllegalArgumentException("--mode splice: SPLICE is not supported by this kernel");
        if (mode == ReadMode.zc && !io.supports(AsyncIo.Op.SENDMSG_ZC)) throw new IllegalArgumentException("--mode zc: SENDMSG_ZC is not supported by this kernel");
    }

    private int openRoot() {
        try (Arena a = Arena.ofConfined()) {
            int fd = Libc.open(a.allocateFrom(root.toString()), Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            if (fd < 0) throw new IllegalArgumentException("--root: cannot open " + root + ": " + Errno.name(-fd));
            return fd;
        }
    }

    private int listen() throws IOException {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, 0);
        if (fd < 0) throw new ErrnoException("socket", -fd);
        try (Arena a = Arena.ofConfined()) {
            int rc = Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1, a);
            if (rc < 0) throw new ErrnoException("setsockopt", -rc);
            MemorySegment sa = Libc.sockaddrIn(a, ipv4(options.bind), options.port);
            rc = Libc.bind(fd, sa, (int) sa.byteSize());
            if (rc < 0 && Errno.name(-rc).equals("EADDRINUSE")) throw new IllegalArgumentException("--port " + options.port + " is in use");
            if (rc < 0) throw new ErrnoException("bind to port " + options.port, -rc);
            rc = Libc.listen(fd, 512);
            if (rc < 0) throw new ErrnoException("listen", -rc);
            return fd;
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    private static int ipv4(String address) throws IOException {
        InetAddress a = InetAddress.getByName(address);
        if (!(a instanceof Inet4Address)) throw new IllegalArgumentException("--bind: not an IPv4 address: " + address);
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static int localPort(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(Libc.SOCKADDR_IN);
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, (int) sa.byteSize());
            int rc = Libc.getsockname(fd, sa, len);
            if (rc < 0) throw new ErrnoException("getsockname", -rc);
            return Libc.port(sa);
        }
    }

    private void acceptAll() {
        while (!closing) {
            int fd = Libc.accept4(listenFd, MemorySegment.NULL, MemorySegment.NULL, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
            if (fd == -Errno.EAGAIN) return;
            if (fd < 0) {
                // Out of fds or memory: pause briefly rather than spin on a listener that stays readable.
                if (fd == -Errno.EMFILE || fd == -23 || fd == -105 || fd == -12) {
                    listener.setFlags(0);
                    loop.addTimer(java.time.Duration.ofMillis(100), (t, now) -> { if (!listener.isClosed()) listener.setFlags(FdEvent.READ); });
                    return;
                }
                continue; // an error about that one connection
            }
            if (connections.size() >= options.maxConnections) { // full: refuse this one rather than exhaust fds or memory
                Libc.close(fd);
                continue;
            }
            try (Arena a = Arena.ofConfined()) {
                Libc.setIntOption(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1, a);
            }
            SmbConnection c = new SmbConnection(this, fd);
            connections.add(c);
            c.start();
        }
    }

    void removed(SmbConnection c) {
        connections.remove(c);
    }

    /** Connections open now (for tests; loop thread). */
    int connectionCount() {
        return connections.size();
    }

    /** Stops listening, closes every connection, closes the loop; waits for the server thread. Idempotent. */
    @Override
    public void close() {
        if (thread == null || closing) return;
        closing = true;
        try {
            loop.executor().execute(() -> {
                if (listener != null) listener.close();
                for (SmbConnection c : new ArrayList<>(connections)) c.close();
            });
        } catch (RuntimeException alreadyClosed) {
            // the loop ended already
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
