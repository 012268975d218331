package dev.tevent4j.internal;

import dev.tevent4j.EventTracePoint;

import dev.tevent4j.FdEvent;
import dev.tevent4j.FdHandler;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.Poller;

/**
 * A loop's fd events (tevent_fd.c): many events on one fd share one kernel registration, which
 * follows their flags; a ready fd calls one of its events, round-robin, with tevent's
 * TEVENT_FD_ERROR rules; a file closed behind the loop's back disarms its events. Also counts
 * the live events (open, armed, flags != 0) that keep {@link dev.tevent4j.EventLoop#run()} going.
 */
final class FdEvents {
    private static final System.Logger LOG = System.getLogger("dev.tevent4j");

    private final Loop loop;
    private final Poller poller;
    /** The loop's own wakeup eventfd: registered by the loop, never an FdEvent's. */
    private final int wakeFd;
    private final FdTable fds = new FdTable();
    /** Events for which {@link FdEventImpl#isLive()} holds; kept by {@link #transition} alone. */
    private int live;
    /** Incremented before each dispatch batch; events added during a batch carry its number. */
    private long batch;

    FdEvents(Loop loop, Poller poller, int wakeFd) {
        this.loop = loop;
        this.poller = poller;
        this.wakeFd = wakeFd;
    }

    Loop loop() {
        return loop;
    }

    /** Fd events that keep run() alive. */
    int live() {
        return live;
    }

    /**
     * The one place an event's flags, closed or disarmed state changes: whatever the change, the
     * live count follows it.
     */
    private void transition(FdEventImpl e, int flags, boolean closed, boolean disarmed) {
        boolean wasLive = e.isLive();
        e.flags = flags;
        e.closed = closed;
        e.disarmed = disarmed;
        live += (e.isLive() ? 1 : 0) - (wasLive ? 1 : 0);
    }

    // ---------------------------------------------------------------- add, change, close

    FdEvent add(int fd, int flags, FdHandler handler) {
        Checks.fd(fd);
        Checks.fdFlags(flags);
        Checks.notNull(handler, "handler");
        if (fd == wakeFd) {
            throw new IllegalArgumentException("fd " + fd + " is the loop's own wakeup eventfd");
        }
        FdSlot slot = fds.getOrCreate(fd);
        if (slot.count > 0 && slot.interest != 0) {
            // Another event joins a registered fd: make sure the registration is still for the
            // file open under this number (one epoll_ctl, only in this rare case).
            int rc = poller.setInterest(fd, slot.interest, slot.interest);
            if (rc == -Errno.ENOENT || rc == -Errno.EBADF) disarmStale(slot, -rc);
        }
        // Born with flags 0 (not live), so that the transition below counts it.
        FdEventImpl e = new FdEventImpl(this, slot, handler, batch);
        slot.add(e);
        transition(e, flags, false, false);
        int rc = updateInterest(slot);
        if (rc < 0) {
            // EBADF on an fd already registered has disarmed it meanwhile: closing it then
            // changes the count by nothing, as it must.
            transition(e, e.flags, true, e.disarmed);
            slot.remove(e);
            if (slot.count == 0) fds.remove(fd);
            throw new IllegalArgumentException(refusal(fd, -rc));
        }
        loop.traces().fd(e, EventTracePoint.ATTACH);
        return e;
    }

    private static String refusal(int fd, int errno) {
        return switch (errno) {
            case Errno.EBADF -> "fd " + fd + " is not an open file descriptor (EBADF)";
            case Errno.EPERM -> "fd " + fd + " cannot be watched for readiness: regular files and directories are always ready (EPERM)";
            default -> "fd " + fd + " cannot be watched: " + Errno.name(errno) + " (" + Errno.describe(errno) + ")";
        };
    }

    void changeFlags(FdEventImpl e, int flags) {
        if (e.flags == flags) {
            return;
        }
        int old = e.flags;
        transition(e, flags, e.closed, e.disarmed);
        int rc = updateInterest(e.slot);
        if (rc == -Errno.EBADF || rc == -Errno.ENOENT) {
            // The fd was closed behind the loop's back (also while nothing was registered, when
            // the event had flags 0), or closed and its number reused: disarm, as tevent does,
            // rather than wait forever or call handlers for another file.
            if (!e.disarmed) disarmStale(e.slot, -rc);
        } else if (rc < 0) {
            transition(e, old, e.closed, e.disarmed);
            updateInterest(e.slot);
            throw new IllegalArgumentException(refusal(e.slot.fd, -rc));
        }
    }

    void close(FdEventImpl e) {
        transition(e, e.flags, true, e.disarmed);
        loop.traces().fd(e, EventTracePoint.DETACH);
        FdSlot slot = e.slot;
        slot.remove(e);
        if (slot.count == 0) {
            if (slot.interest != 0) {
                poller.setInterest(slot.fd, slot.interest, 0);
                slot.interest = 0;
            }
            fds.remove(slot.fd);
        } else {
            updateInterest(slot);
        }
        // tevent order: the close fn sees the fd still open, then auto-close closes it.
        try {
            if (e.closeFn != null) {
                e.closeFn.onClose(e, slot.fd);
            }
        } catch (Throwable t) {
            loop.reportUncaught(e, t);
        } finally {
            // A disarmed event's file was closed behind the loop's back: its number may name
            // another file now, which must not be closed for it.
            if (e.autoClose && !e.disarmed) {
                Libc.close(slot.fd);
            }
        }
    }

    /** Loop close: closes every event, each fd's in its round-robin order. */
    void closeAll() {
        for (FdSlot slot : fds.snapshot()) {
            while (slot.count > 0) {
                close(slot.events[0]);
            }
        }
    }

    /**
     * Brings the kernel registration in line with the slot's events; a syscall only when it
     * changes. EBADF means the fd was closed behind the loop's back: tevent disarms every event
     * on it and goes on, and so do we.
     */
    private int updateInterest(FdSlot slot) {
        int want = slot.wantedInterest();
        if (want == slot.interest) {
            return 0;
        }
        int rc = poller.setInterest(slot.fd, slot.interest, want);
        if (rc == 0) {
            slot.interest = want;
        } else if ((rc == -Errno.EBADF || rc == -Errno.ENOENT) && slot.interest != 0) {
            disarmStale(slot, -rc);
        }
        return rc;
    }

    /**
     * The fd's events watch a file that is gone (EBADF: closed; ENOENT: closed and the number
     * reused for another file): they are never called again, and the number is free to be
     * registered afresh for whoever adds an event on it next.
     */
    private void disarmStale(FdSlot slot, int errno) {
        LOG.log(System.Logger.Level.WARNING, "fd " + slot.fd + (errno == Errno.ENOENT
                ? " was closed and its number reused while " + slot.count + " FdEvent(s) watched the old file"
                : " was closed while " + slot.count + " FdEvent(s) were registered on it")
                + "; they are disarmed and never called again (close an FdEvent before its fd)");
        for (int i = 0; i < slot.count; i++) {
            FdEventImpl e = slot.events[i];
            transition(e, e.flags, e.closed, true);
        }
        slot.interest = 0;
        slot.gotError = false; // the error state was the old file's
    }

    // ---------------------------------------------------------------- dispatch

    /** Starts a dispatch batch: events added from now on wait for the next one. */
    long startBatch() {
        return ++batch;
    }

    /**
     * Calls one event of a ready fd, tevent's way: in the error state READ and ERROR fire, and an
     * event wanting neither is skipped; the chosen event moves to the end of the fd's list.
     */
    void dispatch(int fd, int ready, long thisBatch) {
        FdSlot slot = fds.get(fd);
        if (slot == null) {
            return; // every event on it was closed after the wait reported it
        }
        if ((ready & Poller.HANGUP) != 0) {
            slot.gotError = true;
        }
        int fired = 0;
        if (slot.gotError) fired |= FdEvent.READ | FdEvent.ERROR;
        if ((ready & Poller.IN) != 0) fired |= FdEvent.READ;
        if ((ready & Poller.OUT) != 0) fired |= FdEvent.WRITE;

        for (int i = 0; i < slot.count; i++) {
            FdEventImpl e = slot.events[i];
            if (e.disarmed || e.addedInBatch == thisBatch) continue;
            int flags = e.flags;
            if (slot.gotError && (flags & (FdEvent.READ | FdEvent.ERROR)) == 0) continue;
            int mine = fired & flags;
            if (mine == 0) continue;
            slot.rotateToEnd(i);
            loop.traces().fd(e, EventTracePoint.BEFORE_HANDLER);
            long t0 = LoopJfr.ON ? System.nanoTime() : 0;
            try {
                e.handler.onFd(e, mine);
            } catch (Throwable t) {
                loop.reportUncaught(e, t);
            }
            if (LoopJfr.ON) LoopJfr.handlerRan(t0, "fd", e);
            return;
        }
        if (slot.gotError) {
            dropWritersAfterError(slot);
        }
    }

    /**
     * tevent's write-only rule: nobody on an fd in the error state can be called, so WRITE is
     * cleared from every event and the registration shrinks (or goes) so epoll stops reporting.
     */
    private void dropWritersAfterError(FdSlot slot) {
        for (int i = 0; i < slot.count; i++) {
            FdEventImpl e = slot.events[i];
            if ((e.flags & FdEvent.WRITE) != 0) {
                transition(e, e.flags & ~FdEvent.WRITE, e.closed, e.disarmed);
            }
        }
        updateInterest(slot);
    }
}
