package dev.tevent4j;


import java.util.function.Consumer;

/**
 * A FIFO of requests that run one at a time, in tevent_queue's manner: each entry is a request
 * and a trigger, the function that starts the work. The head's trigger runs; the next entry's
 * trigger runs once the head's request completes (done, error, timeout or cancel). A request that
 * completes while still waiting leaves the queue without its trigger ever running.
 *
 * <p>Rules, and the choices made where tevent leaves room:
 * <ul>
 *   <li>A new queue is running. {@link #add} never triggers synchronously: the head of a running
 *       queue triggers from an immediate, on the next iteration, so the caller of {@code add}
 *       can finish setting the request up (callback, end time) first.
 *   <li>One running at a time: a trigger that completes its request at once (inside the
 *       trigger) ends that entry at once; the next entry still triggers on the next iteration,
 *       never from inside the previous trigger, so a long run of instant entries cannot grow
 *       the stack or starve other events.
 *   <li>{@link #stop()} holds triggering; a running entry is not interrupted. {@link #start()}
 *       resumes, again from the next iteration.
 *   <li>A trigger that throws fails its request with the exception, so the queue moves on.
 *   <li>A request waits in one queue at a time.
 *   <li>When the loop closes, every request still in the queue is failed (with the loop's
 *       "closed" error, like every other open request) and no further trigger runs.
 * </ul>
 * Every method is for the loop's thread.
 */
public final class RequestQueue {
    /** One request in the queue. */
    static final class Entry {
        final RequestQueue queue;
        final Request<?> request;
        final Consumer<Request<?>> trigger;
        Entry prev, next;
        boolean triggered;
        boolean linked;

        Entry(RequestQueue queue, Request<?> request, Consumer<Request<?>> trigger) {
            this.queue = queue;
            this.request = request;
            this.trigger = trigger;
        }

        /** Called by the request as it completes, before its callback. */
        void requestCompleted() {
            queue.remove(this);
        }
    }

    private final EventLoopBase loop;
    private final String name;
    private final Immediate triggerNext;
    private Entry head, tail;
    private int length;
    private boolean running = true;

    /**
     * A new, running, empty queue.
     *
     * @param name for messages and toString, e.g. "smb2 credits"
     */
    public RequestQueue(EventLoop loop, String name) {
        if (loop == null) throw new NullPointerException("loop is null");
        if (name == null) throw new NullPointerException("name is null");
        if (!(loop instanceof EventLoopBase l)) {
            throw new IllegalArgumentException("loop " + loop + " was not opened by EventLoop.open");
        }
        l.checkOwnerAndOpen();
        this.loop = l;
        this.name = name;
        this.triggerNext = l.newImmediate(this::triggerHead);
    }

    /** The name given at construction. */
    public String name() {
        return name;
    }

    /**
     * Appends {@code req}; its trigger runs when it reaches the head of a running queue, never
     * inside this call.
     *
     * @throws IllegalArgumentException if the request is complete, belongs to another loop, or
     *     already waits in a queue
     */
    public void add(Request<?> req, Consumer<Request<?>> trigger) {
        loop.checkOwnerAndOpen();
        if (req == null) throw new NullPointerException("req is null");
        if (trigger == null) throw new NullPointerException("trigger is null");
        if (req.owningLoop() != loop) {
            throw new IllegalArgumentException("req " + req + " belongs to another event loop than queue \"" + name + "\"");
        }
        if (!req.isInProgress()) {
            throw new IllegalArgumentException("req " + req + " is already complete; queue \"" + name + "\" takes requests in progress");
        }
        Entry e = new Entry(this, req, trigger);
        if (!req.attachQueueEntry(e)) {
            throw new IllegalArgumentException("req " + req + " already waits in a queue; a request waits in one queue at a time");
        }
        e.prev = tail;
        if (tail == null) head = e; else tail.next = e;
        tail = e;
        e.linked = true;
        length++;
        scheduleHeadIfDue();
    }

    /** Resumes triggering; the head (if not yet triggered) triggers on the next iteration. */
    public void start() {
        loop.checkOwnerAndOpen();
        running = true;
        scheduleHeadIfDue();
    }

    /** Holds triggering; an entry already triggered goes on until its request completes. */
    public void stop() {
        loop.checkOwner();
        running = false;
        triggerNext.cancel();
    }

    /** Whether the queue triggers entries. */
    public boolean isRunning() {
        return running;
    }

    /** How many requests are in the queue, the triggered one included. */
    public int length() {
        return length;
    }

    private void scheduleHeadIfDue() {
        if (running && head != null && !head.triggered && !triggerNext.isScheduled() && !loop.isClosed()) {
            triggerNext.schedule();
        }
    }

    private void triggerHead() {
        Entry e = head;
        if (!running || e == null || e.triggered) return;
        e.triggered = true;
        try {
            e.trigger.accept(e.request);
        } catch (Throwable t) {
            if (e.request.isInProgress()) {
                e.request.error(t);
            } else {
                loop.reportUncaught(e.request, t);
            }
        }
    }

    private void remove(Entry e) {
        if (!e.linked) return;
        e.linked = false;
        if (e.prev == null) head = e.next; else e.prev.next = e.next;
        if (e.next == null) tail = e.prev; else e.next.prev = e.prev;
        e.prev = e.next = null;
        length--;
        // Only the head can have been triggered; after it leaves, the next one may go.
        scheduleHeadIfDue();
    }

    @Override
    public String toString() {
        return "RequestQueue[" + name + ", " + length + (running ? " entries, running]" : " entries, stopped]");
    }
}
