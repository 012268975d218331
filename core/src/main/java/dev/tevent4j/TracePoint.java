package dev.tevent4j;

/** Points of a loop iteration reported to a {@link TraceCallback}. */
public enum TracePoint {
    /** Just before the loop waits for fds (possibly with timeout 0). */
    BEFORE_WAIT,
    /** Just after the wait returned, before fd handlers run. */
    AFTER_WAIT,
    /** At the start of an iteration. */
    BEFORE_LOOP_ONCE,
    /** At the end of an iteration. */
    AFTER_LOOP_ONCE
}
