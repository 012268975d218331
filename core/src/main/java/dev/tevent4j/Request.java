package dev.tevent4j;

import dev.tevent4j.linux.ErrnoException;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An asynchronous operation in tevent_req's manner: created by a send function, completed once
 * with a value ({@link #done}) or an error ({@link #error}, {@link #errno}), after which its one
 * callback runs on the loop and then its cleanup function.
 *
 * <p>A request completed inside its own send function, before the caller could set the
 * callback, is completed with {@link #post}: it is complete at once and the callback runs from
 * the next iteration. A callback set after a plain completion is not lost either: it runs from
 * the next iteration. Every method is for the loop's thread.
 *
 * @param <T> the value type
 */
public final class Request<T> {
    /** The main loop: a request made on a wrapper keeps its state there. */
    private final EventLoopBase loop;
    /** The wrapper it was created on, whose hooks run around its callback; null for none. */
    private final EventLoopBase wrapper;
    private final String name;
    private RequestState state = RequestState.IN_PROGRESS;
    /** {@link #received()} ran: the result is gone, further use is refused. */
    private boolean received;
    private T value;
    private Throwable cause;
    private Consumer<Request<T>> callback;
    private boolean callbackRan;
    private Predicate<Request<T>> cancelFn;
    private Consumer<Request<T>> cleanupFn;
    private boolean cleanedUp;
    private RequestCleanupFn<T> stateCleanupFn;
    /** The last state the state-aware cleanup ran for (tevent's private_cleanup.state). */
    private RequestState stateCleanupState;
    private Function<? super Request<T>, String> printFn;
    /** tevent_req_defer_callback: the loop whose immediate runs the callback, or null. */
    private EventLoopBase deferLoop;
    /** A {@link #wakeup} request: its end time completes it with a value instead of failing it. */
    private boolean wakeup;
    /** Null unless its loop profiles requests. */
    private RequestProfile profile;
    private TimerEvent endTimer;
    /**
     * The request of an AsyncIo op: the kernel or a worker may hold its buffers and fd until the
     * op's own completion, so neither a deadline nor a cancel may complete it before that.
     */
    private boolean opInFlight;
    /** The deadline passed while the op was in flight: its completion fails it with a timeout. */
    private boolean deadlinePassed;
    private Immediate deferredCallback;
    private CompletableFuture<T> future;
    private final OpenRequests open;
    /** Queue entries waiting for this request to complete ({@link RequestQueue}); usually none. */
    private QueueEntry queueEntry;
    /** Membership in {@link OpenRequests}: failed when the loop closes. */
    Request<?> prevOpen, nextOpen;

    private Request(EventLoopBase on, String name) {
        this.loop = on.mainLoop();
        this.wrapper = on == loop ? null : on;
        this.name = name;
        this.open = loop.openRequests();
    }

    /** A new request in progress on {@code loop}. */
    public static <T> Request<T> create(EventLoop loop) {
        return create(loop, null);
    }

    /**
     * A new request in progress on {@code loop}, named for {@link #toString()} and its profile
     * (tevent names a request after its state type, e.g. "struct foo_state"). On a
     * {@link LoopWrapper} the callback runs between the wrapper's hooks; the request's state
     * lives in the main loop.
     *
     * @param name e.g. "smb2 read"; null for none
     */
    public static <T> Request<T> create(EventLoop loop, String name) {
        EventLoopBase l = base(loop, "loop");
        return createOn(l, name, null);
    }

    private static <T> Request<T> createOn(EventLoopBase l, String name, RequestProfile parentProfile) {
        l.checkOwnerAndOpen();
        Request<T> r = new Request<>(l, name);
        r.open.add(r);
        if (parentProfile != null || r.loop.profileRequests) {
            r.profile = new RequestProfile(name != null ? name : "request", parentProfile, System.nanoTime());
        }
        return r;
    }

    /**
     * A new request on the parent's loop, a sub-request of {@code parent} for profiling: when
     * the parent is profiled, the child's profile is one of its
     * {@link RequestProfile#subprofiles()} (tevent does this for a request created on a
     * profiled parent's state). Nothing else ties the two: the parent's cleanup still has to
     * cancel a child in flight.
     */
    public static <T> Request<T> createChild(Request<?> parent, String name) {
        if (parent == null) throw new NullPointerException("parent is null");
        return createOn(parent.wrapper != null ? parent.wrapper : parent.loop, name, parent.profile);
    }

    /**
     * A request that completes, with the {@link System#nanoTime()} value of the iteration that
     * woke it, at {@code deadlineNanos} (tevent_wakeup_send; tevent completes it as "timed out"
     * and tevent_wakeup_recv turns that into success, we complete it with {@link #done}). It is
     * cancellable: {@link #cancel()} fails it with a CancellationException and disarms the
     * timer. {@link #setEndTime} moves the wake-up time, {@link #resetEndTime()} removes it.
     */
    public static Request<Long> wakeup(EventLoop loop, long deadlineNanos) {
        Request<Long> r = create(loop, "wakeup");
        r.wakeup = true;
        r.setCancelFn(x -> true);
        r.setEndTime(deadlineNanos);
        return r;
    }

    /**
     * Switches request profiling on for {@code loop}: every request created on it from now on
     * gets a {@link RequestProfile} ({@link #profile()}). Off (the default), a request allocates
     * nothing for profiling.
     */
    public static void enableProfiling(EventLoop loop) {
        EventLoopBase l = base(loop, "loop").mainLoop();
        l.checkOwnerAndOpen();
        l.profileRequests = true;
    }

    /** Switches request profiling off for requests created on {@code loop} from now on. */
    public static void disableProfiling(EventLoop loop) {
        EventLoopBase l = base(loop, "loop").mainLoop();
        l.checkOwner();
        l.profileRequests = false;
    }

    /** Whether requests created on {@code loop} now are profiled. */
    public static boolean isProfiling(EventLoop loop) {
        return base(loop, "loop").mainLoop().profileRequests;
    }

    private static EventLoopBase base(EventLoop loop, String what) {
        if (loop == null) throw new NullPointerException(what + " is null");
        if (!(loop instanceof EventLoopBase l)) {
            throw new IllegalArgumentException(what + " " + loop + " was not opened by EventLoop.open");
        }
        return l;
    }


    void markOpInFlight() {
        opInFlight = true;
    }

    boolean deadlinePassed() {
        return deadlinePassed;
    }

    /** The loop it was created on: a {@link LoopWrapper} for a request made on one. */
    public EventLoop loop() {
        return wrapper != null ? wrapper : loop;
    }

    /** The name given at creation, or null. */
    public String name() {
        return name;
    }

    /** Completes with a value and runs the callback now, if set. */
    public void done(T value) {
        complete(RequestState.DONE, value, null, false);
    }

    /**
     * Fails with {@code cause} and runs the callback now, if set. The state is
     * {@link RequestState#TIMED_OUT} for a {@link TimeoutException}, {@link RequestState#CANCELLED}
     * for a {@link CancellationException}, else {@link RequestState#ERROR}.
     */
    public void error(Throwable cause) {
        if (cause == null) throw new NullPointerException("cause is null");
        complete(failedState(cause), null, cause, false);
    }

    private static RequestState failedState(Throwable cause) {
        if (cause instanceof TimeoutException) return RequestState.TIMED_OUT;
        if (cause instanceof CancellationException) return RequestState.CANCELLED;
        return RequestState.ERROR;
    }

    /**
     * Fails with an {@link ErrnoException} naming the errno, e.g. ECONNRESET.
     *
     * @throws IllegalArgumentException for {@code errno <= 0} (tevent ignores 0 silently; we refuse it)
     */
    public void errno(int errno) {
        if (errno <= 0) throw new IllegalArgumentException("errno " + errno + " is not a positive errno value");
        error(new ErrnoException("request", errno));
    }

    /** Completes with a value now; the callback runs from the next iteration (tevent_req_post). */
    public void post(T value) {
        complete(RequestState.DONE, value, null, true);
    }

    /** Fails now; the callback runs from the next iteration. */
    public void postError(Throwable cause) {
        if (cause == null) throw new NullPointerException("cause is null");
        complete(failedState(cause), null, cause, true);
    }

    public boolean isInProgress() {
        return state == RequestState.IN_PROGRESS;
    }

    /**
     * Whether it completed with an error (timeout, cancellation and loop close included); after
     * {@link #received()} still whether it had.
     */
    public boolean isError() {
        return state.isError();
    }

    /** Its state: {@link RequestState#RECEIVED} once {@link #received()} ran. */
    public RequestState state() {
        return received ? RequestState.RECEIVED : state;
    }

    /**
     * How it failed, tevent_req_is_error() and tevent_req_is_unix_error() in one: empty for a
     * request done with a value, else the failed state, an errno and the cause.
     *
     * @throws IllegalStateException while in progress, or after {@link #received()}
     */
    public Optional<RequestFailure> failure() {
        checkNotReceived();
        if (state == RequestState.IN_PROGRESS) throw new IllegalStateException("the request is still in progress");
        return state == RequestState.DONE ? Optional.empty() : Optional.of(RequestFailure.of(state, cause));
    }

    /**
     * The caller took the result: the request is spent (tevent_req_received). A callback not
     * yet run will not run, the end time is disarmed, the state-aware cleanup runs with
     * {@link RequestState#RECEIVED} (a plain cleanup fn that has not run yet runs now), and the
     * value, cause and functions are let go. From then on {@link #result()}, {@link #cause()},
     * {@link #failure()} and every setter throw IllegalStateException saying so;
     * {@link #state()}, {@link #isInProgress()}, {@link #isError()} and {@link #toString()} still
     * answer. Idempotent. tevent runs this when the request is freed; Java has no free, so a
     * request never received simply has no RECEIVED cleanup.
     *
     * @throws IllegalStateException while the request is in progress (cancel it first)
     */
    public void received() {
        loop.checkOwner();
        if (received) return;
        if (state == RequestState.IN_PROGRESS) {
            throw new IllegalStateException("the request is still in progress; a request is received after it completed (cancel it first)");
        }
        received = true;
        if (deferredCallback != null) deferredCallback.cancel();
        open.remove(this);
        if (endTimer != null) endTimer.cancel();
        runCleanup();
        runStateCleanup(RequestState.RECEIVED);
        value = null;
        callback = null;
        cancelFn = null;
        cleanupFn = null;
        stateCleanupFn = null;
        printFn = null;
        deferLoop = null;
    }

    private void checkNotReceived() {
        if (received) {
            throw new IllegalStateException("the request was received (received()): its result was taken and its resources released");
        }
    }

    /**
     * Sets the one callback. Set before completion, it runs inside {@link #done}/{@link #error};
     * set after, from the next iteration.
     *
     * @throws IllegalStateException if a callback is already set
     */
    public Request<T> onComplete(Consumer<Request<T>> callback) {
        loop.checkOwner();
        checkNotReceived();
        if (callback == null) throw new NullPointerException("callback is null");
        if (this.callback != null) throw new IllegalStateException("a request has one callback, and it is already set");
        this.callback = callback;
        if (state != RequestState.IN_PROGRESS && deferredCallback == null && !loop.isClosed()) {
            scheduleCallback(loop);
        }
        return this;
    }

    /**
     * Makes the callback run from an immediate on {@code on} instead of inside the completing
     * call (tevent_req_defer_callback): for code that completes a request from a context where
     * the caller's callback must not run, e.g. deep inside another request's handler. The
     * state-aware cleanup still runs at completion. {@code on} may be this request's loop or
     * another loop of the same thread; if that other loop closes before the immediate ran, the
     * callback runs when this request's own loop closes.
     *
     * @throws IllegalStateException after completion, or for a loop of another thread or closed
     */
    public void deferCallback(EventLoop on) {
        loop.checkOwner();
        EventLoopBase l = base(on, "on");
        l.checkOwnerAndOpen();
        checkNotReceived();
        if (state != RequestState.IN_PROGRESS) {
            throw new IllegalStateException("the request is already complete (" + describe() + "); deferCallback applies to its completion");
        }
        deferLoop = l.mainLoop(); // the callback's own wrapper, if any, wraps it: never twice
    }

    /**
     * Fails the request with a {@link TimeoutException} at the deadline unless it completed
     * first (tevent_req_set_endtime: the cancel function is not asked).
     *
     * <p>A request of an {@link dev.tevent4j.AsyncIo} op is different, because the kernel or
     * a worker holds its buffers and fd: its deadline takes the path of {@link #cancel()}, asking
     * the kernel (or the worker) to cancel the op, and the request fails with the
     * TimeoutException only when the op's own completion arrives. So the kernel has let go of the
     * buffers and the fd before the callback and the cleanup function run. If the op completed
     * before the cancel took hold, the request completes with its result: data it moved is never
     * lost. A request composed over an op should therefore put the deadline on the op's request
     * and complete from that request's callback.
     */
    public void setEndTime(long deadlineNanos) {
        loop.checkOwnerAndOpen();
        checkNotReceived();
        if (state != RequestState.IN_PROGRESS) return;
        if (endTimer == null) {
            endTimer = loop.addTimerAt(deadlineNanos, (t, now) -> deadlineReached(now));
        } else {
            endTimer.update(deadlineNanos);
        }
    }

    /**
     * Removes the end time set by {@link #setEndTime} (tevent_req_reset_endtime); harmless
     * without one. For an AsyncIo op request whose deadline already passed it is too late: the
     * cancel was asked already.
     */
    public void resetEndTime() {
        loop.checkOwner();
        if (endTimer != null) endTimer.cancel();
    }

    @SuppressWarnings("unchecked")
    private void deadlineReached(long now) {
        if (state != RequestState.IN_PROGRESS) return;
        if (wakeup) {
            ((Request<Long>) this).done(now);
            return;
        }
        if (opInFlight) {
            deadlinePassed = true;
            if (cancelFn != null) cancelFn.test(this);
            return; // the op's completion fails it (AsyncIo maps its ECANCELED to the timeout)
        }
        error(new TimeoutException("request timed out"));
    }

    /** Sets what {@link #cancel()} asks; the function returns whether cancelling started. */
    public void setCancelFn(Predicate<Request<T>> fn) {
        loop.checkOwner();
        checkNotReceived();
        cancelFn = fn;
    }

    /**
     * Asks the cancel function. When it accepts and has not completed the request itself, the
     * request fails with a {@link CancellationException}.
     *
     * @return whether cancelling started: false without a cancel function, after completion,
     *     or when the function refuses
     */
    public boolean cancel() {
        loop.checkOwner();
        if (received || state != RequestState.IN_PROGRESS || cancelFn == null) return false;
        boolean started = cancelFn.test(this);
        if (started && state == RequestState.IN_PROGRESS) {
            error(new CancellationException("request cancelled"));
        }
        return started;
    }

    /**
     * Sets the function called exactly once, on every path (done, error, timeout, cancel, loop
     * close), after the callback. A request completed with {@link #done}/{@link #error} while
     * no callback is set runs it at completion; set on a complete request whose callback has
     * run, it runs at once. It replaces a {@link #setStateCleanupFn state-aware} one.
     */
    public void setCleanupFn(Consumer<Request<T>> fn) {
        loop.checkOwner();
        checkNotReceived();
        cleanupFn = fn;
        stateCleanupFn = null;
        boolean callbackPending = deferredCallback != null && deferredCallback.isScheduled();
        if (state != RequestState.IN_PROGRESS && !callbackPending && (callback == null || callbackRan)) {
            runCleanup();
        }
    }

    /**
     * Sets a cleanup function told the state it runs in, with tevent_req_set_cleanup_fn()'s
     * rules exactly: it runs at completion, before the callback, with the completion state
     * ({@link RequestState#DONE}, {@link RequestState#ERROR}, {@link RequestState#TIMED_OUT},
     * {@link RequestState#CANCELLED} or {@link RequestState#LOOP_CLOSED}), and again with
     * {@link RequestState#RECEIVED} when {@link #received()} runs; never twice for one state.
     * Set on a complete request, it runs only at RECEIVED (tevent records the current state
     * when the function is set). It replaces a {@link #setCleanupFn plain} one.
     */
    public void setStateCleanupFn(RequestCleanupFn<T> fn) {
        loop.checkOwner();
        checkNotReceived();
        stateCleanupFn = fn;
        stateCleanupState = state;
        cleanupFn = null;
    }

    /**
     * Sets what {@link #toString()} returns (tevent_req_set_print_fn; tevent_req_print is
     * {@code toString()}). Null restores {@link #defaultPrint()}.
     */
    public void setPrintFn(Function<? super Request<T>, String> fn) {
        loop.checkOwner();
        checkNotReceived();
        printFn = fn;
    }

    /** The profile, or null when the loop did not profile requests at its creation. */
    public RequestProfile profile() {
        return profile;
    }

    /**
     * The value, or a {@link RequestException} carrying the cause.
     *
     * @throws IllegalStateException while the request is in progress
     */
    public T result() {
        checkNotReceived();
        return switch (state) {
            case IN_PROGRESS -> throw new IllegalStateException("the request is still in progress");
            case DONE -> value;
            default -> throw new RequestException(cause);
        };
    }

    /**
     * The cause of an error, or null.
     *
     * @throws IllegalStateException after {@link #received()}
     */
    public Throwable cause() {
        checkNotReceived();
        return cause;
    }

    /**
     * Runs the loop until the request completes, then returns {@link #result()}.
     *
     * @throws IllegalStateException inside a handler of the same loop, or if no event is left
     *     that could complete the request
     */
    public T await() {
        loop.checkOwnerAndOpen();
        checkNotReceived();
        if (loop.inIteration()) {
            throw new IllegalStateException("await() inside a handler of the same loop would deadlock it; use onComplete");
        }
        if (state == RequestState.IN_PROGRESS) {
            loop.runUntil(() -> state != RequestState.IN_PROGRESS);
        }
        return result();
    }

    /** A future completed (on the loop thread) when the request completes. */
    public CompletableFuture<T> toFuture() {
        loop.checkOwner();
        checkNotReceived();
        if (future == null) {
            future = new CompletableFuture<>();
            if (state != RequestState.IN_PROGRESS) completeFuture();
        }
        return future;
    }

    // ---------------------------------------------------------------- internals

    /** For {@link RequestQueue}: a request waits in at most one queue at a time. */
    boolean attachQueueEntry(QueueEntry e) {
        if (queueEntry != null) return false;
        queueEntry = e;
        return true;
    }

    /** For {@link QueueEntry#remove()}: the request may join a queue again. */
    void detachQueueEntry(QueueEntry e) {
        if (queueEntry == e) queueEntry = null;
    }

    /** For {@link RequestQueue#addOptimizeEmpty}: tevent triggers directly only without a callback. */
    boolean hasCallback() {
        return callback != null;
    }

    EventLoopBase owningLoop() {
        return loop;
    }

    private void complete(RequestState to, T v, Throwable c, boolean deferred) {
        loop.checkOwner();
        checkNotReceived();
        if (state != RequestState.IN_PROGRESS) {
            throw new IllegalStateException("the request is already complete (" + describe() + "); it completes once");
        }
        state = to;
        value = v;
        cause = c;
        if (endTimer != null) endTimer.cancel();
        if (queueEntry != null) {
            QueueEntry e = queueEntry;
            queueEntry = null;
            e.requestCompleted();
        }
        if (profile != null) profile.stopped(to, c, System.nanoTime());
        runStateCleanup(to); // tevent_req_finish: the cleanup before the callback
        completeFuture();
        if (deferred && !loop.isClosed()) {
            // Even without a callback yet: the send function's caller sets it after we return,
            // and the cleanup must wait for it (tevent_req_post schedules unconditionally).
            scheduleCallback(loop); // stays in the open list: a loop closing first still runs it
        } else if (deferLoop != null && !deferLoop.isClosed() && !loop.isClosed()) {
            scheduleCallback(deferLoop);
        } else {
            open.remove(this);
            runCallbackAndCleanup();
        }
    }

    private void scheduleCallback(EventLoopBase on) {
        if (!open.contains(this)) open.add(this);
        deferredCallback = on.newImmediate(this::runCallbackAndCleanup);
        deferredCallback.schedule();
    }

    private void runCallbackAndCleanup() {
        open.remove(this);
        if (received) return;
        if (!callbackRan && callback != null) {
            callbackRan = true;
            if (wrapper != null) {
                runWrappedCallback();
            } else {
                try {
                    callback.accept(this);
                } catch (Throwable t) {
                    loop.reportUncaught(this, t);
                }
            }
        }
        if (callback == null || callbackRan) runCleanup();
    }

    /** The callback between the wrapper's hooks: none of the three runs after a throwing before. */
    private void runWrappedCallback() {
        try {
            wrapper.beforeCallback(this);
        } catch (Throwable t) {
            loop.reportUncaught(this, t);
            return;
        }
        try {
            callback.accept(this);
        } catch (Throwable t) {
            loop.reportUncaught(this, t);
        } finally {
            try {
                wrapper.afterCallback(this);
            } catch (Throwable t) {
                loop.reportUncaught(this, t);
            }
        }
    }

    private void runCleanup() {
        if (cleanedUp || cleanupFn == null) return;
        cleanedUp = true;
        try {
            cleanupFn.accept(this);
        } catch (Throwable t) {
            loop.reportUncaught(this, t);
        }
    }

    private void runStateCleanup(RequestState s) {
        RequestCleanupFn<T> fn = stateCleanupFn;
        if (fn == null || stateCleanupState.compareTo(s) >= 0) return; // once per state, as tevent
        stateCleanupState = s;
        try {
            fn.cleanup(this, s);
        } catch (Throwable t) {
            loop.reportUncaught(this, t);
        }
    }

    private void completeFuture() {
        if (future == null) return;
        if (state == RequestState.DONE) future.complete(value); else future.completeExceptionally(cause);
    }

    /** Called when the loop closes: fails it if in progress, or runs a deferred callback now. */
    void settleOnLoopClose() {
        if (state == RequestState.IN_PROGRESS) {
            deferLoop = null;
            complete(RequestState.LOOP_CLOSED, null, new IllegalStateException("the event loop was closed"), false);
        } else {
            if (deferredCallback != null) deferredCallback.cancel();
            runCallbackAndCleanup();
        }
    }

    private String describe() {
        return switch (state) {
            case IN_PROGRESS -> "in progress";
            case DONE -> "done";
            default -> "failed with " + cause;
        };
    }

    /**
     * What {@link #toString()} shows without a print function (tevent_req_default_print): the
     * name, the state (and cause), whether it was received, and the end time if one is armed.
     */
    public String defaultPrint() {
        StringBuilder sb = new StringBuilder("Request[");
        if (name != null) sb.append(name).append(", ");
        sb.append(describe());
        if (received) sb.append(", received");
        if (endTimer != null && endTimer.isActive()) {
            sb.append(wakeup ? ", wakes in " : ", ends in ").append((endTimer.deadlineNanos() - System.nanoTime()) / 1_000_000).append(" ms");
        }
        return sb.append(']').toString();
    }

    /** The print function's text ({@link #setPrintFn}), else {@link #defaultPrint()}. */
    @Override
    public String toString() {
        Function<? super Request<T>, String> fn = printFn;
        if (fn == null) return defaultPrint();
        try {
            return fn.apply(this);
        } catch (RuntimeException e) {
            return defaultPrint() + " (print fn threw " + e + ")";
        }
    }
}
