package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.Request;
import dev.tevent4j.RequestFailure;
import dev.tevent4j.RequestState;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request states as tevent has them: the state-aware cleanup (tevent_req_set_cleanup_fn),
 * received() (tevent_req_received), failure() (tevent_req_is_error / tevent_req_is_unix_error),
 * resetEndTime() (tevent_req_reset_endtime), the print fn (tevent_req_set_print_fn) and
 * deferCallback (tevent_req_defer_callback).
 */
public abstract class RequestStatesContract extends LoopContract {

    private final List<String> log = new ArrayList<>();

    /** A request whose callback and state-aware cleanup log what they see. */
    private Request<String> logged() {
        Request<String> r = Request.create(loop);
        r.setStateCleanupFn((req, state) -> log.add("cleanup " + state));
        r.onComplete(req -> log.add("callback " + req.state()));
        return r;
    }

    @Test
    void stateCleanupRunsWithTheCompletionStateBeforeTheCallbackAndAgainAtReceived() {
        Request<String> r = logged();
        assertEquals(RequestState.IN_PROGRESS, r.state());
        r.done("v");
        assertEquals(List.of("cleanup DONE", "callback DONE"), log);
        assertEquals("v", r.result());
        r.received();
        assertEquals(List.of("cleanup DONE", "callback DONE", "cleanup RECEIVED"), log);
        assertEquals(RequestState.RECEIVED, r.state());
        r.received();
        assertEquals(3, log.size(), "received() is idempotent and the cleanup runs once per state");
    }

    @Test
    void stateCleanupSeesErrorTimedOutCancelledAndLoopClosed() {
        Request<String> err = logged();
        err.errno(Errno.ECONNRESET);
        Request<String> cancelled = logged();
        cancelled.setCancelFn(x -> true);
        assertTrue(cancelled.cancel());
        Request<String> timed = logged();
        timed.setEndTime(System.nanoTime());
        runUntilOrFail(() -> !timed.isInProgress());
        Request<String> open = logged();
        loop.close();
        assertEquals(List.of("cleanup ERROR", "callback ERROR", "cleanup CANCELLED", "callback CANCELLED",
                "cleanup TIMED_OUT", "callback TIMED_OUT", "cleanup LOOP_CLOSED", "callback LOOP_CLOSED"), log);
        assertEquals(RequestState.LOOP_CLOSED, open.state());
        loop = EventLoop.open(backend());
    }

    @Test
    void stateCleanupOfAPostedRequestRunsAtCompletionAndTheCallbackNextIteration() {
        Request<String> r = Request.create(loop);
        r.setStateCleanupFn((req, state) -> log.add("cleanup " + state));
        r.post("v");
        assertEquals(List.of("cleanup DONE"), log);
        r.onComplete(req -> log.add("callback"));
        loop.runOnce();
        assertEquals(List.of("cleanup DONE", "callback"), log);
    }

    @Test
    void stateCleanupSetOnACompleteRequestRunsOnlyAtReceived() {
        Request<String> r = Request.create(loop);
        r.done("v");
        r.setStateCleanupFn((req, state) -> log.add("cleanup " + state));
        loop.addTimer(Duration.ZERO, (t, now) -> { });
        loop.runOnce();
        assertEquals(List.of(), log, "tevent records the current state when the fn is set");
        r.received();
        assertEquals(List.of("cleanup RECEIVED"), log);
    }

    @Test
    void receivedRefusesFurtherUseClearly() {
        Request<String> r = Request.create(loop);
        r.done("v");
        r.received();
        IllegalStateException e = assertThrows(IllegalStateException.class, r::result);
        assertTrue(e.getMessage().contains("received"), e.getMessage());
        assertThrows(IllegalStateException.class, r::cause);
        assertThrows(IllegalStateException.class, r::failure);
        assertThrows(IllegalStateException.class, () -> r.onComplete(x -> { }));
        assertThrows(IllegalStateException.class, () -> r.setCleanupFn(x -> { }));
        assertThrows(IllegalStateException.class, () -> r.setEndTime(System.nanoTime()));
        assertThrows(IllegalStateException.class, r::toFuture);
        assertFalse(r.cancel());
        assertFalse(r.isInProgress());
        assertFalse(r.isError());
        assertTrue(r.toString().contains("received"), r.toString());
    }

    @Test
    void receivedWhileInProgressIsRefused() {
        Request<String> r = Request.create(loop);
        IllegalStateException e = assertThrows(IllegalStateException.class, r::received);
        assertTrue(e.getMessage().contains("in progress"), e.getMessage());
        assertTrue(r.isInProgress());
    }

    @Test
    void receivedBeforeADeferredCallbackRanDropsItAndRunsAPlainCleanup() {
        Request<String> r = Request.create(loop);
        int[] cleanups = {0};
        r.setCleanupFn(x -> cleanups[0]++);
        r.onComplete(x -> log.add("callback"));
        r.post("v");
        r.received();
        assertEquals(1, cleanups[0]);
        loop.addTimer(Duration.ZERO, (t, now) -> { });
        loop.runOnce();
        assertEquals(List.of(), log, "the caller took the result: the callback is not run");
        assertEquals(1, cleanups[0]);
    }

    @Test
    void failureGivesTheStateAndAnErrnoLikeTeventReqIsUnixError() {
        Request<String> ok = Request.create(loop);
        ok.done("v");
        assertTrue(ok.failure().isEmpty());

        Request<String> err = Request.create(loop);
        err.errno(Errno.ECONNREFUSED);
        RequestFailure f = err.failure().orElseThrow();
        assertEquals(RequestState.ERROR, f.state());
        assertEquals(Errno.ECONNREFUSED, f.errno());
        assertTrue(f.cause() instanceof ErrnoException);

        Request<String> other = Request.create(loop);
        other.error(new IllegalArgumentException("bad"));
        assertEquals(Errno.EINVAL, other.failure().orElseThrow().errno(), "tevent's default errno");

        Request<String> cancelled = Request.create(loop);
        cancelled.setCancelFn(x -> true);
        cancelled.cancel();
        assertEquals(new RequestFailure(RequestState.CANCELLED, Errno.ECANCELED, cancelled.cause()), cancelled.failure().orElseThrow());

        Request<String> timed = Request.create(loop);
        timed.setEndTime(System.nanoTime());
        runUntilOrFail(() -> !timed.isInProgress());
        assertEquals(RequestState.TIMED_OUT, timed.failure().orElseThrow().state());
        assertEquals(Errno.ETIMEDOUT, timed.failure().orElseThrow().errno());

        Request<String> viaError = Request.create(loop);
        viaError.error(new TimeoutException("op timed out"));
        assertEquals(RequestState.TIMED_OUT, viaError.state(), "a TimeoutException is a timeout whoever reports it");

        assertThrows(IllegalStateException.class, () -> Request.create(loop).failure());
    }

    @Test
    void resetEndTimeRemovesTheDeadline() {
        Request<String> r = Request.create(loop);
        r.setEndTime(System.nanoTime() + Duration.ofMillis(1).toNanos());
        r.resetEndTime();
        r.resetEndTime();
        loop.addTimer(Duration.ofMillis(20), (t, now) -> { });
        loop.run();
        assertTrue(r.isInProgress());
        r.setEndTime(System.nanoTime());
        runUntilOrFail(() -> !r.isInProgress());
        assertEquals(RequestState.TIMED_OUT, r.state(), "a deadline can be set again after a reset");
    }

    @Test
    void printFnIsWhatToStringShows() {
        Request<String> r = Request.create(loop, "smb2 read");
        assertTrue(r.toString().contains("smb2 read"), r.toString());
        assertTrue(r.toString().contains("in progress"), r.toString());
        r.setEndTime(System.nanoTime() + Duration.ofSeconds(10).toNanos());
        assertTrue(r.toString().contains("ends in"), r.toString());
        r.setPrintFn(req -> "read[fd 7, " + req.state() + "]");
        assertEquals("read[fd 7, IN_PROGRESS]", r.toString());
        assertTrue(r.defaultPrint().startsWith("Request[smb2 read"), r.defaultPrint());
        r.setPrintFn(req -> { throw new IllegalStateException("print bug"); });
        assertTrue(r.toString().contains("print bug"), "a throwing print fn does not break toString");
        r.setPrintFn(null);
        assertEquals(r.defaultPrint(), r.toString());
    }

    @Test
    void deferCallbackRunsTheCallbackFromAnImmediateButTheCleanupAtOnce() {
        Request<String> r = logged();
        r.deferCallback(loop);
        r.done("v");
        assertEquals(List.of("cleanup DONE"), log, "the callback waits for the immediate");
        assertFalse(r.isInProgress());
        assertTrue(loop.runOnce());
        assertEquals(List.of("cleanup DONE", "callback DONE"), log);
    }

    @Test
    void deferCallbackOnAnotherLoopOfTheSameThreadRunsOnThatLoop() {
        try (EventLoop other = EventLoop.open(backend())) {
            Request<String> r = logged();
            r.deferCallback(other);
            r.done("v");
            loop.addTimer(Duration.ZERO, (t, now) -> { });
            loop.runOnce();
            assertEquals(List.of("cleanup DONE"), log, "the request's own loop does not run it");
            assertTrue(other.runOnce());
            assertEquals(List.of("cleanup DONE", "callback DONE"), log);
        }
    }

    @Test
    void deferCallbackAfterCompletionIsRefused() {
        Request<String> r = Request.create(loop);
        r.done("v");
        assertThrows(IllegalStateException.class, () -> r.deferCallback(loop));
        assertTrue(assertThrows(NullPointerException.class, () -> Request.create(loop).deferCallback(null)).getMessage().contains("on"));
    }

    @Test
    void deferredCallbackPendingAtLoopCloseStillRunsOnce() {
        Request<String> r = logged();
        r.deferCallback(loop);
        r.done("v");
        loop.close();
        assertEquals(List.of("cleanup DONE", "callback DONE"), log);
        loop = EventLoop.open(backend());
    }
}
