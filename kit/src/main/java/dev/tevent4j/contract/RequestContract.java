package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Request;
import dev.tevent4j.RequestException;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Errno;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests (tevent_req): completion, callback, post, end time, cancel, cleanup, result, await. */
public abstract class RequestContract extends LoopContract {

    /**
     * A send function over a real fd: completes with the first byte read from {@code fd}, fails
     * with ECONNRESET on EOF. Its cancel fn stops watching the fd; the cleanup fn is the test's.
     */
    private Request<Integer> readByteSend(int fd) {
        Request<Integer> req = Request.create(loop);
        FdEvent fde = loop.addFd(fd, FdEvent.READ, (e, f) -> {
            if (!req.isInProgress()) { // timed out or failed elsewhere: nothing more to do
                e.close();
                return;
            }
            byte[] b = Fds.read(fd, 1);
            if (b == null) return;
            e.close();
            if (b.length == 0) req.errno(Errno.ECONNRESET); else req.done((int) b[0]);
        });
        req.setCancelFn(r -> { fde.close(); return true; });
        return req;
    }

    @Test
    void doneCompletesWithTheValueAndRunsTheCallbackOnce() {
        int[] sp = socketpair();
        List<Integer> calls = new ArrayList<>();
        Request<Integer> req = readByteSend(sp[0]);
        req.onComplete(r -> calls.add(r.result()));
        assertTrue(req.isInProgress());
        Fds.write(sp[1], (byte) 42);
        loop.run();
        assertFalse(req.isInProgress());
        assertFalse(req.isError());
        assertEquals(List.of(42), calls);
        assertEquals(42, req.result());
    }

    @Test
    void errorCompletesWithTheCauseWrappedByResult() {
        Request<String> req = Request.create(loop);
        IOException cause = new IOException("boom");
        req.error(cause);
        assertTrue(req.isError());
        assertSame(cause, req.cause());
        RequestException ex = assertThrows(RequestException.class, req::result);
        assertSame(cause, ex.getCause());
    }

    @Test
    void errnoFailsWithAnErrnoExceptionNamingTheErrno() {
        int[] sp = socketpair();
        Request<Integer> req = readByteSend(sp[0]);
        closeNow(sp[1]); // EOF: the send function fails with ECONNRESET
        loop.run();
        assertTrue(req.isError());
        ErrnoException e = assertInstanceOf(ErrnoException.class, req.cause());
        assertEquals(Errno.ECONNRESET, e.errno());
        assertEquals("ECONNRESET", e.errnoName());
        assertTrue(e.getMessage().contains("ECONNRESET"), e.getMessage());
        RequestException re = assertThrows(RequestException.class, req::result);
        assertTrue(re.getMessage().contains("ECONNRESET"), re.getMessage());
    }

    @Test
    void errnoZeroOrNegativeIsRefused() {
        Request<Integer> req = Request.create(loop);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> req.errno(0));
        assertTrue(e.getMessage().contains("errno"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> req.errno(-4));
        assertTrue(req.isInProgress());
    }

    @Test
    void callbackSetBeforeDoneRunsInsideDone() {
        Request<String> req = Request.create(loop);
        List<String> calls = new ArrayList<>();
        req.onComplete(r -> calls.add(r.result()));
        req.done("x");
        assertEquals(List.of("x"), calls);
    }

    @Test
    void postedRequestIsCompleteAtOnceButItsCallbackWaitsForTheNextIteration() {
        List<String> calls = new ArrayList<>();
        // A send function that can answer at once, tevent_req_post style.
        Request<String> req = Request.create(loop);
        req.post("cached");
        assertFalse(req.isInProgress());
        req.onComplete(r -> calls.add(r.result()));
        assertEquals(List.of(), calls, "the callback must not run inside the send function");
        assertTrue(loop.runOnce());
        assertEquals(List.of("cached"), calls);
        assertFalse(loop.runOnce());
        assertEquals(List.of("cached"), calls);
    }

    @Test
    void postErrorDefersTheCallbackToo() {
        List<Throwable> calls = new ArrayList<>();
        Request<String> req = Request.create(loop);
        req.postError(new IOException("no"));
        assertTrue(req.isError());
        req.onComplete(r -> calls.add(r.cause()));
        assertEquals(0, calls.size());
        loop.runOnce();
        assertEquals(1, calls.size());
    }

    @Test
    void callbackSetAfterAPlainCompletionRunsFromTheNextIteration() {
        List<String> calls = new ArrayList<>();
        Request<String> req = Request.create(loop);
        req.done("late");
        req.onComplete(r -> calls.add(r.result()));
        assertEquals(List.of(), calls);
        loop.runOnce();
        assertEquals(List.of("late"), calls);
    }

    @Test
    void secondCallbackIsRefused() {
        Request<String> req = Request.create(loop);
        req.onComplete(r -> { });
        assertThrows(IllegalStateException.class, () -> req.onComplete(r -> { }));
    }

    @Test
    void completingTwiceIsRefusedWithAClearException() {
        Request<String> req = Request.create(loop);
        req.done("a");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> req.done("b"));
        assertTrue(e.getMessage().contains("already complete"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> req.error(new IOException()));
        assertThrows(IllegalStateException.class, () -> req.errno(Errno.EBADF));
        assertThrows(IllegalStateException.class, () -> req.post("c"));
        assertEquals("a", req.result());
    }

    @Test
    void endTimeFailsTheRequestWithATimeoutException() {
        int[] sp = socketpair();
        Request<Integer> req = readByteSend(sp[0]);
        int[] cleanups = {0};
        req.setCleanupFn(r -> cleanups[0]++);
        req.setEndTime(System.nanoTime() + Duration.ofMillis(20).toNanos());
        RequestException e = assertThrows(RequestException.class, req::await);
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals(1, cleanups[0]);
    }

    @Test
    void endTimeIsHarmlessWhenTheRequestCompletesFirst() {
        int[] sp = socketpair();
        Request<Integer> req = readByteSend(sp[0]);
        req.setEndTime(System.nanoTime() + Duration.ofSeconds(30).toNanos());
        Fds.write(sp[1], (byte) 7);
        assertEquals(7, req.await());
        assertFalse(loop.runOnce(), "the end timer is gone once the request completed");
    }

    @Test
    void endTimeInThePastFiresOnTheNextIteration() {
        Request<Integer> req = Request.create(loop);
        req.setEndTime(System.nanoTime() - 1);
        assertTrue(req.isInProgress());
        loop.runOnce();
        assertInstanceOf(TimeoutException.class, req.cause());
    }

    @Test
    void cancelAcceptedByTheCancelFnFailsWithCancellationException() {
        int[] sp = socketpair();
        Request<Integer> req = readByteSend(sp[0]);
        List<String> calls = new ArrayList<>();
        req.onComplete(r -> calls.add("callback"));
        req.setCleanupFn(r -> calls.add("cleanup"));
        assertTrue(req.cancel());
        assertInstanceOf(CancellationException.class, req.cause());
        assertEquals(List.of("callback", "cleanup"), calls);
        Fds.write(sp[1], (byte) 1);
        loop.runOnce();
        assertEquals(List.of("callback", "cleanup"), calls, "nothing runs after cancel");
    }

    @Test
    void cancelWithoutACancelFnReturnsFalseAndLeavesTheRequestRunning() {
        Request<Integer> req = Request.create(loop);
        assertFalse(req.cancel());
        assertTrue(req.isInProgress());
    }

    @Test
    void cancelRefusedByTheCancelFnReturnsFalse() {
        Request<Integer> req = Request.create(loop);
        int[] asked = {0};
        req.setCancelFn(r -> { asked[0]++; return false; });
        assertFalse(req.cancel());
        assertEquals(1, asked[0]);
        assertTrue(req.isInProgress());
    }

    @Test
    void cancelFnThatCompletesTheRequestItselfKeepsItsResult() {
        Request<String> req = Request.create(loop);
        req.setCancelFn(r -> { r.done("partial"); return true; });
        assertTrue(req.cancel());
        assertEquals("partial", req.result());
    }

    @Test
    void cancelAfterCompletionReturnsFalse() {
        Request<String> req = Request.create(loop);
        int[] asked = {0};
        req.setCancelFn(r -> { asked[0]++; return true; });
        req.done("x");
        assertFalse(req.cancel());
        assertEquals(0, asked[0]);
    }

    @Test
    void cleanupRunsOnceAfterTheCallbackOnDone() {
        List<String> calls = new ArrayList<>();
        Request<String> req = Request.create(loop);
        req.onComplete(r -> calls.add("callback"));
        req.setCleanupFn(r -> calls.add("cleanup"));
        req.done("x");
        loop.runOnce();
        assertEquals(List.of("callback", "cleanup"), calls);
    }

    @Test
    void cleanupRunsOnceOnError() {
        int[] n = {0};
        Request<String> req = Request.create(loop);
        req.setCleanupFn(r -> n[0]++);
        req.error(new IOException());
        loop.runOnce();
        assertEquals(1, n[0]);
    }

    @Test
    void cleanupRunsOnceAfterTheDeferredCallbackOfAPost() {
        List<String> calls = new ArrayList<>();
        Request<String> req = Request.create(loop);
        req.setCleanupFn(r -> calls.add("cleanup"));
        req.post("x");
        req.onComplete(r -> calls.add("callback"));
        loop.runOnce();
        loop.runOnce();
        assertEquals(List.of("callback", "cleanup"), calls);
    }

    @Test
    void loopCloseFailsOpenRequestsAndRunsEveryCleanupOnce() {
        int[] sp = socketpair();
        Request<Integer> waiting = readByteSend(sp[0]);
        List<String> calls = new ArrayList<>();
        waiting.onComplete(r -> calls.add("callback:" + r.isError()));
        waiting.setCleanupFn(r -> calls.add("cleanup"));
        Request<String> posted = Request.create(loop);
        posted.post("p");
        posted.onComplete(r -> calls.add("posted callback"));
        posted.setCleanupFn(r -> calls.add("posted cleanup"));
        loop.close();
        assertTrue(waiting.isError());
        assertTrue(calls.containsAll(List.of("callback:true", "cleanup", "posted callback", "posted cleanup")), calls.toString());
        assertEquals(4, calls.size(), calls.toString());
        loop.close();
        assertEquals(4, calls.size());
    }

    @Test
    void resultWhileInProgressIsRefused() {
        Request<String> req = Request.create(loop);
        IllegalStateException e = assertThrows(IllegalStateException.class, req::result);
        assertTrue(e.getMessage().contains("in progress"), e.getMessage());
    }

    @Test
    void awaitRunsTheLoopUntilTheRequestCompletes() {
        Request<String> req = Request.create(loop);
        loop.addTimer(Duration.ofMillis(5), (t, now) -> req.done("timer"));
        assertEquals("timer", req.await());
    }

    @Test
    void awaitInsideAHandlerIsRefused() {
        Request<String> req = Request.create(loop);
        Throwable[] got = {null};
        loop.newImmediate(() -> {
            try {
                req.await();
            } catch (Throwable t) {
                got[0] = t;
            }
        }).schedule();
        loop.runOnce();
        assertInstanceOf(IllegalStateException.class, got[0]);
        assertTrue(got[0].getMessage().contains("await"), got[0].getMessage());
    }

    @Test
    void awaitWithNothingLeftToCompleteTheRequestFailsInsteadOfHanging() {
        Request<String> req = Request.create(loop);
        assertThrows(IllegalStateException.class, req::await);
    }

    @Test
    void toFutureCompletesWithTheValue() throws Exception {
        Request<String> req = Request.create(loop);
        CompletableFuture<String> f = req.toFuture();
        assertFalse(f.isDone());
        loop.addTimer(Duration.ZERO, (t, now) -> req.done("v"));
        loop.run();
        assertEquals("v", f.get());
    }

    @Test
    void toFutureCompletesExceptionallyWithTheCause() {
        Request<String> req = Request.create(loop);
        IOException cause = new IOException("x");
        req.error(cause);
        ExecutionException e = assertThrows(ExecutionException.class, () -> req.toFuture().get());
        assertSame(cause, e.getCause());
    }

    @Test
    void callbackThatThrowsIsReportedAndCleanupStillRuns() {
        Request<String> req = Request.create(loop);
        int[] cleanups = {0};
        req.onComplete(r -> { throw new IllegalStateException("callback bug"); });
        req.setCleanupFn(r -> cleanups[0]++);
        req.done("x");
        assertEquals(1, cleanups[0]);
        assertEquals(1, uncaught.size());
    }

    @Test
    void requestOfAClosedLoopCannotBeCreated() {
        loop.close();
        assertThrows(IllegalStateException.class, () -> Request.create(loop));
        loop = EventLoop.open(backend());
    }

    @Test
    void requestFromAnotherThreadIsRefused() throws Exception {
        Request<String> req = Request.create(loop);
        Throwable[] got = {null};
        Thread t = new Thread(() -> {
            try {
                req.done("x");
            } catch (Throwable e) {
                got[0] = e;
            }
        });
        t.start();
        t.join();
        assertInstanceOf(IllegalStateException.class, got[0]);
        assertTrue(req.isInProgress());
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        Request<String> req = Request.create(loop);
        assertTrue(assertThrows(NullPointerException.class, () -> Request.create(null)).getMessage().contains("loop"));
        assertTrue(assertThrows(NullPointerException.class, () -> req.error(null)).getMessage().contains("cause"));
        assertTrue(assertThrows(NullPointerException.class, () -> req.onComplete(null)).getMessage().contains("callback"));
        assertNull(req.cause());
    }
}
