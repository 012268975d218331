package dev.tevent4j.internal;

import dev.tevent4j.EventTracePoint;
import dev.tevent4j.TraceCallback;
import dev.tevent4j.TracePoint;
import dev.tevent4j.spi.Poller;

/**
 * One pass of the loop (tevent_loop_once): the phases, signals, threaded runnables, immediates,
 * timers, then the wait and the fd dispatch, with the trace points and Flight Recorder events
 * around them. A handler that closes the loop ends the pass at the next handler boundary.
 */
final class Iteration {
    private final Loop loop;
    private final String backendName;
    private final Poller poller;
    private final ThreadedContext threaded;
    private final int wakeFd;
    private final TimerQueue timers;
    private final ImmediateQueue immediates;
    private final FdEvents fdEvents;
    private final EventTraces traces;
    private TraceCallback trace;

    Iteration(Loop loop, String backendName, Poller poller, ThreadedContext threaded,
              TimerQueue timers, ImmediateQueue immediates, FdEvents fdEvents, EventTraces traces) {
        this.traces = traces;
        this.loop = loop;
        this.backendName = backendName;
        this.poller = poller;
        this.threaded = threaded;
        this.wakeFd = threaded.eventFd();
        this.timers = timers;
        this.immediates = immediates;
        this.fdEvents = fdEvents;
    }

    void setTrace(TraceCallback cb) {
        trace = cb;
    }

    TraceCallback trace() {
        return trace;
    }

    /** One pass; the caller has checked that there is something to run or wait for. */
    void run() {
        LoopJfr.LoopIteration jfr = LoopJfr.ON ? LoopJfr.beginIteration() : null;
        traceAt(TracePoint.BEFORE_LOOP_ONCE);
        LoopSignals signals = loop.signals();
        boolean ran = signals != null && signals.runPending();
        ran |= runThreaded();
        ran |= runImmediates();
        ran |= runTimers();
        if (loop.isClosed()) return;
        signals = loop.signals(); // a handler may have added the first signal event

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

    /** Loop close, after the executor is sealed: runs every runnable it accepted. */
    void drainThreaded() {
        Runnable r;
        while ((r = threaded.pollAll()) != null) {
            try {
                r.run();
            } catch (Throwable t) {
                loop.reportUncaught(r, t);
            }
        }
    }

    /** Runs the runnables queued when the phase began; later ones wait for the next pass. */
    private boolean runThreaded() {
        int n = threaded.pendingCount();
        for (int i = 0; i < n && !loop.isClosed(); i++) {
            Runnable r = threaded.poll();
            if (r == null) break;
            long t0 = LoopJfr.ON ? System.nanoTime() : 0;
            try {
                r.run();
            } catch (Throwable t) {
                loop.reportUncaught(r, t);
            }
            if (LoopJfr.ON) LoopJfr.handlerRan(t0, "runnable", r);
        }
        return n > 0;
    }

    private boolean runImmediates() {
        long limit = immediates.phaseLimit();
        boolean ran = false;
        ImmediateImpl im;
        while (!loop.isClosed() && (im = immediates.takeBefore(limit)) != null) {
            ran = true;
            traces.immediate(im, EventTracePoint.BEFORE_HANDLER);
            long t0 = LoopJfr.ON ? System.nanoTime() : 0;
            try {
                im.action.run();
            } catch (Throwable t) {
                loop.reportUncaught(im, t);
            }
            immediates.ran(im);
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
        for (int i = 0; i < due && !loop.isClosed(); i++) {
            TimerEventImpl t = timers.claimDue(i);
            if (t == null) continue;
            ran = true;
            traces.timer(t, EventTracePoint.BEFORE_HANDLER);
            long t0 = LoopJfr.ON ? System.nanoTime() : 0;
            try {
                t.handler.onTimer(t, now);
            } catch (Throwable e) {
                loop.reportUncaught(t, e);
            }
            timers.fired(t);
            if (LoopJfr.ON) LoopJfr.handlerRan(t0, "timer", t);
        }
        return ran;
    }

    private void dispatchReady(int n) {
        long batch = fdEvents.startBatch();
        for (int i = 0; i < n && !loop.isClosed(); i++) {
            int fd = poller.readyFd(i);
            if (fd == wakeFd) {
                threaded.drainEventFd();
                continue;
            }
            fdEvents.dispatch(fd, poller.readyEvents(i), batch);
        }
    }

    private void traceAt(TracePoint point) {
        TraceCallback cb = trace;
        if (cb != null) {
            try {
                cb.onTrace(point);
            } catch (Throwable t) {
                loop.reportUncaught(cb, t);
            }
        }
    }
}
