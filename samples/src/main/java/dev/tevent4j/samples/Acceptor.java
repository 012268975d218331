package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Request;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Accepts on one loop's non-blocking listening socket: on each READ report, {@code accept4}
 * until EAGAIN, handing every new connection's fd on. Owns the listening socket from
 * construction: {@link #close()} closes it whether or not {@link #start} ran.
 *
 * <p>Out of fds (EMFILE, ENFILE) or memory (ENOBUFS, ENOMEM), the pending connection stays in
 * the backlog and the listener stays readable: accepting again at once would fail again, every
 * loop iteration, at full CPU. So the listener is paused (its event's flags set to 0) and a
 * timer re-arms it after {@link #FIRST_PAUSE_NANOS}, doubling while accepts keep failing, up to
 * {@link #MAX_PAUSE_NANOS}; a successful accept resets the pause. Errors about the one
 * connection being accepted (ECONNABORTED, EPROTO, a network error, EPERM from a firewall)
 * consume it: accepting simply goes on. Error lines are rate-limited ({@link ErrorLog}).
 *
 * <p>With {@link #useRing(boolean) useRing(true)} it accepts with one
 * {@link dev.tevent4j.AsyncIo#acceptMultishot} stream instead of READ reports. The kernel ends
 * that stream on an error such as EMFILE; the same rules apply: an error about one connection
 * re-arms at once, a resource error re-arms after the pause.
 */
public final class Acceptor implements AutoCloseable {
    static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100), MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    // x86_64 errno values Errno has no constant for (same values as <errno.h>).
    private static final int ENONET = 64, EPROTO = 71, ENOPROTOOPT = 92, ENETDOWN = 100, ENETUNREACH = 101,
            ENOBUFS = 105, EHOSTDOWN = 112, EHOSTUNREACH = 113;

    static {
        // Load now what reporting EMFILE needs: out of fds, the JVM cannot open a class file.
        new ErrnoException("accept", Errno.EMFILE).errnoName();
    }

    private final String name;
    private final int listenFd;
    private final int acceptFlags;
    private final IntConsumer onConnection;
    private final ErrorLog log;
    private EventLoop loop;
    private FdEvent listener;
    private TimerEvent resume;
    private long pauseNanos = FIRST_PAUSE_NANOS;
    private boolean ring;
    private boolean closed;
    private Request<Integer> stream;

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
        this.log = new ErrorLog(System.err, TimeUnit.SECONDS.toNanos(1));
    }

    /** Accept with a multishot accept on the loop's AsyncIo (true) or with READ reports; before {@link #start}. */
    public Acceptor useRing(boolean ring) {
        this.ring = ring;
        return this;
    }

    /** Starts accepting on {@code loop} (the calling thread's). */
    public void start(EventLoop loop) {
        this.loop = loop;
        if (ring) {
            armStream();
            return;
        }
        listener = loop.addFd(listenFd, FdEvent.READ, (e, f) -> acceptAll());
        listener.setAutoClose(true);
    }

    private void armStream() {
        if (closed) return;
        stream = loop.io().acceptMultishot(listenFd, acceptFlags, this::acceptedFromStream);
        stream.onComplete(this::streamEnded);
    }

    private void acceptedFromStream(int fd) {
        pauseNanos = FIRST_PAUSE_NANOS;
        onConnection.accept(fd);
    }

    private void streamEnded(Request<Integer> r) {
        if (closed) return;
        int errno = r.cause() instanceof ErrnoException e ? e.errno() : Errno.ECANCELED;
        if (errno != Errno.ECANCELED && isAboutThisConnection(errno)) armStream();
        else pause(errno);
    }

    private void acceptAll() {
        while (true) {
            int fd = Libc.accept4(listenFd, MemorySegment.NULL, MemorySegment.NULL, acceptFlags);
            if (fd >= 0) {
                pauseNanos = FIRST_PAUSE_NANOS;
                onConnection.accept(fd);
                continue;
            }
            int errno = -fd;
            if (errno == Errno.EAGAIN) return;
            if (isAboutThisConnection(errno)) continue;
            pause(errno);
            return;
        }
    }

    /** accept(2): these concern the connection just dequeued (or none); the next accept may work. */
    private static boolean isAboutThisConnection(int errno) {
        return switch (errno) {
            case Errno.EINTR, Errno.ECONNABORTED, EPROTO, Errno.EPERM, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET,
                 EHOSTUNREACH, Errno.EOPNOTSUPP, ENETUNREACH -> true;
            default -> false;
        };
    }

    /** Stops watching the listener for {@link #pauseNanos}; the next pause is twice as long. */
    private void pause(int errno) {
        log.report(name + ": accept4: " + Errno.name(errno) + "; not accepting for " + TimeUnit.NANOSECONDS.toMillis(pauseNanos) + " ms");
        if (listener != null) listener.setFlags(0);
        long at = System.nanoTime() + pauseNanos;
        if (resume == null) resume = loop.addTimerAt(at, (t, now) -> resume());
        else resume.update(at);
        pauseNanos = Math.min(pauseNanos * 2, MAX_PAUSE_NANOS);
    }

    private void resume() {
        if (closed) return;
        if (ring) armStream();
        else if (!listener.isClosed()) listener.setFlags(FdEvent.READ);
    }

    /** Whether accepting is paused after a resource error. */
    public boolean isPaused() {
        return resume != null && resume.isActive();
    }

    /** Stops accepting and closes the listening socket. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (resume != null) resume.cancel();
        if (stream != null && stream.isInProgress()) stream.cancel();
        if (listener != null) listener.close();
        else Libc.close(listenFd);
    }

    /**
     * At most one line per interval: lines in between are counted, and the count goes out with
     * the next line printed. (A server out of fds once wrote 19 million accept4 lines in 30 s.)
     */
    static final class ErrorLog {
        private final PrintStream out;
        private final long intervalNanos;
        private long nextAt = Long.MIN_VALUE;
        private long suppressed;

        ErrorLog(PrintStream out, long intervalNanos) {
            this.out = out;
            this.intervalNanos = intervalNanos;
        }

        /** Prints {@code line} unless one was printed less than an interval ago. */
        void report(String line) {
            long now = System.nanoTime();
            if (nextAt != Long.MIN_VALUE && now - nextAt < 0) {
                suppressed++;
                return;
            }
            out.println(suppressed == 0 ? line : line + " (" + suppressed + " similar line(s) suppressed)");
            suppressed = 0;
            nextAt = now + intervalNanos;
        }
    }
}
