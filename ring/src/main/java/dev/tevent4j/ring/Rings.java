package dev.tevent4j.ring;

import dev.tevent4j.EventLoop;

import java.util.Optional;

/**
 * The lookup a daemon's lower layers use to reach the io_uring ring of an event loop (what
 * Samba's {@code samba_io_uring_ev_context_get_ring} is to its tevent context): present on the
 * backends whose {@link EventLoop#io()} is a {@link RingAsyncIo} (hybrid and uring), empty on
 * epoll, whose AsyncIo is a thread pool.
 *
 * <p>Owner thread only, as the loop and the ring: from another thread the lookup throws. The
 * rules for what may be done with the ring are in {@code docs/ring.md}; in short, prefer
 * {@link RingAsyncIo#prepared} (a Request per op, counted in flight, cancellable), never reap
 * or wait on the ring, and give an SQE filled directly a {@link UserData#ignored} user_data.
 */
public final class Rings {
    private Rings() {}

    /**
     * The ring of {@code loop}, or empty when its AsyncIo is not on a ring.
     *
     * @param loop an open loop, on its owner thread
     * @return its ring, or empty (epoll)
     * @throws IllegalStateException when called from a thread other than the loop's owner, or
     *     after the loop was closed
     */
    public static Optional<Ring> of(EventLoop loop) {
        return asyncIoOf(loop).map(RingAsyncIo::ring);
    }

    /**
     * The ring AsyncIo of {@code loop} (the way to submit SQEs of one's own safely), or empty
     * when its AsyncIo is not on a ring.
     *
     * @param loop an open loop, on its owner thread
     * @return its ring AsyncIo, or empty (epoll)
     * @throws IllegalStateException when called from a thread other than the loop's owner, or
     *     after the loop was closed
     */
    public static Optional<RingAsyncIo> asyncIoOf(EventLoop loop) {
        // loop.io() checks the owner thread and opens the AsyncIo on first use (a ring backend's
        // is made by its poller: no thread, no syscall).
        return loop.io() instanceof RingAsyncIo io ? Optional.of(io) : Optional.empty();
    }
}
