package dev.tevent4j.internal;

import dev.tevent4j.EventTracePoint;
import dev.tevent4j.FdTraceCallback;
import dev.tevent4j.ImmediateTraceCallback;
import dev.tevent4j.SignalTraceCallback;
import dev.tevent4j.TimerTraceCallback;

/**
 * A loop's per-event trace callbacks (tevent_set_trace_fd_callback and the others) and the one
 * place their points are reported from, to the callback and, behind the {@link LoopJfr} switch,
 * to Flight Recorder. Unset and with JFR off, a point costs one null check.
 */
final class EventTraces {
    private final Loop loop;
    FdTraceCallback fd;
    TimerTraceCallback timer;
    ImmediateTraceCallback immediate;
    SignalTraceCallback signal;

    EventTraces(Loop loop) {
        this.loop = loop;
    }

    void fd(FdEventImpl e, EventTracePoint point) {
        FdTraceCallback cb = fd;
        if (cb != null) {
            try {
                cb.onTrace(e, point);
            } catch (Throwable t) {
                loop.reportUncaught(cb, t);
            }
        }
        if (LoopJfr.ON) LoopJfr.fdPoint(point, e.tag, e.fd());
    }

    void timer(TimerEventImpl e, EventTracePoint point) {
        TimerTraceCallback cb = timer;
        if (cb != null) {
            try {
                cb.onTrace(e, point);
            } catch (Throwable t) {
                loop.reportUncaught(cb, t);
            }
        }
        if (LoopJfr.ON) LoopJfr.timerPoint(point, e.tag, e.deadline);
    }

    void immediate(ImmediateImpl e, EventTracePoint point) {
        ImmediateTraceCallback cb = immediate;
        if (cb != null) {
            try {
                cb.onTrace(e, point);
            } catch (Throwable t) {
                loop.reportUncaught(cb, t);
            }
        }
        if (LoopJfr.ON) LoopJfr.immediatePoint(point, e.tag);
    }

    void signal(SignalEventImpl e, EventTracePoint point) {
        SignalTraceCallback cb = signal;
        if (cb != null) {
            try {
                cb.onTrace(e, point);
            } catch (Throwable t) {
                loop.reportUncaught(cb, t);
            }
        }
        if (LoopJfr.ON) LoopJfr.signalPoint(point, e.tag, e.signum);
    }
}
