package dev.tevent4j.internal;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.EventLoop;
import dev.tevent4j.EventLoopBase;
import dev.tevent4j.FdEvent;
import dev.tevent4j.FdHandler;
import dev.tevent4j.Request;
import dev.tevent4j.Immediate;
import dev.tevent4j.SignalEvent;
import dev.tevent4j.SignalHandler;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.TimerHandler;
import dev.tevent4j.TraceCallback;
import dev.tevent4j.TracePoint;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.LoopServices;
import dev.tevent4j.spi.Poller;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * The backend-neutral loop: timers, immediates, the threaded context, and the fan-out of kernel
 * readiness to FdEvents with tevent's TEVENT_FD_ERROR rules. A backend supplies only a
 * {@link Poller}. See docs/semantics.md for the contract this class keeps.
 */
public final class Loop extends EventLoopBase implements LoopServices {
    private static final System.Logger LOG = System.getLogger("dev.tevent4j");
    private static final BiConsumer<Object, Throwable> LOG_AND_GO_ON = (event, error) ->
            LOG.log(System.Logger.Level.WARNING, "handler of " + event + " threw; the loop goes on", error);

    private final String backendName;
    private final Thread owner;
    private final Poller poller;
    private final FdTable fds = new FdTable();
    private final TimerQueue timers = new TimerQueue();
    private final ImmediateQueue immediates = new ImmediateQueue();
    private final ThreadedContext threaded;
    private final int wakeFd;

    private final java.util.List<Runnable> closeHooks = new java.util.ArrayList<>(2);
    /** Run before {@link #closeHooks}: in-flight I/O is drained before requests are failed. */
    private final java.util.List<Runnable> ioCloseHooks = new java.util.ArrayList<>(2);
    /** close() ran inside an iteration: the poller is released when the iteration unwinds. */
    private boolean pollerClosePending;
    private AsyncIo io;
    /** AsyncIo ops in flight: they keep run() alive. */
    private int ioInFlight;
    /** Created by the first addSignal; null until then, so phase 1 costs one null check. */
    private LoopSignals signals;
    private TraceCallback trace;
    private BiConsumer<Object, Throwable> uncaught = LOG_AND_GO_ON;
    private boolean closed;
    /** close() is running: a second call from a runnable it drains returns at once. */
    private boolean closing;
    private boolean inIteration;
    /** Fd events that keep run() alive: open, armed, flags != 0. */
    private int liveFdEvents;
    /** Incremented before each fd dispatch batch; events added during a batch carry its number. */
    private long batch;

    Loop(String backendName, Poller poller) {
        this.backendName = backendName;
        this.owner = Thread.currentThread();
        this.poller = poller;
        ThreadedContext tc;
        try {
            tc = new ThreadedContext();
        } catch (RuntimeException e) {
            poller.close();
            throw e;
        }
        this.threaded = tc;
        this.wakeFd = tc.eventFd();
        int rc = poller.setInterest(wakeFd, 0, FdEvent.READ);
        if (rc < 0) {
            tc.close();
            poller.close();
            throw new IllegalStateException("cannot watch the wakeup eventfd: " + Errno.name(-rc));
        }
    }

    // ---------------------------------------------------------------- checks

    @Override
    public void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("event loop called from thread \"" + Thread.currentThread().getName()
                    + "\"; it belongs to \"" + owner.getName() + "\" (use executor() from other threads)");
        }
    }

    @Override
    public void checkOwnerAndOpen() {
        checkOwner();
        if (closed) {
            throw new IllegalStateException("the event loop is closed");
        }
    }

    /** Whether a handler of this loop is running (await and nested runs are refused then). */
    @Override
    public boolean inIteration() {
        return inIteration;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Runs when the loop closes, before its events are closed, in the order added. */
    @Override
    public void addCloseHook(Runnable hook) {
        closeHooks.add(hook);
    }

    @Override
    public void atClose(CloseStage stage, Runnable hook) {
        // DRAIN_IO runs before every plain close hook: AsyncIo cancels and drains its ops there,
        // so the kernel or a worker is done with every buffer before open requests are failed
        // and their cleanup functions free them.
        (stage == CloseStage.DRAIN_IO ? ioCloseHooks : closeHooks).add(hook);
    }

    @Override
    public EventLoop loop() {
        return this;
    }

    @Override
    public Request<Integer> newOpRequest() {
        Request<Integer> r = Request.create(this);
        markOpRequest(r);
        return r;
    }

    @Override
    public void completeOp(Request<Integer> r, AsyncIo.Op op, long res) {
        if (!r.isInProgress()) return;
        if (res == -Errno.ECANCELED && deadlinePassed(r)) {
            r.error(new TimeoutException("request timed out; its " + opName(op) + " was cancelled and has completed"));
        } else if (res < 0) {
            r.error(new ErrnoException(opName(op), (int) -res));
        } else {
            r.done((int) res);
        }
    }

    private static String opName(AsyncIo.Op op) {
        return op.name().toLowerCase(java.util.Locale.ROOT);
    }

    TimerQueue timers() {
        return timers;
    }

    ImmediateQueue immediates() {
        return immediates;
    }

    @Override
    public String backendName() {
        return backendName;
    }

    // ---------------------------------------------------------------- fd events

    @Override
    public FdEvent addFd(int fd, int flags, FdHandler handler) {
        checkOwnerAndOpen();
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
        FdEventImpl e = new FdEventImpl(this, slot, flags, handler, batch);
        slot.add(e);
        if (e.isLive()) liveFdEvents++;
        int rc = updateInterest(slot);
        if (rc < 0) {
            // disarm() (EBADF on an fd already registered) has uncounted it already
            if (e.isLive()) liveFdEvents--;
            slot.remove(e);
            e.closed = true;
            if (slot.count == 0) fds.remove(fd);
            throw new IllegalArgumentException(refusal(fd, -rc));
        }
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
        boolean wasLive = e.isLive();
        e.flags = flags;
        accountLive(e, wasLive);
        int rc = updateInterest(e.slot);
        if (rc == -Errno.EBADF || rc == -Errno.ENOENT) {
            // The fd was closed behind the loop's back (also while nothing was registered, when
            // the event had flags 0), or closed and its number reused: disarm, as tevent does,
            // rather than wait forever or call handlers for another file.
            if (!e.disarmed) disarmStale(e.slot, -rc);
        } else if (rc < 0) {
            boolean nowLive = e.isLive();
            e.flags = old;
            accountLive(e, nowLive);
            updateInterest(e.slot);
            throw new IllegalArgumentException(refusal(e.slot.fd, -rc));
        }
    }

    void closeFd(FdEventImpl e) {
        boolean wasLive = e.isLive();
        e.closed = true;
        accountLive(e, wasLive);
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
            reportUncaught(e, t);
        } finally {
            // A disarmed event's file was closed behind the loop's back: its number may name
            // another file now, which must not be closed for it.
            if (e.autoClose && !e.disarmed) {
                Libc.close(slot.fd);
            }
        }
    }

    private void accountLive(FdEventImpl e, boolean wasLive) {
        liveFdEvents += (e.isLive() ? 1 : 0) - (wasLive ? 1 : 0);
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
            boolean wasLive = e.isLive();
            e.disarmed = true;
            accountLive(e, wasLive);
        }
        slot.interest = 0;
        slot.gotError = false; // the error state was the old file's
    }

    // ---------------------------------------------------------------- timers and immediates

    @Override
    public TimerEvent addTimer(Duration after, TimerHandler handler) {
        checkOwnerAndOpen();
        long deadline = Checks.deadlineAfter(after, System.nanoTime());
        return addTimerAt(deadline, handler);
    }

    @Override
    public TimerEvent addTimerAt(long deadlineNanos, TimerHandler handler) {
        checkOwnerAndOpen();
        Checks.notNull(handler, "handler");
        TimerEventImpl t = new TimerEventImpl(this, handler);
        timers.arm(t, deadlineNanos);
        return t;
    }

    @Override
    public Immediate newImmediate(Runnable action) {
        checkOwnerAndOpen();
        Checks.notNull(action, "action");
        return new ImmediateImpl(this, action);
    }

    // ---------------------------------------------------------------- signals

    @Override
    public SignalEvent addSignal(String name, SignalHandler handler) {
        checkOwnerAndOpen();
        Checks.notNull(name, "name");
        Checks.notNull(handler, "handler");
        if (signals == null) {
            signals = new LoopSignals(this, threaded);
            addCloseHook(signals::closeAll);
        }
        return signals.add(name, handler);
    }

    @Override
    public Executor executor() {
        return threaded;
    }

    @Override
    public void setTraceCallback(TraceCallback cb) {
        checkOwnerAndOpen();
        trace = cb;
    }

    @Override
    public void setUncaughtExceptionHandler(BiConsumer<Object, Throwable> handler) {
        checkOwnerAndOpen();
        uncaught = handler == null ? LOG_AND_GO_ON : handler;
    }

    // ---------------------------------------------------------------- running

    private boolean isAlive() {
        return liveFdEvents > 0 || timers.active() > 0 || immediates.size() > 0 || ioInFlight > 0
                || (signals != null && signals.live() > 0);
    }

    @Override
    public AsyncIo io() {
        checkOwnerAndOpen();
        if (io == null) {
            AsyncIo offered = poller.openIo(this);
            io = offered != null ? offered : new ThreadPoolAsyncIo(this);
        }
        return io;
    }

    @Override
    public void ioStarted() {
        ioInFlight++;
    }

    @Override
    public void ioFinished() {
        ioInFlight--;
    }

    @Override
    public void run() {
        checkOwnerAndOpen();
        // A handler may close the loop: run() then returns instead of failing.
        while (!closed && isAlive() && runOnce()) {
            // each iteration does the work
        }
    }

    @Override
    public void runUntil(BooleanSupplier done) {
        checkOwnerAndOpen();
        Checks.notNull(done, "done");
        while (!done.getAsBoolean()) {
            if (!runOnce()) {
                throw new IllegalStateException("runUntil: no event is left that could make the condition true");
            }
        }
    }

    @Override
    public boolean runOnce() {
        checkOwnerAndOpen();
        if (inIteration) {
            throw new IllegalStateException("runOnce/run called from inside a handler of the same loop");
        }
        if (!isAlive() && !threaded.hasPending()) {
            return false;
        }
        inIteration = true;
        try {
            iterate();
        } finally {
            inIteration = false;
            if (pollerClosePending) {
                pollerClosePending = false;
                poller.close();
            }
        }
        return true;
    }

    private void iterate() {
        LoopJfr.LoopIteration jfr = LoopJfr.ON ? LoopJfr.beginIteration() : null;
        traceAt(TracePoint.BEFORE_LOOP_ONCE);
        boolean ran = signals != null && signals.runPending();
        ran |= runThreaded();
        ran |= runImmediates();
        ran |= runTimers();
        if (closed) return;

        long timeout;
        if (ran || immediates.size() > 0 || threaded.hasPending()) {
            timeout = 0;
        } else {
            long next = timers.nextDeadline();
            timeout = next == Long.MAX_VALUE ? -1 : Math.max(0, next - System.nanoTime());
        }
        boolean slept = timeout != 0 && threaded.prepareToSleep();
        if (slept && signals != null && signals.hasPending()) {
            // A signal counted before the gate said SLEEPING did not write the eventfd: this
            // re-check (volatile, after the gate's store) is the other half of that handshake.
            threaded.awake();
            slept = false;
        }
        if (timeout != 0 && !slept) timeout = 0;
        traceAt(TracePoint.BEFORE_WAIT);
        int n = poller.poll(timeout);
        if (slept) threaded.awake();
        traceAt(TracePoint.AFTER_WAIT);
        dispatchReady(n);
        traceAt(TracePoint.AFTER_LOOP_ONCE);
        if (LoopJfr.ON && jfr != null) LoopJfr.endIteration(jfr, backendName, n, timeout != 0);
    }

    private void drainThreaded() {
        Runnable r;
        while ((r = threaded.pollAll()) != null) {
            try {
                r.run();
            } catch (Throwable t) {
                reportUncaught(r, t);
            }
        }
    }

    private boolean runThreaded() {
        int n = threaded.pendingCount();
        for (int i = 0; i < n && !closed; i++) {
            Runnable r = threaded.poll();
            if (r == null) break;
            long t0 = LoopJfr.ON ? System.nanoTime() : 0;
            try {
                r.run();
            } catch (Throwable t) {
                reportUncaught(r, t);
            }
            if (LoopJfr.ON) LoopJfr.handlerRan(t0, "runnable", r);
        }
        return n > 0;
    }

    private boolean runImmediates() {
        long limit = immediates.phaseLimit();
        boolean ran = false;
        ImmediateImpl im;
        while (!closed && (im = immediates.takeBefore(limit)) != null) {
            ran = true;
            long t0 = LoopJfr.ON ? System.nanoTime() : 0;
            try {
                im.action.run();
            } catch (Throwable t) {
                reportUncaught(im, t);
            }
            if (LoopJfr.ON) LoopJfr.handlerRan(t0, "immediate", im);
        }
        return ran;
    }

    private boolean runTimers() {
        if (timers.nextDeadline() == Long.MAX_VALUE) {
            return false;
        }
        long now = System.nanoTime();
        int due = timers.takeDue(now);
        boolean ran = false;
        for (int i = 0; i < due && !closed; i++) {
            TimerEventImpl t = timers.claimDue(i);
            if (t == null) continue;
            ran = true;
            long t0 = LoopJfr.ON ? System.nanoTime() : 0;
            try {
                t.handler.onTimer(t, now);
            } catch (Throwable e) {
                reportUncaught(t, e);
            }
            if (LoopJfr.ON) LoopJfr.handlerRan(t0, "timer", t);
        }
        return ran;
    }

    private void dispatchReady(int n) {
        long thisBatch = ++batch;
        for (int i = 0; i < n && !closed; i++) {
            int fd = poller.readyFd(i);
            if (fd == wakeFd) {
                threaded.drainEventFd();
                continue;
            }
            FdSlot slot = fds.get(fd);
            if (slot != null) {
                dispatchFd(slot, poller.readyEvents(i), thisBatch);
            }
        }
    }

    /**
     * Calls one event of a ready fd, tevent's way: in the error state READ and ERROR fire, and an
     * event wanting neither is skipped; the chosen event moves to the end of the fd's list.
     */
    private void dispatchFd(FdSlot slot, int ready, long thisBatch) {
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
            long t0 = LoopJfr.ON ? System.nanoTime() : 0;
            try {
                e.handler.onFd(e, mine);
            } catch (Throwable t) {
                reportUncaught(e, t);
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
                boolean wasLive = e.isLive();
                e.flags &= ~FdEvent.WRITE;
                accountLive(e, wasLive);
            }
        }
        updateInterest(slot);
    }

    @Override
    public void reportUncaught(Object event, Throwable error) {
        try {
            uncaught.accept(event, error);
        } catch (Throwable t) {
            try {
                LOG_AND_GO_ON.accept(event, error);
                LOG.log(System.Logger.Level.WARNING, "the uncaught-exception handler threw too", t);
            } catch (Throwable logFailed) {
                printPlainly(event, error, logFailed);
            }
        }
    }

    /**
     * The last resort when even logging fails. Seen out of fds: java.util.logging's formatter
     * loads the time-zone file on first use, fails with EMFILE and throws an Error that would
     * otherwise end the loop thread. Printing a stack trace needs no file and no formatter.
     */
    private static void printPlainly(Object event, Throwable error, Throwable logFailed) {
        try {
            System.err.println("tevent4j: handler of " + event + " threw; the loop goes on (logging failed: " + logFailed + ")");
            error.printStackTrace();
        } catch (Throwable ignored) {
            // Nothing is left to report with; the loop must still go on.
        }
    }

    private void traceAt(TracePoint point) {
        TraceCallback cb = trace;
        if (cb != null) {
            try {
                cb.onTrace(point);
            } catch (Throwable t) {
                reportUncaught(cb, t);
            }
        }
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close() {
        if (closed || closing) {
            return;
        }
        checkOwner();
        closing = true;
        // Runnables the executor accepted run before anything is torn down (they may start
        // AsyncIo ops or touch events, which the stages below then drain and close).
        threaded.seal();
        drainThreaded();
        for (Runnable hook : ioCloseHooks) {
            try {
                hook.run();
            } catch (Throwable t) {
                reportUncaught(hook, t);
            }
        }
        for (Runnable hook : closeHooks) {
            try {
                hook.run();
            } catch (Throwable t) {
                reportUncaught(hook, t);
            }
        }
        closed = true;
        timers.clear();
        immediates.clear();
        for (FdSlot slot : fds.snapshot()) {
            while (slot.count > 0) {
                closeFd(slot.events[0]);
            }
        }
        threaded.close();
        if (inIteration) {
            // A handler closed the loop: the poller may be inside its own wait or reap (a ring
            // completion callback), so its memory is released when the iteration unwinds.
            pollerClosePending = true;
        } else {
            poller.close();
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + backendName + (closed ? ", closed" : "") + "]";
    }
}
