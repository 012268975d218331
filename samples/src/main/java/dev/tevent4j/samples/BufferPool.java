package dev.tevent4j.samples;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * One loop's free list of same-sized native buffers, for the sample servers' per-connection and
 * per-reply memory. Loop thread only.
 *
 * <p>Why a pool and not {@code Arena.ofAuto()}: an auto arena's memory is freed only when the
 * GC finds it unreachable, and native memory does not make the GC run: with a small heap,
 * thousands of short connections each holding a 1 MiB chunk grew the process to gigabytes.
 * Why not an arena per connection: buffers are touched by other threads (fileserve's workers,
 * the epoll backend's AsyncIo pool), so it would be a shared arena, whose close is a handshake
 * with every thread, once per connection. A pool frees nothing on the hot path and bounds what
 * it keeps: a buffer given back while {@code maxIdle} are already idle is freed at once.
 *
 * <p>Each buffer has its own shared arena so it can be freed alone. A buffer is given back
 * only when nothing uses it any more: by a connection that has closed with no op in flight, or
 * by a reply that has completed. {@link #close()} frees the idle buffers; one still lent out
 * then (its connection did not drain) is left to the process's end rather than freed under an
 * op that may still write to it.
 */
final class BufferPool implements AutoCloseable {
    /** A pooled buffer: the segment and the arena that frees it. */
    static final class Buffer {
        private final Arena arena;
        private final MemorySegment segment;

        private Buffer(Arena arena, MemorySegment segment) {
            this.arena = arena;
            this.segment = segment;
        }

        MemorySegment segment() {
            return segment;
        }
    }

    private final long size;
    private final int maxIdle;
    private final ArrayDeque<Buffer> idle = new ArrayDeque<>();
    private int lent;
    private boolean closed;

    /**
     * @param size    bytes per buffer
     * @param maxIdle idle buffers kept for reuse; more given back are freed
     */
    BufferPool(long size, int maxIdle) {
        if (size <= 0) throw new IllegalArgumentException("size must be positive, got " + size);
        if (maxIdle < 0) throw new IllegalArgumentException("maxIdle must be >= 0, got " + maxIdle);
        this.size = size;
        this.maxIdle = maxIdle;
    }

    /** An idle buffer, or a new one (its contents are unspecified). */
    Buffer take() {
        if (closed) throw new IllegalStateException("buffer pool closed");
        Buffer b = idle.pollFirst();
        if (b == null) {
            Arena a = Arena.ofShared();
            b = new Buffer(a, a.allocate(size, 64));
        }
        lent++;
        return b;
    }

    /** Gives {@code b} back; nothing may use it any more. Null is ignored. */
    void give(Buffer b) {
        if (b == null) return;
        lent--;
        if (closed) return; // see the class comment: left, not freed
        if (idle.size() < maxIdle) idle.addFirst(b); // most recently used first: its pages are warm
        else b.arena.close();
    }

    /** Buffers taken and not given back. */
    int lent() {
        return lent;
    }

    /** Buffers kept for reuse. */
    int idle() {
        return idle.size();
    }

    /** Frees the idle buffers; later {@link #give}s free nothing. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Buffer b : idle) b.arena.close();
        idle.clear();
    }
}
