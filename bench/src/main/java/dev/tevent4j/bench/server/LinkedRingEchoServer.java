package dev.tevent4j.bench.server;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.EventLoop;
import dev.tevent4j.IoCompletion;
import dev.tevent4j.IoHandle;
import dev.tevent4j.IoLink;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The ring echo server on the low-level path, shaped as bench/native/uring_echo_server.c: per
 * connection one recv in flight; when it brings n bytes, a send of them linked to the next recv
 * ({@link AsyncIo#link()}), the send quiet ({@link IoLink#quiet()}: its success posts no
 * completion). So a round trip is one completion and, on the uring backend, one io_uring_enter.
 * Ops run on two {@link IoHandle}s per connection: no Request, no callback object per message.
 *
 * <p>The quiet send has MSG_WAITALL: it sends all or fails, and a failure (or end of file on the
 * recv) closes the connection. Only for backends whose AsyncIo is io_uring (hybrid, uring).
 */
public final class LinkedRingEchoServer extends LoopbackEchoServer {
    private static final int BUFFER = 64 * 1024;

    /** Listens on 127.0.0.1:{@code port} (0 = an ephemeral port) with the named backend. */
    public LinkedRingEchoServer(String backend, int port) {
        super(backend, port);
    }

    @Override
    protected void checkBackend(EventLoop loop) {
        AsyncIo io = loop.io();
        if (!io.kind().equals("io_uring") || !io.supports(AsyncIo.Op.QUIET)) {
            throw new IllegalArgumentException("backend " + loop.backendName()
                    + " has no io_uring AsyncIo with quiet sends (it has " + io.kind() + ")");
        }
    }

    @Override
    protected void accepted(int fd) {
        new Connection(fd, loop.io()).recvOnly();
    }

    /** One connection: a recv in flight, or a quiet send and the recv linked to it. */
    private static final class Connection implements IoCompletion {
        final int fd;
        final AsyncIo io;
        /** Freed when the connection closes: by then no op of ours can still use the buffer. */
        final Arena arena = Arena.ofConfined();
        final MemorySegment buffer = arena.allocate(BUFFER, 64);
        final IoHandle sendHandle, recvHandle;

        Connection(int fd, AsyncIo io) {
            this.fd = fd;
            this.io = io;
            this.sendHandle = io.handle(this);
            this.recvHandle = io.handle(this);
        }

        void recvOnly() {
            recvHandle.recv(fd, buffer, 0);
        }

        @Override
        public void onComplete(IoHandle handle, int result) {
            if (handle == sendHandle) return; // sent all (quiet), or failed: then the recv fails too
            if (result <= 0) {
                close();
                return;
            }
            // The recv starts once the send is done with the buffer: they are linked.
            try (IoLink chain = io.link()) {
                sendHandle.send(fd, buffer.asSlice(0, result), 0);
                chain.quiet();
                recvHandle.recv(fd, buffer, 0);
            }
        }

        /** Both handles are free: the send completed before the recv that followed it. */
        private void close() {
            Libc.close(fd);
            arena.close();
        }
    }
}
