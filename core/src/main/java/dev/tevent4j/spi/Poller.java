package dev.tevent4j.spi;

/**
 * The kernel side of a backend, like tevent's {@code tevent_ops} reduced to what differs between
 * backends: watch an fd, wait, report readiness. Everything else (fan-out of several events per
 * fd, TEVENT_FD_ERROR rules, timers, immediates, wakeups) is common code in the loop. Called
 * only from the loop thread.
 *
 * <p>Readiness is reported in three normalised bits; the loop turns them into FdEvent flags.
 */
public interface Poller extends AutoCloseable {
    /** Readable (EPOLLIN / POLLIN). */
    int IN = 1;
    /** Writable (EPOLLOUT / POLLOUT). */
    int OUT = 2;
    /** Error, hangup or peer half-close (EPOLLERR, EPOLLHUP, EPOLLRDHUP or their poll twins). */
    int HANGUP = 4;

    /**
     * Changes what the kernel watches on {@code fd}. Interests use the FdEvent bits (READ=1,
     * WRITE=2, ERROR=4); READ asks for input and half-close, WRITE for output, ERROR for
     * half-close (hangups and errors are always reported while the fd is watched).
     *
     * <p>With {@code oldInterest == newInterest != 0} it is a revalidation, asked when another
     * event joins a registered fd: nothing changes, but -ENOENT reports that the file the
     * registration was made for has been closed and the number may name another file now.
     *
     * @param oldInterest what is watched now; 0 when the fd is not registered
     * @param newInterest what to watch; 0 removes the registration
     * @return 0, or -errno: EBADF when the fd was closed behind the loop's back, ENOENT when it
     *     was closed and its number reused (the registration is for the old file)
     */
    int setInterest(int fd, int oldInterest, int newInterest);

    /**
     * Waits for readiness.
     *
     * @param timeoutNanos 0 polls, negative waits until something is ready; a positive timeout
     *     may be rounded up, never down
     * @return how many entries {@link #readyFd} and {@link #readyEvents} hold (0 on timeout or
     *     an interrupted wait)
     */
    int poll(long timeoutNanos);

    /** The fd of ready entry {@code i} of the last {@link #poll}. */
    int readyFd(int i);

    /** The readiness bits ({@link #IN}, {@link #OUT}, {@link #HANGUP}) of entry {@code i}. */
    int readyEvents(int i);

    /**
     * The AsyncIo this backend offers for {@code loop}, or null for the thread pool. A ring-based
     * poller submits the ring's pending SQEs before it waits and reaps completions after.
     */
    default dev.tevent4j.AsyncIo openIo(LoopServices loop) {
        return null;
    }

    /** Releases the kernel objects; idempotent. */
    @Override
    void close();
}
