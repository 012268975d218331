package dev.tevent4j.spi;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.EventLoop;
import dev.tevent4j.Request;

/**
 * What a backend's {@link Poller} and an {@link AsyncIo} implementation need from the loop they
 * serve, and nothing more: owner and open checks, the count of ops in flight (which keeps
 * {@link EventLoop#run()} going), ordered close stages, reporting a throwing handler, and the
 * requests of ops with the deadline rule of docs/semantics.md, section 9. Loop thread only.
 */
public interface LoopServices {
    /** Where a close hook runs within {@link EventLoop#close()}. */
    enum CloseStage {
        /**
         * First, after the executor's accepted runnables ran: cancel every op in flight and
         * wait for each one's completion, so no kernel or worker still holds a buffer or fd.
         */
        DRAIN_IO,
        /**
         * After DRAIN_IO, in the order added with the loop's own close hooks (open requests are
         * failed there); before the loop's events are closed.
         */
        RELEASE
    }

    /** The loop these services belong to. */
    EventLoop loop();

    /** @throws IllegalStateException from a thread other than the loop's, or after close */
    void checkOwnerAndOpen();

    /** An op went to the kernel or a worker: the loop stays alive until {@link #ioFinished()}. */
    void ioStarted();

    /** An op started with {@link #ioStarted()} completed, or was drained at close. */
    void ioFinished();

    /** Runs {@code hook} once, at {@code stage} of the loop's close, in the order added. */
    void atClose(CloseStage stage, Runnable hook);

    /** Hands an exception a handler threw to the loop's uncaught-exception handler. */
    void reportUncaught(Object source, Throwable error);

    /**
     * A new request for an op about to go to the kernel or a worker: its deadline cancels the
     * op (through the cancel function the caller sets) instead of failing the request at once.
     */
    Request<Integer> newOpRequest();

    /**
     * Completes an op's request with the op's result: non-negative done, negative an errno
     * failure ({@code ErrnoException} naming {@code op}), except that an op cancelled because
     * the request's deadline passed fails it with a {@link java.util.concurrent.TimeoutException}.
     * Call it only once the kernel or worker is done with the op; a request already completed
     * is left alone.
     */
    void completeOp(Request<Integer> request, AsyncIo.Op op, long result);
}
