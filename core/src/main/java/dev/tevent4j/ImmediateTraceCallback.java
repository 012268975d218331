package dev.tevent4j;

/**
 * Hears the {@link EventTracePoint}s of every {@link Immediate} of a loop, on the loop thread
 * (tevent_trace_immediate_callback_t); set with {@link EventLoop#setImmediateTrace}. It must not block; one that throws
 * is reported to the loop's uncaught-exception handler and the loop goes on.
 */
@FunctionalInterface
public interface ImmediateTraceCallback {
    /**
     * @param im the event
     * @param point what happens to it now
     */
    void onTrace(Immediate im, EventTracePoint point);
}
