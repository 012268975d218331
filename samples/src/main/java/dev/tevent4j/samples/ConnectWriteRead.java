package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Request;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Async functions in tevent's send/recv style (see docs/requests.md): connect to a TCP server
 * with a non-blocking socket, write a request line, read a reply line. Each step is a
 * {@code *Send} function returning a {@link Request}; {@link #exchangeSend} composes them, and
 * the matching recv is {@link Request#result()}. Only public API and {@link Libc} syscalls.
 *
 * <p>Usage: {@code ConnectWriteRead <port> <line>} sends the line to 127.0.0.1:port and prints
 * the first line of the reply.
 */
public final class ConnectWriteRead {
    private ConnectWriteRead() {}

    // ---------------------------------------------------------------- step 1: connect

    /**
     * Connects a new non-blocking socket to 127.0.0.1:{@code port}; completes with the fd, which
     * the caller then owns. Fails with an ErrnoException (ECONNREFUSED...) or, after
     * {@code timeout}, a TimeoutException; on failure the socket is closed.
     */
    public static Request<Integer> connectSend(EventLoop loop, int port, Duration timeout) {
        Request<Integer> req = Request.create(loop);
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            req.postError(new dev.tevent4j.linux.ErrnoException("socket", -fd));
            return req; // completed inside the send function: post, so the callback waits
        }
        int rc;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = Libc.sockaddrIn(a, Libc.INADDR_LOOPBACK, port);
            rc = Libc.connect(fd, addr, (int) addr.byteSize());
        }
        if (rc == 0) { // loopback may connect at once
            req.post(fd);
            return req;
        }
        if (rc != -Errno.EINPROGRESS) {
            Libc.close(fd);
            req.postError(new dev.tevent4j.linux.ErrnoException("connect", -rc));
            return req;
        }
        // Writable means the handshake finished; ERROR (with READ, tevent's rule) means it failed.
        FdEvent fde = loop.addFd(fd, FdEvent.WRITE | FdEvent.ERROR, (e, flags) -> {
            int err = Net.soError(fd);
            e.close();
            if (err == 0) req.done(fd); else req.errno(err);
        });
        req.setEndTime(System.nanoTime() + timeout.toNanos());
        req.setCancelFn(r -> true);
        req.setCleanupFn(r -> {
            fde.close();
            if (r.isError()) Libc.close(fd); // on success the fd is the caller's
        });
        return req;
    }

    // ---------------------------------------------------------------- step 2: write all

    /** Writes every byte of {@code data} to {@code fd} as it becomes writable; completes with the count. */
    public static Request<Integer> writeAllSend(EventLoop loop, int fd, byte[] data) {
        Request<Integer> req = Request.create(loop);
        Arena arena = Arena.ofConfined();
        MemorySegment buf = arena.allocate(Math.max(1, data.length));
        MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
        long[] written = {0};
        FdEvent fde = loop.addFd(fd, FdEvent.WRITE, (e, flags) -> {
            long n = Libc.write(fd, buf.asSlice(written[0]), data.length - written[0]);
            if (n == -Errno.EAGAIN) return;
            if (n < 0) {
                req.errno((int) -n);
                return;
            }
            written[0] += n;
            if (written[0] == data.length) req.done(data.length);
        });
        req.setCancelFn(r -> true);
        req.setCleanupFn(r -> {
            fde.close();
            arena.close();
        });
        return req;
    }

    // ---------------------------------------------------------------- step 3: read a line

    /** Reads until a newline (or EOF) and completes with the text before it. */
    public static Request<String> readLineSend(EventLoop loop, int fd) {
        Request<String> req = Request.create(loop);
        Arena arena = Arena.ofConfined();
        MemorySegment buf = arena.allocate(4096);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        FdEvent fde = loop.addFd(fd, FdEvent.READ, (e, flags) -> {
            long n = Libc.read(fd, buf, buf.byteSize());
            if (n == -Errno.EAGAIN) return;
            if (n < 0) {
                req.errno((int) -n);
                return;
            }
            byte[] chunk = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            for (byte b : chunk) {
                if (b == '\n') {
                    req.done(got.toString(StandardCharsets.UTF_8));
                    return;
                }
                got.write(b);
            }
            if (n == 0) { // EOF before the newline
                if (got.size() == 0) req.errno(Errno.ECONNRESET); else req.done(got.toString(StandardCharsets.UTF_8));
            }
        });
        req.setCancelFn(r -> true);
        req.setCleanupFn(r -> {
            fde.close();
            arena.close();
        });
        return req;
    }

    // ---------------------------------------------------------------- composed

    /**
     * Connect, write {@code line} + "\n", read the reply line: one request for the whole
     * exchange, failed by the first step that fails, or by {@code timeout} for the whole of it.
     */
    public static Request<String> exchangeSend(EventLoop loop, int port, String line, Duration timeout) {
        Request<String> req = Request.create(loop);
        int[] fd = {-1};
        Request<?>[] step = {null}; // the sub-request in flight, cancelled if we end early
        Request<Integer> connect = connectSend(loop, port, timeout);
        step[0] = connect;
        connect.onComplete(c -> {
            // A step that ends after the whole exchange ended (timeout, cancel) is ignored:
            // the exchange's cleanup cancelled it, and its own cleanup released what it held.
            if (!req.isInProgress()) return;
            if (c.isError()) {
                req.error(c.cause());
                return;
            }
            fd[0] = c.result();
            Request<Integer> write = writeAllSend(loop, fd[0], (line + "\n").getBytes(StandardCharsets.UTF_8));
            step[0] = write;
            write.onComplete(w -> {
                if (!req.isInProgress()) return;
                if (w.isError()) {
                    req.error(w.cause());
                    return;
                }
                Request<String> read = readLineSend(loop, fd[0]);
                step[0] = read;
                read.onComplete(r -> {
                    if (!req.isInProgress()) return;
                    if (r.isError()) req.error(r.cause()); else req.done(r.result());
                });
            });
        });
        req.setEndTime(System.nanoTime() + timeout.toNanos());
        req.setCancelFn(r -> true);
        req.setCleanupFn(r -> {
            if (step[0] != null) step[0].cancel(); // ends the step in flight (and its fd events)
            if (fd[0] >= 0) Libc.close(fd[0]);
        });
        return req;
    }

    /** The recv function: the reply line, or a RequestException whose cause says what failed. */
    public static String exchangeRecv(Request<String> req) {
        return req.result();
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ConnectWriteRead <port> <line>");
            System.exit(2);
        }
        try (EventLoop loop = EventLoop.open()) {
            Request<String> req = exchangeSend(loop, Integer.parseInt(args[0]), args[1], Duration.ofSeconds(5));
            req.await();
            System.out.println(exchangeRecv(req));
        }
    }
}
