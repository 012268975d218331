package dev.tevent4j;

/**
 * Hears the {@link EventTracePoint}s of every {@link FdEvent} of a loop, on the loop thread
 * (tevent_trace_fd_callback_t); set with {@link EventLoop#setFdTrace}. It must not block; one that throws
 * is reported to the loop's uncaught-exception handler and the loop goes on.
 */
@FunctionalInterface
public interface FdTraceCallback {
    /**
     * @param fde the event
     * @param point what happens to it now
     */
    void onTrace(FdEvent fde, EventTracePoint point);
}
