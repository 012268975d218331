package dev.tevent4j;

/**
 * Hears the {@link EventTracePoint}s of every {@link SignalEvent} of a loop, on the loop thread
 * (tevent_trace_signal_callback_t); set with {@link EventLoop#setSignalTrace}. It must not block; one that throws
 * is reported to the loop's uncaught-exception handler and the loop goes on.
 */
@FunctionalInterface
public interface SignalTraceCallback {
    /**
     * @param se the event
     * @param point what happens to it now
     */
    void onTrace(SignalEvent se, EventTracePoint point);
}
