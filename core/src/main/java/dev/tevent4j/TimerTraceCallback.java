package dev.tevent4j;

/**
 * Hears the {@link EventTracePoint}s of every {@link TimerEvent} of a loop, on the loop thread
 * (tevent_trace_timer_callback_t); set with {@link EventLoop#setTimerTrace}. It must not block; one that throws
 * is reported to the loop's uncaught-exception handler and the loop goes on.
 */
@FunctionalInterface
public interface TimerTraceCallback {
    /**
     * @param te the event
     * @param point what happens to it now
     */
    void onTrace(TimerEvent te, EventTracePoint point);
}
