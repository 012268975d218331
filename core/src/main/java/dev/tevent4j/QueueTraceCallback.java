package dev.tevent4j;

/**
 * Hears the {@link QueueTracePoint}s of every {@link QueueEntry} of the loop's
 * {@link RequestQueue}s, on the loop thread (tevent_trace_queue_callback_t); set with
 * {@link EventLoop#setQueueTrace}. {@link QueueEntry#queue()} gives the queue, its
 * {@link RequestQueue#length()} and {@link RequestQueue#isRunning()}. It must not block; one
 * that throws is reported to the loop's uncaught-exception handler and the loop goes on.
 */
@FunctionalInterface
public interface QueueTraceCallback {
    /**
     * @param entry the entry
     * @param point what happens to it now
     */
    void onTrace(QueueEntry entry, QueueTracePoint point);
}
