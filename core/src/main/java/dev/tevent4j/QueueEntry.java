package dev.tevent4j;

import java.util.function.Consumer;

/**
 * One request waiting (or triggered) in a {@link RequestQueue}, tevent's
 * {@code struct tevent_queue_entry}, as {@link RequestQueue#addEntry} returns it. It leaves the
 * queue by itself when its request completes; {@link #remove()} takes it out earlier and
 * {@link #untrigger()} makes a stopped queue's head trigger again. Every method is for the
 * loop's thread.
 */
public final class QueueEntry {
    final RequestQueue queue;
    final Request<?> request;
    final Consumer<Request<?>> trigger;
    QueueEntry prev, next;
    boolean triggered;
    boolean linked;
    private long tag;

    QueueEntry(RequestQueue queue, Request<?> request, Consumer<Request<?>> trigger) {
        this.queue = queue;
        this.request = request;
        this.trigger = trigger;
    }

    /** The queue it was added to. */
    public RequestQueue queue() {
        return queue;
    }

    /** The request it stands for. */
    public Request<?> request() {
        return request;
    }

    /** Whether its trigger has run (and not been {@link #untrigger() untriggered} since). */
    public boolean isTriggered() {
        return triggered;
    }

    /**
     * The caller's tag, 0 unless set (tevent_queue_entry_get_tag), shown by trace callbacks and
     * Flight Recorder events.
     */
    public long tag() {
        return tag;
    }

    /** Sets the tag (tevent_queue_entry_set_tag). */
    public void setTag(long tag) {
        queue.checkOwner();
        this.tag = tag;
    }

    /** Whether it is still in the queue. */
    public boolean isQueued() {
        return linked;
    }

    /**
     * Takes the entry out of the queue, like freeing a tevent_queue_entry: its trigger will not
     * run (if it has not), the request is left as it is (in progress, free to join a queue
     * again), and the next entry triggers from the next iteration. Idempotent.
     */
    public void remove() {
        queue.removeEntry(this);
    }

    /**
     * Marks the triggered head as not triggered, tevent_queue_entry_untrigger(): when the queue
     * is started again its trigger runs a second time (e.g. to resend after the connection
     * was re-established).
     *
     * @throws IllegalStateException unless the queue is stopped and this entry is its head
     *     (tevent aborts the process in these cases)
     */
    public void untrigger() {
        queue.untrigger(this);
    }

    /** Called by the request as it completes, before its callback. */
    void requestCompleted() {
        queue.unlink(this);
    }

    @Override
    public String toString() {
        return "QueueEntry[" + queue.name() + ", " + (linked ? (triggered ? "triggered" : "waiting") : "removed")
                + ", " + request + "]";
    }
}
