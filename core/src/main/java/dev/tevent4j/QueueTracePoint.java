package dev.tevent4j;

/** Points in the life of a {@link QueueEntry} reported to a {@link QueueTraceCallback}. */
public enum QueueTracePoint {
    /** The entry joined its queue (tevent_queue_add and friends). */
    ATTACH,
    /** The entry's trigger is about to run. */
    TRIGGER,
    /** The entry left its queue: its request completed, or it was removed. */
    DETACH
}
