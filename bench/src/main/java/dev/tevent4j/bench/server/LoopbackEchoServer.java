package dev.tevent4j.bench.server;

import dev.tevent4j.EventLoop;

/**
 * What the tevent4j bench servers share: a loop of the named backend, a {@link LoopbackListener}
 * handing accepted sockets to {@link #accepted}, and a thread-safe stop. Must be created, run and
 * closed on one thread (the loop's owner).
 */
public abstract class LoopbackEchoServer implements AutoCloseable {
    protected final EventLoop loop;
    private final LoopbackListener listener;
    private volatile boolean stop;

    /** Listens on 127.0.0.1:{@code port} (0 = an ephemeral port) with the named backend. */
    protected LoopbackEchoServer(String backend, int port) {
        loop = EventLoop.open(backend);
        try {
            checkBackend(loop);
            listener = new LoopbackListener(loop, port, this::accepted);
        } catch (RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    /** Refuses a backend the server cannot run on; runs before any socket is opened. */
    protected void checkBackend(EventLoop loop) {
    }

    /** A new connection, non-blocking with TCP_NODELAY, owned by the server from now on. */
    protected abstract void accepted(int fd);

    /** The port it listens on. */
    public final int port() {
        return listener.port();
    }

    /** Runs the loop until {@link #stop()}. */
    public final void run() {
        loop.runUntil(() -> stop);
    }

    /** Thread-safe: makes {@link #run()} return after the current iteration. */
    public final void stop() {
        loop.executor().execute(() -> stop = true);
    }

    /** Closes the loop: its events, sockets (auto-close) and in-flight I/O go with it. */
    @Override
    public void close() {
        loop.close();
    }
}
