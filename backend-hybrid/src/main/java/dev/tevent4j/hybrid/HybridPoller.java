package dev.tevent4j.hybrid;

import dev.tevent4j.FdEvent;
import dev.tevent4j.epoll.EpollPoller;
import dev.tevent4j.spi.LoopServices;
import dev.tevent4j.AsyncIo;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.Poller;
import dev.tevent4j.ring.Ring;
import dev.tevent4j.ring.RingAsyncIo;
import dev.tevent4j.ring.RingUnavailableException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * epoll for fd events, an io_uring ring for AsyncIo, and the ring's completion notification as
 * one more fd in the epoll set (Samba's ev_hybrid).
 *
 * <p>Two ways to be told of completions, chosen with {@code -Dtevent4j.hybrid.notify}:
 * <ul>
 *   <li>{@code eventfd}: the ring is set up with DEFER_TASKRUN, and an eventfd
 *   registered with IORING_REGISTER_EVENTFD sits in epoll. With DEFER_TASKRUN the ring fd never
 *   wakes epoll (measured on 6.18: docs/backends.md), and completions are only posted
 *   by io_uring_enter(GETEVENTS): so the SQEs of an iteration are submitted with GETEVENTS in one
 *   enter before the wait, and after the eventfd fires one more enter flushes the task work.</li>
 *   <li>{@code ringfd} (default, measured faster: docs/hybrid-notify.md): no DEFER_TASKRUN; the
 *   ring fd itself is in epoll. Completions then run
 *   as task work that interrupts epoll_wait (EINTR), which the epoll poller already treats as an
 *   empty wait.</li>
 * </ul>
 * Either way the CQ is reaped from shared memory after every wait: no syscall when it is empty.
 *
 * <p>Should io_uring_enter be refused for good once the loop runs (a seccomp filter installed
 * later), fd events go on (they are epoll's) and every AsyncIo op fails with an ErrnoException
 * naming the refusal instead of waiting for a completion that cannot come.
 */
public final class HybridPoller implements Poller {
    static final String NOTIFY_PROPERTY = "tevent4j.hybrid.notify";

    private final EpollPoller epoll = new EpollPoller();
    private final Ring ring;
    private final boolean deferTaskrun;
    /** The fd in epoll that reports completions: the registered eventfd or the ring fd. */
    private final int notifyFd;
    private final int eventFd;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment drain = arena.allocate(ValueLayout.JAVA_LONG);
    private RingAsyncIo io;
    private int readyCount;
    /** Index of the notification fd in the last ready list, or -1: hidden from the loop. */
    private int hidden = -1;
    private boolean closed;

    /**
     * Opens the epoll set and a ring in the notification mode {@code -Dtevent4j.hybrid.notify} chooses (ringfd by default).
     *
     * @throws RingUnavailableException when the kernel refuses the ring
     */
    public HybridPoller() {
        this(dev.tevent4j.LoopOptions.defaults());
    }

    /**
     * As {@link #HybridPoller()}, the ring sized and limited by {@code options}.
     *
     * @param options the loop's options
     * @throws RingUnavailableException when the kernel refuses the ring
     */
    public HybridPoller(dev.tevent4j.LoopOptions options) {
        // ringfd is the default: measured 32-40 % faster per op with half the syscalls (docs/hybrid-notify.md).
        boolean useEventFd = "eventfd".equals(System.getProperty(NOTIFY_PROPERTY, "ringfd"));
        Ring r;
        try {
            r = dev.tevent4j.ring.RingSetup.open(options, 0, useEventFd, 0);
        } catch (RuntimeException e) {
            epoll.close();
            arena.close();
            throw e;
        }
        ring = r;
        deferTaskrun = ring.hasFlag(dev.tevent4j.ring.IoUringAbi.IORING_SETUP_DEFER_TASKRUN);
        if (useEventFd) {
            eventFd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
            int rc = eventFd < 0 ? eventFd : ring.registerEventFd(eventFd);
            if (rc < 0) {
                closeQuietly();
                if (rc == -Errno.EPERM || rc == -Errno.EACCES || rc == -Errno.ENOSYS) {
                    // A seccomp filter: the default backend falls back to epoll on this exception.
                    throw new RingUnavailableException(Ring.registerRefusedMessage(-rc), -rc);
                }
                throw new IllegalStateException("cannot register an eventfd with io_uring: " + Errno.name(-rc));
            }
            notifyFd = eventFd;
        } else {
            eventFd = -1;
            notifyFd = ring.fd();
        }
        int rc = epoll.setInterest(notifyFd, 0, FdEvent.READ);
        if (rc < 0) {
            closeQuietly();
            throw new IllegalStateException("cannot watch the ring's completion fd: " + Errno.name(-rc));
        }
    }

    /**
     * The ring, for tests and diagnostics.
     *
     * @return the ring AsyncIo runs on
     */
    public Ring ring() {
        return ring;
    }

    @Override
    public AsyncIo openIo(LoopServices loop) {
        if (io == null) io = new RingAsyncIo(loop, ring);
        return io;
    }

    @Override
    public int setInterest(int fd, int oldInterest, int newInterest) {
        return epoll.setInterest(fd, oldInterest, newInterest);
    }

    @Override
    public int poll(long timeoutNanos) {
        if (io != null) {
            // The iteration's SQEs go to the kernel in one enter; with DEFER_TASKRUN the same
            // enter runs pending task work so finished ops reach the CQ.
            if (ring.pendingSubmissions() > 0 && ring.enterRefusal() == 0) {
                ring.submit(deferTaskrun && io.inFlight() > 0);
            }
            // A refused enter leaves ops that only failInFlight below can finish: do not sleep first.
            if (ring.hasCompletions() || (ring.enterRefusal() != 0 && io.inFlight() > 0)) {
                timeoutNanos = 0;
            }
        }
        int n = epoll.poll(timeoutNanos);
        hidden = -1;
        for (int i = 0; i < n; i++) {
            if (epoll.readyFd(i) == notifyFd) {
                hidden = i;
                if (eventFd >= 0) {
                    Libc.read(eventFd, drain, 8);
                }
                if (deferTaskrun && ring.enterRefusal() == 0) {
                    ring.submit(true);
                }
                break;
            }
        }
        readyCount = hidden < 0 ? n : n - 1;
        // Completions without an op in flight are a daemon's own SQEs (docs/ring.md): reaped and
        // dropped, or the ring fd would stay readable and every epoll_wait return at once.
        if (io != null && (io.inFlight() > 0 || ring.hasCompletions())) {
            io.reap();
            if (ring.enterRefusal() != 0) {
                io.failInFlight(ring.enterRefusal()); // Ring logged the refusal, once
            }
        }
        return readyCount;
    }

    @Override
    public int readyFd(int i) {
        return epoll.readyFd(hidden >= 0 && i >= hidden ? i + 1 : i);
    }

    @Override
    public int readyEvents(int i) {
        return epoll.readyEvents(hidden >= 0 && i >= hidden ? i + 1 : i);
    }

    private void closeQuietly() {
        ring.close();
        if (eventFd >= 0) Libc.close(eventFd);
        epoll.close();
        arena.close();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        closeQuietly();
    }
}
