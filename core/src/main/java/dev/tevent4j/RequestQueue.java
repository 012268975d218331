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
 *   <li>{@link #addOptimizeEmpty} is the one exception: on a running, empty queue and for a
 *       request without a callback it triggers inside the call.
 *   <li>{@link #addEntry} returns the {@link QueueEntry}: {@link QueueEntry#remove()} takes it
 *       out, {@link QueueEntry#untrigger()} makes a stopped queue's head trigger again on
 *       {@link #start()}. {@link #waitRequest()} completes once everything added before it has
 *       left the queue.
 *   <li>A request waits in one queue at a time.
 *   <li>When the loop closes, every request still in the queue is failed (with the loop's
 *       "closed" error, like every other open request) and no further trigger runs.
 * </ul>
 * Every method is for the loop's thread.
 */
public final class RequestQueue {
    /** The loop given at construction, a wrapper or not: the trigger immediate is made on it. */
    private final EventLoopBase loop;
    /** Where the requests and the trace callback live. */
    private final EventLoopBase main;
    private final String name;
    private final Immediate triggerNext;
    private QueueEntry head, tail;
    private int length;
    private boolean running = true;

    /**
     * A new, running, empty queue. On a {@link LoopWrapper} its triggers run between the
     * wrapper's hooks; its requests may be of the main loop or of any of its wrappers.
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
        this.main = l.mainLoop();
        this.name = name;
        this.triggerNext = l.newImmediate(this::triggerHead);
    }

    /** The name given at construction. */
    public String name() {
        return name;
    }

    /**
     * Appends {@code req}; its trigger runs when it reaches the head of a running queue, never
     * inside this call (tevent_queue_add).
     *
     * @throws IllegalArgumentException if the request is complete, belongs to another loop, or
     *     already waits in a queue
     */
    public void add(Request<?> req, Consumer<Request<?>> trigger) {
        addEntry(req, trigger);
    }

    /**
     * {@link #add}, returning the entry so that it can be {@link QueueEntry#remove() removed} or
     * {@link QueueEntry#untrigger() untriggered} (tevent_queue_add_entry).
     */
    public QueueEntry addEntry(Request<?> req, Consumer<Request<?>> trigger) {
        QueueEntry e = link(req, trigger);
        scheduleHeadIfDue();
        return e;
    }

    /**
     * {@link #add}, but when the queue is running and empty and the request has no callback yet,
     * the trigger runs now, inside this call, saving an iteration
     * (tevent_queue_add_optimize_empty). The callback rule is tevent's: a trigger that
     * completes the request at once must not run a callback inside the caller's own call; the
     * callback, set afterwards, runs from the next iteration.
     *
     * @return whether the trigger ran inside this call
     */
    public boolean addOptimizeEmpty(Request<?> req, Consumer<Request<?>> trigger) {
        boolean direct = length == 0 && running && !req.hasCallback();
        QueueEntry e = link(req, trigger);
        if (!direct) {
            scheduleHeadIfDue();
            return false;
        }
        runTrigger(e);
        return true;
    }

    /**
     * A request that completes (with null) when every entry added before it has left the queue:
     * an entry whose trigger completes it at once (tevent_queue_wait_send). It waits while the
     * queue is stopped; cancelling it takes it out of the queue.
     */
    public Request<Void> waitRequest() {
        Request<Void> wait = Request.create(loop, "queue wait " + name);
        wait.setCancelFn(r -> true);
        add(wait, r -> wait.done(null));
        return wait;
    }

    private QueueEntry link(Request<?> req, Consumer<Request<?>> trigger) {
        main.checkOwnerAndOpen();
        if (req == null) throw new NullPointerException("req is null");
        if (trigger == null) throw new NullPointerException("trigger is null");
        if (req.owningLoop() != main) {
            throw new IllegalArgumentException("req " + req + " belongs to another event loop than queue \"" + name + "\"");
        }
        if (!req.isInProgress()) {
            throw new IllegalArgumentException("req " + req + " is already complete; queue \"" + name + "\" takes requests in progress");
        }
        QueueEntry e = new QueueEntry(this, req, trigger);
        if (!req.attachQueueEntry(e)) {
            throw new IllegalArgumentException("req " + req + " already waits in a queue; a request waits in one queue at a time");
        }
        e.prev = tail;
        if (tail == null) head = e; else tail.next = e;
        tail = e;
        e.linked = true;
        length++;
        main.traceQueue(e, QueueTracePoint.ATTACH);
        return e;
    }

    /** Resumes triggering; the head (if not yet triggered) triggers on the next iteration. */
    public void start() {
        main.checkOwnerAndOpen();
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
        if (running && head != null && !head.triggered && !triggerNext.isScheduled() && !main.isClosed()) {
            triggerNext.schedule();
        }
    }

    private void triggerHead() {
        QueueEntry e = head;
        if (!running || e == null || e.triggered) return;
        runTrigger(e);
    }

    private void runTrigger(QueueEntry e) {
        e.triggered = true;
        main.traceQueue(e, QueueTracePoint.TRIGGER);
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

    void checkOwner() {
        loop.checkOwner();
    }

    void removeEntry(QueueEntry e) {
        loop.checkOwner();
        if (!e.linked) return;
        e.request.detachQueueEntry(e);
        unlink(e);
    }

    void untrigger(QueueEntry e) {
        loop.checkOwner();
        if (running) {
            throw new IllegalStateException("queue \"" + name + "\" is running; untrigger() needs it stopped (tevent aborts here)");
        }
        if (head != e) {
            throw new IllegalStateException(e + " is not the head of queue \"" + name + "\"; only the head can be untriggered");
        }
        e.triggered = false;
    }

    void unlink(QueueEntry e) {
        if (!e.linked) return;
        e.linked = false;
        if (e.prev == null) head = e.next; else e.prev.next = e.next;
        if (e.next == null) tail = e.prev; else e.next.prev = e.prev;
        e.prev = e.next = null;
        length--;
        main.traceQueue(e, QueueTracePoint.DETACH);
        // Only the head can have been triggered; after it leaves, the next one may go.
        scheduleHeadIfDue();
    }

    @Override
    public String toString() {
        return "RequestQueue[" + name + ", " + length + (running ? " entries, running" : " entries, stopped")
                + (head != null && head.triggered ? ", head triggered]" : "]");
    }
}
