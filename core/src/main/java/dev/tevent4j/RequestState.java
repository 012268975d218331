package dev.tevent4j;

/**
 * Where a {@link Request} is in its life, tevent's {@code enum tevent_req_state}. The order
 * matters: a state-aware cleanup function ({@link Request#setStateCleanupFn}) runs once for
 * each later state it reaches, as tevent_req_cleanup() does.
 *
 * <p>Mapping: TEVENT_REQ_INIT is never visible (a request is created in progress);
 * TEVENT_REQ_USER_ERROR is {@link #ERROR}, or {@link #CANCELLED} when the error is a
 * cancellation (tevent code fails a cancelled request with ECANCELED); TEVENT_REQ_NO_MEMORY has
 * no counterpart (the JVM throws OutOfMemoryError); {@link #LOOP_CLOSED} is ours: tevent frees a
 * request still in progress with its talloc parent, we fail it when its loop closes.
 */
public enum RequestState {
    /** TEVENT_REQ_IN_PROGRESS: not complete yet. */
    IN_PROGRESS,
    /** TEVENT_REQ_DONE: completed with a value ({@link Request#done}, {@link Request#post}). */
    DONE,
    /** TEVENT_REQ_USER_ERROR: failed with a cause ({@link Request#error}, {@link Request#errno}). */
    ERROR,
    /** TEVENT_REQ_TIMED_OUT: its end time passed ({@link Request#setEndTime}). */
    TIMED_OUT,
    /** Failed by {@link Request#cancel()} (or with a {@link java.util.concurrent.CancellationException}). */
    CANCELLED,
    /** Failed because its loop closed while it was in progress. */
    LOOP_CLOSED,
    /** TEVENT_REQ_RECEIVED: the caller took the result ({@link Request#received()}); the request is spent. */
    RECEIVED;

    /** Whether this is one of the failed states ({@link #ERROR}, {@link #TIMED_OUT}, {@link #CANCELLED}, {@link #LOOP_CLOSED}). */
    public boolean isError() {
        return this == ERROR || this == TIMED_OUT || this == CANCELLED || this == LOOP_CLOSED;
    }
}
