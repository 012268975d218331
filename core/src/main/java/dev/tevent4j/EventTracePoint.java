package dev.tevent4j;

/**
 * Points in the life of an fd, timer, immediate or signal event reported to its kind's trace
 * callback (tevent's enum tevent_event_trace_point), e.g. {@link EventLoop#setFdTrace}.
 */
public enum EventTracePoint {
    /** The event was registered: added, armed or scheduled. */
    ATTACH,
    /** The event's handler is about to run. */
    BEFORE_HANDLER,
    /** The event left the loop: closed, cancelled, fired without re-arming, or the loop closed. */
    DETACH
}
