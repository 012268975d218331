package dev.tevent4j.epoll;

import dev.tevent4j.FdEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.Poller;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Level-triggered epoll. The ready array and the epoll_ctl argument are allocated once; the fd
 * is the epoll data, so a ready entry maps to its slot with no lookup structure in native code.
 */
public final class EpollPoller implements Poller {
    private static final int MAX_EVENTS = 1024;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment ready = arena.allocate(Epoll.EVENT_SIZE * MAX_EVENTS, 8);
    private final MemorySegment ctlArg = arena.allocate(Epoll.EVENT_SIZE, 8);
    private final int epfd;
    private boolean closed;

    public EpollPoller() {
        int fd = Epoll.epollCreate1(Epoll.EPOLL_CLOEXEC);
        if (fd < 0) {
            arena.close();
            throw new IllegalStateException("epoll_create1 failed: " + Errno.name(-fd));
        }
        epfd = fd;
    }

    /** The epoll fd, for a backend that nests another poller's fd in it. */
    public int epollFd() {
        return epfd;
    }

    /** tevent's mapping: READ asks for IN and RDHUP, ERROR for RDHUP; ERR and HUP always come. */
    static int epollEvents(int interest) {
        int ev = 0;
        if ((interest & FdEvent.READ) != 0) ev |= Epoll.EPOLLIN | Epoll.EPOLLRDHUP;
        if ((interest & FdEvent.WRITE) != 0) ev |= Epoll.EPOLLOUT;
        if ((interest & FdEvent.ERROR) != 0) ev |= Epoll.EPOLLRDHUP;
        return ev;
    }

    @Override
    public int setInterest(int fd, int oldInterest, int newInterest) {
        if (newInterest == 0) {
            int rc = Epoll.epollCtl(epfd, Epoll.EPOLL_CTL_DEL, fd, MemorySegment.NULL);
            // The kernel drops a registration by itself when the file goes away.
            return rc == -Errno.ENOENT ? 0 : rc;
        }
        ctlArg.set(ValueLayout.JAVA_INT, Epoll.EVENTS_OFFSET, epollEvents(newInterest));
        ctlArg.set(ValueLayout.JAVA_LONG_UNALIGNED, Epoll.DATA_OFFSET, fd);
        if (oldInterest == 0) {
            int rc = Epoll.epollCtl(epfd, Epoll.EPOLL_CTL_ADD, fd, ctlArg);
            // EEXIST: still registered (a remove that failed earlier): bring it in line instead.
            return rc == -Errno.EEXIST ? Epoll.epollCtl(epfd, Epoll.EPOLL_CTL_MOD, fd, ctlArg) : rc;
        }
        // ENOENT: the kernel dropped the registration with its file, closed behind the loop's
        // back; the loop disarms the stale events and adds the number afresh if it wants it.
        int rc = Epoll.epollCtl(epfd, Epoll.EPOLL_CTL_MOD, fd, ctlArg);
        if (rc == -Errno.EEXIST) return 0;
        return rc;
    }

    @Override
    public int poll(long timeoutNanos) {
        int n = Epoll.epollWait(epfd, ready, MAX_EVENTS, toMillis(timeoutNanos));
        // EINTR (a signal, or io_uring task work on a ring owned by this thread) is an empty wait.
        return n < 0 ? 0 : n;
    }

    /** Rounds up: a timer must never fire early. */
    static int toMillis(long timeoutNanos) {
        if (timeoutNanos < 0) return -1;
        long ms = (timeoutNanos + 999_999) / 1_000_000;
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    @Override
    public int readyFd(int i) {
        return (int) ready.get(ValueLayout.JAVA_LONG_UNALIGNED, i * Epoll.EVENT_SIZE + Epoll.DATA_OFFSET);
    }

    @Override
    public int readyEvents(int i) {
        int ev = ready.get(ValueLayout.JAVA_INT, i * Epoll.EVENT_SIZE + Epoll.EVENTS_OFFSET);
        int out = 0;
        if ((ev & Epoll.EPOLLIN) != 0) out |= IN;
        if ((ev & Epoll.EPOLLOUT) != 0) out |= OUT;
        if ((ev & (Epoll.EPOLLERR | Epoll.EPOLLHUP | Epoll.EPOLLRDHUP)) != 0) out |= HANGUP;
        return out;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Libc.close(epfd);
        arena.close();
    }
}
