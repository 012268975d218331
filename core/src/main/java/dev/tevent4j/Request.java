package dev.tevent4j;

import dev.tevent4j.linux.ErrnoException;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
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
    private enum State { IN_PROGRESS, DONE, ERROR }

    private final EventLoopBase loop;
    private State state = State.IN_PROGRESS;
    private T value;
    private Throwable cause;
    private Consumer<Request<T>> callback;
    private boolean callbackRan;
    private Predicate<Request<T>> cancelFn;
    private Consumer<Request<T>> cleanupFn;
    private boolean cleanedUp;
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
    private RequestQueue.Entry queueEntry;
    /** Membership in {@link OpenRequests}: failed when the loop closes. */
    Request<?> prevOpen, nextOpen;

    private Request(EventLoopBase loop) {
        this.loop = loop;
        this.open = loop.openRequests();
    }

    /** A new request in progress on {@code loop}. */
    public static <T> Request<T> create(EventLoop loop) {
        if (loop == null) throw new NullPointerException("loop is null");
        if (!(loop instanceof EventLoopBase l)) {
            throw new IllegalArgumentException("loop " + loop + " was not opened by EventLoop.open");
        }
        l.checkOwnerAndOpen();
        Request<T> r = new Request<>(l);
        r.open.add(r);
        return r;
    }

    void markOpInFlight() {
        opInFlight = true;
    }

    boolean deadlinePassed() {
        return deadlinePassed;
    }

    public EventLoop loop() {
        return loop;
    }

    /** Completes with a value and runs the callback now, if set. */
    public void done(T value) {
        complete(State.DONE, value, null, false);
    }

    /** Fails with {@code cause} and runs the callback now, if set. */
    public void error(Throwable cause) {
        if (cause == null) throw new NullPointerException("cause is null");
        complete(State.ERROR, null, cause, false);
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
        complete(State.DONE, value, null, true);
    }

    /** Fails now; the callback runs from the next iteration. */
    public void postError(Throwable cause) {
        if (cause == null) throw new NullPointerException("cause is null");
        complete(State.ERROR, null, cause, true);
    }

    public boolean isInProgress() {
        return state == State.IN_PROGRESS;
    }

    /** Whether it completed with an error (timeout and cancellation included). */
    public boolean isError() {
        return state == State.ERROR;
    }

    /**
     * Sets the one callback. Set before completion, it runs inside {@link #done}/{@link #error};
     * set after, from the next iteration.
     *
     * @throws IllegalStateException if a callback is already set
     */
    public Request<T> onComplete(Consumer<Request<T>> callback) {
        loop.checkOwner();
        if (callback == null) throw new NullPointerException("callback is null");
        if (this.callback != null) throw new IllegalStateException("a request has one callback, and it is already set");
        this.callback = callback;
        if (state != State.IN_PROGRESS && deferredCallback == null && !loop.isClosed()) {
            deferCallback();
        }
        return this;
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
        if (state != State.IN_PROGRESS) return;
        if (endTimer == null) {
            endTimer = loop.addTimerAt(deadlineNanos, (t, now) -> deadlineReached());
        } else {
            endTimer.update(deadlineNanos);
        }
    }

    private void deadlineReached() {
        if (state != State.IN_PROGRESS) return;
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
        if (state != State.IN_PROGRESS || cancelFn == null) return false;
        boolean started = cancelFn.test(this);
        if (started && state == State.IN_PROGRESS) {
            error(new CancellationException("request cancelled"));
        }
        return started;
    }

    /**
     * Sets the function called exactly once, on every path (done, error, timeout, cancel, loop
     * close), after the callback. A request completed with {@link #done}/{@link #error} while
     * no callback is set runs it at completion; set on a complete request whose callback has
     * run, it runs at once.
     */
    public void setCleanupFn(Consumer<Request<T>> fn) {
        loop.checkOwner();
        cleanupFn = fn;
        boolean callbackPending = deferredCallback != null && deferredCallback.isScheduled();
        if (state != State.IN_PROGRESS && !callbackPending && (callback == null || callbackRan)) {
            runCleanup();
        }
    }

    /**
     * The value, or a {@link RequestException} carrying the cause.
     *
     * @throws IllegalStateException while the request is in progress
     */
    public T result() {
        return switch (state) {
            case IN_PROGRESS -> throw new IllegalStateException("the request is still in progress");
            case DONE -> value;
            case ERROR -> throw new RequestException(cause);
        };
    }

    /** The cause of an error, or null. */
    public Throwable cause() {
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
        if (loop.inIteration()) {
            throw new IllegalStateException("await() inside a handler of the same loop would deadlock it; use onComplete");
        }
        if (state == State.IN_PROGRESS) {
            loop.runUntil(() -> state != State.IN_PROGRESS);
        }
        return result();
    }

    /** A future completed (on the loop thread) when the request completes. */
    public CompletableFuture<T> toFuture() {
        loop.checkOwner();
        if (future == null) {
            future = new CompletableFuture<>();
            if (state != State.IN_PROGRESS) completeFuture();
        }
        return future;
    }

    // ---------------------------------------------------------------- internals

    /** For {@link RequestQueue}: a request waits in at most one queue at a time. */
    boolean attachQueueEntry(RequestQueue.Entry e) {
        if (queueEntry != null) return false;
        queueEntry = e;
        return true;
    }

    EventLoopBase owningLoop() {
        return loop;
    }

    private void complete(State to, T v, Throwable c, boolean deferred) {
        loop.checkOwner();
        if (state != State.IN_PROGRESS) {
            throw new IllegalStateException("the request is already complete (" + describe() + "); it completes once");
        }
        state = to;
        value = v;
        cause = c;
        if (endTimer != null) endTimer.cancel();
        if (queueEntry != null) {
            RequestQueue.Entry e = queueEntry;
            queueEntry = null;
            e.requestCompleted();
        }
        completeFuture();
        if (deferred && !loop.isClosed()) {
            // Even without a callback yet: the send function's caller sets it after we return,
            // and the cleanup must wait for it (tevent_req_post schedules unconditionally).
            deferCallback(); // stays in the open list: a loop closing first still runs it
        } else {
            open.remove(this);
            runCallbackAndCleanup();
        }
    }

    private void deferCallback() {
        if (!open.contains(this)) open.add(this);
        deferredCallback = loop.newImmediate(this::runCallbackAndCleanup);
        deferredCallback.schedule();
    }

    private void runCallbackAndCleanup() {
        open.remove(this);
        if (!callbackRan && callback != null) {
            callbackRan = true;
            try {
                callback.accept(this);
            } catch (Throwable t) {
                loop.reportUncaught(this, t);
            }
        }
        if (callback == null || callbackRan) runCleanup();
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

    private void completeFuture() {
        if (future == null) return;
        if (state == State.DONE) future.complete(value); else future.completeExceptionally(cause);
    }

    /** Called when the loop closes: fails it if in progress, or runs a deferred callback now. */
    void settleOnLoopClose() {
        if (state == State.IN_PROGRESS) {
            complete(State.ERROR, null, new IllegalStateException("the event loop was closed"), false);
        } else {
            if (deferredCallback != null) deferredCallback.cancel();
            runCallbackAndCleanup();
        }
    }

    private String describe() {
        return state == State.DONE ? "done" : "failed with " + cause;
    }

    @Override
    public String toString() {
        return "Request[" + (state == State.IN_PROGRESS ? "in progress" : describe()) + "]";
    }
}
