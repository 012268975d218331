package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The open connections of one loop, so that a shard can close them all when it shuts down.
 * Used on the loop thread only.
 *
 * @param <C> the server's connection type
 */
public final class Connections<C extends Connections.Conn> {
    /** A connection that can be closed; it calls {@link #remove} once it is really closed. */
    public interface Conn {
        /** Closes the connection now, or starts closing it when a reply is in flight. */
        void close();
    }

    private final Set<C> open = new HashSet<>();

    /** Tracks a new connection. */
    public void add(C c) {
        open.add(c);
    }

    /** Forgets a connection that has closed. */
    public void remove(C c) {
        open.remove(c);
    }

    /** Closes every connection (a copy is walked: closing removes). */
    public void closeAll() {
        for (C c : Set.copyOf(open)) c.close();
    }

    /**
     * Closes every connection, then runs {@code loop} until the ones with a reply in flight have
     * closed too, for at most 5 s: a reply ends quickly once its socket is shut down, and waiting
     * for it means no buffer or fd is released while the ring or a worker still uses it.
     */
    public void closeAllAndDrain(EventLoop loop) {
        closeAll();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        if (!open.isEmpty() && loop != null) loop.runUntil(() -> open.isEmpty() || System.nanoTime() > deadline);
    }
}
