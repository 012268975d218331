package dev.tevent4j;


import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * A single-threaded event loop in the manner of Samba's tevent.
 *
 * <p>Every method is for the loop's owner thread, the thread that opened it, unless marked
 * thread-safe; a call from another thread, or on a closed loop, throws
 * {@link IllegalStateException}. Bad arguments throw {@link IllegalArgumentException} (or
 * {@link NullPointerException} for null) naming the argument, and leave the loop unaffected.
 *
 * <p>One iteration ({@link #runOnce()}) runs, in this order, each phase only with what was due
 * when the phase began: pending signals; runnables that arrived through {@link #executor()};
 * scheduled immediates; due timers (earliest first, ties in arming order); then it waits for
 * fds and dispatches every ready fd once. The wait does not block when any handler ran in the
 * earlier phases. A handler that throws is reported to the uncaught-exception handler and the
 * loop goes on.
 */
public interface EventLoop extends AutoCloseable {

    /**
     * Opens a loop on the calling thread with the backend named by the system property
     * {@code tevent4j.backend}, else the environment variable {@code TEVENT4J_BACKEND}, else the
     * default backend: "hybrid" where io_uring works, else "epoll".
     */
    static EventLoop open() {
        return EventLoopBase.bootstrap().openDefault();
    }

    /**
     * Opens a loop on the calling thread with the named backend.
     *
     * @throws IllegalArgumentException if no backend has that name (the message lists the names)
     * @throws UnsupportedOperationException if the backend is known but unusable here (with why)
     */
    static EventLoop open(String backend) {
        return EventLoopBase.bootstrap().open(backend);
    }

    /**
     * Opens a loop on the calling thread with the named backend, its ring sizes and limits set
     * by {@code options} (docs/asyncio.md, "Ring sizes and limits").
     *
     * @param backend the backend's name, e.g. "hybrid"
     * @param options the sizes and limits; {@link LoopOptions#defaults()} is what
     *     {@link #open(String)} uses
     * @return the open loop
     * @throws IllegalArgumentException if no backend has that name (the message lists the names)
     * @throws NullPointerException if {@code options} is null
     * @throws UnsupportedOperationException if the backend is known but unusable here (with why)
     */
    static EventLoop open(String backend, LoopOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        return EventLoopBase.bootstrap().open(backend, options);
    }

    /** Names of the backends usable on this machine, the default first. Thread-safe. */
    static List<String> backends() {
        return availableBackends().stream().filter(Backend::usable).map(Backend::name).toList();
    }

    /**
     * Every backend on the class or module path, usable or not, with the reason when not (the
     * fix it needs: a JVM flag, a sysctl, another platform), default candidates first. Never
     * throws for an unusable backend. Thread-safe.
     */
    static List<Backend> availableBackends() {
        return EventLoopBase.bootstrap().backends();
    }

    /** The name of this loop's backend, e.g. "epoll". */
    String backendName();

    /**
     * Watches {@code fd}. Flags 0 keeps the event registered but never called (and it does not
     * keep {@link #run()} going).
     *
     * @param flags any of {@link FdEvent#READ}, {@link FdEvent#WRITE}, {@link FdEvent#ERROR}, or 0
     * @throws IllegalArgumentException for a negative fd, unknown flag bits, or an fd the kernel
     *     refuses (not open, or a kind the backend cannot watch)
     */
    FdEvent addFd(int fd, int flags, FdHandler handler);

    /** Arms a timer that fires once, {@code after} from now (zero fires on the next iteration). */
    TimerEvent addTimer(Duration after, TimerHandler handler);

    /** Arms a timer at a {@link System#nanoTime()} deadline; a past one fires next iteration. */
    TimerEvent addTimerAt(long deadlineNanos, TimerHandler handler);

    /** Creates an immediate; it is not scheduled until {@link Immediate#schedule()}. */
    Immediate newImmediate(Runnable action);

    /**
     * Handles a POSIX signal on this loop: the handler runs on the loop thread, in phase 1 of
     * the iteration after the signal arrived, with the number of arrivals since it last ran
     * (signals coalesce). Several handlers for one signal run in registration order; several
     * loops may handle the same signal and each hears every arrival. The JVM has one handler
     * per signal: the first signal event installs one that fans out to every loop, and closing
     * the last one (in any loop) puts the JVM's previous handler back. Closing the loop closes
     * its signal events. An open signal event keeps {@link #run()} going.
     *
     * @param name the signal's name with or without "SIG": "HUP", "SIGHUP", "USR1", "TERM"...
     * @throws IllegalArgumentException for an unknown name, or a signal the JVM or the OS keeps
     *     for itself (QUIT, SEGV, KILL, ...); the message names the signal
     */
    SignalEvent addSignal(String name, SignalHandler handler);

    /**
     * Runs one iteration.
     *
     * @return false, without blocking, when no event is registered and no runnable is pending
     */
    boolean runOnce();

    /**
     * Runs until no fd event with non-zero flags, no timer, no scheduled immediate, no signal
     * event and no AsyncIo op in flight remains, or until a handler closes the loop. The executor alone does not keep it going.
     */
    void run();

    /** Runs iterations until {@code done} answers true; it is checked before and after each. */
    void runUntil(BooleanSupplier done);

    /**
     * An executor whose runnables run on the loop thread, FIFO per submitting thread.
     * Thread-safe. After {@link #close()} it rejects with
     * {@link java.util.concurrent.RejectedExecutionException}.
     */
    Executor executor();

    /**
     * Asynchronous system calls whose completions run on this loop: io_uring on the hybrid and
     * uring backends, a thread pool on epoll. An op in flight keeps {@link #run()} going.
     */
    AsyncIo io();

    /** Sets the trace callback; null removes it. */
    void setTraceCallback(TraceCallback cb);

    /** The trace callback set last, or null (tevent_get_trace_callback), to chain to it. */
    TraceCallback traceCallback();

    /**
     * Sets who hears every {@link FdEvent}'s {@link EventTracePoint}s: ATTACH once added,
     * BEFORE_HANDLER before each call of its handler, DETACH when closed (by the loop's close
     * too). Null removes it. A callback in place is replaced; to chain, call the one
     * {@link #fdTrace()} returned from the new one. Unset, the loop pays one null check.
     */
    void setFdTrace(FdTraceCallback cb);

    /** The fd trace callback, or null (tevent_get_trace_fd_callback). */
    FdTraceCallback fdTrace();

    /**
     * Sets who hears every {@link TimerEvent}'s {@link EventTracePoint}s: ATTACH when armed,
     * BEFORE_HANDLER before it fires, DETACH when it stops being armed: after its handler
     * returned (unless the handler re-armed it), on {@link TimerEvent#cancel()}, before the
     * ATTACH of an {@link TimerEvent#update} of an armed timer, and when the loop closes. Null
     * removes it.
     */
    void setTimerTrace(TimerTraceCallback cb);

    /** The timer trace callback, or null (tevent_get_trace_timer_callback). */
    TimerTraceCallback timerTrace();

    /**
     * Sets who hears every {@link Immediate}'s {@link EventTracePoint}s: ATTACH when scheduled
     * (after a DETACH when it was scheduled already), BEFORE_HANDLER before its action, DETACH
     * after the action (unless the action scheduled it again), on cancel, and when the loop
     * closes. Requests and queues use immediates too: their immediates are reported as well.
     * Null removes it.
     */
    void setImmediateTrace(ImmediateTraceCallback cb);

    /** The immediate trace callback, or null (tevent_get_trace_immediate_callback). */
    ImmediateTraceCallback immediateTrace();

    /**
     * Sets who hears every {@link SignalEvent}'s {@link EventTracePoint}s: ATTACH once added,
     * BEFORE_HANDLER before each call, DETACH when closed. Null removes it.
     */
    void setSignalTrace(SignalTraceCallback cb);

    /** The signal trace callback, or null (tevent_get_trace_signal_callback). */
    SignalTraceCallback signalTrace();

    /**
     * Sets who hears the {@link QueueTracePoint}s of the entries of every {@link RequestQueue}
     * of this loop: ATTACH when an entry joins, TRIGGER before its trigger runs, DETACH when it
     * leaves. Null removes it.
     */
    void setQueueTrace(QueueTraceCallback cb);

    /** The queue trace callback, or null (tevent_get_trace_queue_callback). */
    QueueTraceCallback queueTrace();

    /**
     * A wrapper of this loop: a view whose handlers run between {@code hooks}
     * (tevent_context_wrapper_create). See {@link LoopWrapper}.
     *
     * @param name for messages, e.g. the user a wrapper impersonates
     * @throws UnsupportedOperationException on a wrapper (wrappers do not stack, as in tevent)
     */
    LoopWrapper wrapper(String name, WrapperHooks hooks);

    /** Whether this is a {@link LoopWrapper} (tevent_context_is_wrapper). */
    default boolean isWrapper() {
        return false;
    }

    /**
     * Whether {@code other} runs on the same main loop as this one: the loop itself or one of
     * its wrappers (tevent_context_same_loop).
     */
    boolean sameLoop(EventLoop other);

    /**
     * Sets who hears of handlers that throw: (event, error), where event is the FdEvent,
     * TimerEvent, Immediate, SignalEvent or Runnable whose handler threw. Null restores the
     * default, which logs and goes on.
     */
    void setUncaughtExceptionHandler(BiConsumer<Object, Throwable> handler);

    /**
     * Closes every event (close functions run, auto-close fds are closed) and releases the
     * backend. Idempotent.
     */
    @Override
    void close();
}
