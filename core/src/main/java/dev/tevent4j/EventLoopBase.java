package dev.tevent4j;

import java.util.List;
import java.util.ServiceLoader;

/**
 * The base class of every loop {@link EventLoop#open} returns: what {@link Request} and
 * {@link RequestQueue} need of their loop beyond the public interface, as protected members, so
 * that the API package never names the implementation (the loop machinery is in a package of
 * its own that depends on this one, never the other way round).
 *
 * <p>Not for applications: a loop is made by a backend through {@link EventLoop#open}. A
 * request or queue refuses a loop that does not extend this class.
 */
public abstract class EventLoopBase implements EventLoop {
    /** The requests of this loop still in progress, failed when it closes; made on first use. */
    private OpenRequests openRequests;
    /** Whether requests created on this loop get a {@link RequestProfile} ({@link Request#enableProfiling}). */
    boolean profileRequests;

    /** The queue trace callback; read by {@link RequestQueue} on the main loop. */
    private QueueTraceCallback queueTrace;
    /** The Flight Recorder switch of {@code internal.LoopJfr}, read here so a queue pays nothing when off. */
    static final boolean JFR_ON = Boolean.getBoolean("tevent4j.jfr");

    /** For the loop implementation only. */
    protected EventLoopBase() {}

    /**
     * The loop that runs this one's events: itself, or for a {@link LoopWrapper} the loop it
     * wraps. Requests, queues and profiling keep their state on the main loop.
     */
    protected EventLoopBase mainLoop() {
        return this;
    }

    @Override
    public final boolean sameLoop(EventLoop other) {
        return other instanceof EventLoopBase b && b.mainLoop() == mainLoop();
    }

    /** For wrappers: runs before the callback of a request created on this loop. */
    protected void beforeCallback(Request<?> request) {}

    /** For wrappers: runs after that callback, also when it threw. */
    protected void afterCallback(Request<?> request) {}

    @Override
    public void setQueueTrace(QueueTraceCallback cb) {
        checkOwnerAndOpen();
        queueTrace = cb;
    }

    @Override
    public QueueTraceCallback queueTrace() {
        return queueTrace;
    }

    /** Reports a queue entry's point to the trace callback and, when on, Flight Recorder. */
    final void traceQueue(QueueEntry e, QueueTracePoint point) {
        QueueTraceCallback cb = queueTrace;
        if (cb != null) {
            try {
                cb.onTrace(e, point);
            } catch (Throwable t) {
                reportUncaught(cb, t);
            }
        }
        if (JFR_ON) recordQueuePoint(e, point);
    }

    /** Writes a Flight Recorder event for a queue entry's point (only called when JFR is on). */
    protected void recordQueuePoint(QueueEntry e, QueueTracePoint point) {}

    /** @throws IllegalStateException when called from a thread other than the loop's */
    protected abstract void checkOwner();

    /** @throws IllegalStateException from another thread, or when the loop is closed */
    protected abstract void checkOwnerAndOpen();

    /** Whether a handler of this loop is running now (nested runs are refused then). */
    protected abstract boolean inIteration();

    /** Whether {@link #close()} has run. */
    protected abstract boolean isClosed();

    /** Hands a handler's exception to the loop's uncaught-exception handler. */
    protected abstract void reportUncaught(Object source, Throwable error);

    /**
     * Runs {@code hook} when the loop closes, after in-flight I/O has drained and before the
     * loop's events are closed.
     */
    protected abstract void addCloseHook(Runnable hook);

    final OpenRequests openRequests() {
        OpenRequests r = openRequests;
        if (r == null) {
            openRequests = r = new OpenRequests();
            addCloseHook(r::failAll);
        }
        return r;
    }

    /**
     * For AsyncIo implementations: marks {@code r} as the request of an op in flight in the
     * kernel or on a worker. Its deadline then asks the op's cancel function instead of failing
     * it at once, and it completes only from the op's own completion (docs/semantics.md,
     * section 9).
     */
    protected static void markOpRequest(Request<?> r) {
        r.markOpInFlight();
    }

    /** Whether the deadline of an op request passed while its op was in flight. */
    protected static boolean deadlinePassed(Request<?> r) {
        return r.deadlinePassed();
    }

    /**
     * How {@link EventLoop#open} finds the loop machinery without naming it: a
     * {@link ServiceLoader} service that tevent4j-core provides itself.
     */
    public interface Bootstrap {
        /** {@link EventLoop#open()}. */
        EventLoop openDefault();

        /** {@link EventLoop#open(String)}. */
        EventLoop open(String backend);

        /**
         * {@link EventLoop#open(String, LoopOptions)}.
         *
         * @param backend the backend's name
         * @param options its sizes and limits
         * @return the open loop
         */
        EventLoop open(String backend, LoopOptions options);

        /** {@link EventLoop#availableBackends()}. */
        List<Backend> backends();
    }

    static Bootstrap bootstrap() {
        return BootstrapHolder.BOOTSTRAP;
    }

    private static final class BootstrapHolder {
        static final Bootstrap BOOTSTRAP = ServiceLoader.load(Bootstrap.class, EventLoopBase.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("tevent4j-core is incomplete: no "
                        + Bootstrap.class.getName() + " service (META-INF/services or module-info is missing)"));
    }
}
