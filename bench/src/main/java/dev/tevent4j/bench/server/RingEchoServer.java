package dev.tevent4j.bench.server;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Request;
import dev.tevent4j.AsyncIo;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * The benchmark's echo server doing its connection I/O through the loop's io_uring
 * {@link AsyncIo} instead of read/write syscalls: per connection one {@code recv} in flight; when
 * it completes with n > 0 a {@code send} of those n bytes (the rest again if the send was short),
 * and when the send completes the next {@code recv}. End of file or an error closes the
 * connection. On the uring backend the SQEs go in with the loop's one {@code io_uring_enter} per
 * iteration; a round trip takes two iterations (the send completes inside the enter that
 * submits it), so two syscalls (docs/benchmarks.md).
 *
 * <p>Accepting is as in {@link TeventEchoServer}: a READ FdEvent on the listener and accept4.
 * Each connection owns a 64 KiB native buffer reused for every message; after warm-up a message
 * allocates only the Requests AsyncIo returns (and the slice handed to send).
 *
 * <p>Only for backends whose AsyncIo is io_uring (hybrid, uring): the point is to measure the
 * ring, not the thread pool. Must be created, run and closed on one thread (the loop's owner).
 */
public final class RingEchoServer extends LoopbackEchoServer {
    private static final int BUFFER = 64 * 1024;

    /** Listens on 127.0.0.1:{@code port} (0 = an ephemeral port) with the named backend. */
    public RingEchoServer(String backend, int port) {
        super(backend, port);
    }

    @Override
    protected void checkBackend(EventLoop loop) {
        AsyncIo io = loop.io();
        if (!io.kind().equals("io_uring") || !io.supports(AsyncIo.Op.RECV) || !io.supports(AsyncIo.Op.SEND)) {
            throw new IllegalArgumentException("backend " + loop.backendName()
                    + " has no io_uring AsyncIo with send/recv (it has " + io.kind() + ")");
        }
    }

    @Override
    protected void accepted(int fd) {
        new Connection(fd).recv();
    }

    /** One connection: exactly one op (a recv or a send) in flight until it closes. */
    private final class Connection {
        final int fd;
        /** Freed when the connection closes: by then no op of ours can still use the buffer. */
        final Arena arena = Arena.ofConfined();
        final MemorySegment buffer = arena.allocate(BUFFER, 64);
        /** The callbacks, made once: a message allocates no lambda. */
        final Consumer<Request<Integer>> received = this::received;
        final Consumer<Request<Integer>> sent = this::sent;
        /** buffer[sendOffset, sendEnd) is still to be sent. */
        int sendOffset, sendEnd;

        Connection(int fd) {
            this.fd = fd;
        }

        void recv() {
            loop.io().recv(fd, buffer, 0).onComplete(received);
        }

        private void received(Request<Integer> r) {
            if (r.isError()) {
                close();
                return;
            }
            int n = r.result();
            if (n == 0) {
                close();
                return;
            }
            sendOffset = 0;
            sendEnd = n;
            send();
        }

        private void send() {
            loop.io().send(fd, buffer.asSlice(sendOffset, sendEnd - sendOffset), 0).onComplete(sent);
        }

        private void sent(Request<Integer> r) {
            if (r.isError()) {
                close();
                return;
            }
            sendOffset += r.result();
            if (sendOffset < sendEnd) send(); else recv();
        }

        /**
         * No op is in flight (each callback runs after its op's completion and starts at most
         * one more), so the fd and buffer can go. A plain close: it also runs while the loop
         * closes (its ops complete cancelled), when no new op may be submitted.
         */
        private void close() {
            Libc.close(fd);
            arena.close();
        }
    }

    @Override
    public void close() {
        super.close(); // cancels every recv/send in flight; their callbacks close the connections
    }
}
