package dev.tevent4j;

/**
 * Interest in one file descriptor, registered with {@link EventLoop#addFd}.
 *
 * <p>Fd events are level-triggered on every backend. Several FdEvents may watch the same fd;
 * each receives only the flags it asked for, and per loop iteration one of them is called,
 * round-robin (tevent's rule). {@link #ERROR} fires on a hangup, an error or a peer's
 * half-close (EPOLLHUP, EPOLLERR, EPOLLRDHUP); once an fd has reported one of these, an event
 * that wants neither {@link #READ} nor {@link #ERROR} is never called again and loses its
 * {@link #WRITE} flag (tevent's write-only rule: ask for {@code WRITE | ERROR} to hear of
 * errors while writing).
 *
 * <p>Close the event before closing its fd (or use {@link #setAutoClose}): the kernel reuses
 * fd numbers.
 */
public interface FdEvent {
    /** Readable, or (in the error state) the fd has an error or hangup to read. tevent's value. */
    int READ = 1;
    /** Writable. tevent's value. */
    int WRITE = 2;
    /** Error, hangup or peer half-close (TEVENT_FD_ERROR). tevent's value. */
    int ERROR = 4;

    /** The watched file descriptor. */
    int fd();

    /** The flags this event currently asks for; WRITE disappears under the write-only rule. */
    int flags();

    /**
     * Changes the flags; takes effect at once, also for the batch being dispatched.
     *
     * @throws IllegalArgumentException if {@code flags} has bits other than READ|WRITE|ERROR
     * @throws IllegalStateException if the event is closed, or called off the loop thread
     */
    void setFlags(int flags);

    /** When on, the fd is closed when this event is closed (after the close function). */
    void setAutoClose(boolean on);

    /** Called once when the event is closed, before auto-close closes the fd; null removes it. */
    void setCloseFn(FdCloseFn fn);

    /** Whether {@link #close()} was called, directly or by closing the loop. */
    boolean isClosed();

    /**
     * The caller's tag, 0 unless set (tevent_fd_get_tag): a number that trace callbacks and
     * Flight Recorder events show, e.g. to tell a connection's events from another's.
     */
    long tag();

    /** Sets the tag (tevent_fd_set_tag); also on a closed or inactive event. Loop thread only. */
    void setTag(long tag);

    /** Deregisters the event; idempotent and safe inside any handler, its own included. */
    void close();
}
