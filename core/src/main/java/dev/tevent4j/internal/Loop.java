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
import dev.tevent4j.FdTraceCallback;
import dev.tevent4j.ImmediateTraceCallback;
import dev.tevent4j.LoopWrapper;
import dev.tevent4j.QueueEntry;
import dev.tevent4j.QueueTracePoint;
import dev.tevent4j.SignalTraceCallback;
import dev.tevent4j.TimerTraceCallback;
import dev.tevent4j.WrapperHooks;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.spi.LoopServices;
import dev.tevent4j.spi.Poller;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * The backend-neutral loop, as its users and backends see it: the {@link EventLoop} methods and
 * the {@link LoopServices} of a backend. It checks the caller, keeps what decides whether
 * run() goes on, and delegates: fd events to {@link FdEvents}, one pass of the loop to
 * {@link Iteration}, the close hooks to {@link CloseStages}, handlers' exceptions to
 * {@link UncaughtReporter}; timers, immediates, signals and the executor have classes of their
 * own too. A backend supplies only a {@link Poller}. See docs/semantics.md for the contract.
 */
public final class Loop extends EventLoopBase implements LoopServices {
    private final String backendName;
    private final Thread owner;
    private final Poller poller;
    /** The sizes and limits the loop was opened with (the thread pool's size, on epoll). */
    private final dev.tevent4j.LoopOptions options;
    private final EventTraces traces = new EventTraces(this);
    private final TimerQueue timers = new TimerQueue(traces);
    private final ImmediateQueue immediates = new ImmediateQueue(traces);
    private final ThreadedContext threaded;
    private final FdEvents fdEvents;
    private final Iteration iteration;
    private final CloseStages closeStages = new CloseStages(this);
    private final UncaughtReporter uncaught = new UncaughtReporter();

    /** close() ran inside an iteration: the poller is released when the iteration unwinds. */
    private boolean pollerClosePending;
    private AsyncIo io;
    /** AsyncIo ops in flight: they keep run() alive. */
    private int ioInFlight;
    /** Created by the first addSignal; null until then, so phase 1 costs one null check. */
    private LoopSignals signals;
    private boolean closed;
    /** close() is running: a second call from a runnable it drains returns at once. */
    private boolean closing;
    private boolean inIteration;

    Loop(String backendName, Poller poller) {
        this(backendName, poller, dev.tevent4j.LoopOptions.defaults());
    }

    Loop(String backendName, Poller poller, dev.tevent4j.LoopOptions options) {
        this.options = options;
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
        int rc = poller.setInterest(tc.eventFd(), 0, FdEvent.READ);
        if (rc < 0) {
            tc.close();
            poller.close();
            throw new IllegalStateException("cannot watch the wakeup eventfd: " + Errno.name(-rc));
        }
        this.fdEvents = new FdEvents(this, poller, tc.eventFd());
        this.iteration = new Iteration(this, backendName, poller, tc, timers, immediates, fdEvents, traces);
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
        closeStages.add(CloseStage.RELEASE, hook);
    }

    @Override
    public void atClose(CloseStage stage, Runnable hook) {
        closeStages.add(stage, hook);
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

    EventTraces traces() {
        return traces;
    }

    /** The signal events, or null before the first addSignal. */
    LoopSignals signals() {
        return signals;
    }

    @Override
    public String backendName() {
        return backendName;
    }

    // ---------------------------------------------------------------- fd events

    @Override
    public FdEvent addFd(int fd, int flags, FdHandler handler) {
        checkOwnerAndOpen();
        return fdEvents.add(fd, flags, handler);
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
        iteration.setTrace(cb);
    }

    @Override
    public TraceCallback traceCallback() {
        return iteration.trace();
    }

    @Override
    public void setFdTrace(FdTraceCallback cb) {
        checkOwnerAndOpen();
        traces.fd = cb;
    }

    @Override
    public FdTraceCallback fdTrace() {
        return traces.fd;
    }

    @Override
    public void setTimerTrace(TimerTraceCallback cb) {
        checkOwnerAndOpen();
        traces.timer = cb;
    }

    @Override
    public TimerTraceCallback timerTrace() {
        return traces.timer;
    }

    @Override
    public void setImmediateTrace(ImmediateTraceCallback cb) {
        checkOwnerAndOpen();
        traces.immediate = cb;
    }

    @Override
    public ImmediateTraceCallback immediateTrace() {
        return traces.immediate;
    }

    @Override
    public void setSignalTrace(SignalTraceCallback cb) {
        checkOwnerAndOpen();
        traces.signal = cb;
    }

    @Override
    public SignalTraceCallback signalTrace() {
        return traces.signal;
    }

    @Override
    protected void recordQueuePoint(QueueEntry e, QueueTracePoint point) {
        if (LoopJfr.ON) LoopJfr.queuePoint(e, point);
    }

    // ---------------------------------------------------------------- wrappers

    @Override
    public LoopWrapper wrapper(String name, WrapperHooks hooks) {
        checkOwnerAndOpen();
        return new WrapperLoop(this, name, hooks);
    }

    @Override
    public void setUncaughtExceptionHandler(BiConsumer<Object, Throwable> handler) {
        checkOwnerAndOpen();
        uncaught.setHandler(handler);
    }

    // ---------------------------------------------------------------- running

    private boolean isAlive() {
        return fdEvents.live() > 0 || timers.active() > 0 || immediates.size() > 0 || ioInFlight > 0
                || (signals != null && signals.live() > 0);
    }

    @Override
    public AsyncIo io() {
        checkOwnerAndOpen();
        if (io == null) {
            AsyncIo offered = poller.openIo(this);
            io = offered != null ? offered : new ThreadPoolAsyncIo(this, options.ioWqBoundedWorkers());
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
            iteration.run();
        } finally {
            inIteration = false;
            if (pollerClosePending) {
                pollerClosePending = false;
                poller.close();
            }
        }
        return true;
    }

    @Override
    public void reportUncaught(Object event, Throwable error) {
        uncaught.report(event, error);
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
        iteration.drainThreaded();
        closeStages.run();
        closed = true;
        timers.clear();
        immediates.clear();
        fdEvents.closeAll();
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
