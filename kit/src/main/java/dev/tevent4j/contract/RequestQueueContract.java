package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Request;
import dev.tevent4j.RequestQueue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request queues (tevent_queue): FIFO, one running at a time, stop/start, removal, close. */
public abstract class RequestQueueContract extends LoopContract {

    private final List<String> log = new ArrayList<>();

    /** Adds a request whose trigger only logs: it stays running until the test completes it. */
    private Request<String> addLogging(RequestQueue q, String name) {
        Request<String> req = Request.create(loop);
        q.add(req, r -> log.add("trigger " + name));
        return req;
    }

    @Test
    void newQueueIsRunningAndEmpty() {
        RequestQueue q = new RequestQueue(loop, "q");
        assertTrue(q.isRunning());
        assertEquals(0, q.length());
        assertEquals("q", q.name());
    }

    @Test
    void addNeverTriggersSynchronouslyTheHeadTriggersOnTheNextIteration() {
        RequestQueue q = new RequestQueue(loop, "q");
        addLogging(q, "a");
        assertEquals(List.of(), log);
        assertEquals(1, q.length());
        assertTrue(loop.runOnce());
        assertEquals(List.of("trigger a"), log);
    }

    @Test
    void entriesTriggerInFifoOrderOneAtATime() {
        RequestQueue q = new RequestQueue(loop, "q");
        Request<String> a = addLogging(q, "a");
        Request<String> b = addLogging(q, "b");
        Request<String> c = addLogging(q, "c");
        assertEquals(3, q.length());
        loop.runOnce();
        loop.runOnce();
        assertEquals(List.of("trigger a"), log, "b waits while a runs");
        a.done("a");
        assertEquals(2, q.length());
        loop.runOnce();
        assertEquals(List.of("trigger a", "trigger b"), log);
        b.done("b");
        loop.runOnce();
        c.done("c");
        assertEquals(List.of("trigger a", "trigger b", "trigger c"), log);
        assertEquals(0, q.length());
        assertFalse(loop.runOnce());
    }

    @Test
    void nextEntryTriggersWhenTheRunningRequestCompletesThroughARealFd() {
        int[] sp = socketpair();
        RequestQueue q = new RequestQueue(loop, "q");
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Request<Integer> req = Request.create(loop);
            req.onComplete(r -> got.add(r.result()));
            q.add(req, r -> loop.addFd(sp[0], FdEvent.READ, (e, f) -> {
                byte[] b = Fds.read(sp[0], 1);
                if (b == null) return;
                e.close();
                req.done((int) b[0]);
            }));
        }
        Fds.write(sp[1], (byte) 1, (byte) 2, (byte) 3);
        runUntilOrFail(() -> got.size() == 3);
        assertEquals(List.of(1, 2, 3), got);
        assertEquals(0, q.length());
    }

    @Test
    void triggerThatCompletesAtOnceEndsItsEntryAndTheNextTriggersNextIteration() {
        RequestQueue q = new RequestQueue(loop, "q");
        for (String name : List.of("a", "b", "c")) {
            Request<String> req = Request.create(loop);
            q.add(req, r -> { log.add("trigger " + name); req.done(name); });
        }
        loop.runOnce();
        assertEquals(List.of("trigger a"), log, "one entry per iteration even when each completes at once");
        assertEquals(2, q.length());
        loop.runOnce();
        loop.runOnce();
        assertEquals(List.of("trigger a", "trigger b", "trigger c"), log);
        assertEquals(0, q.length());
    }

    @Test
    void cancellingTheRunningRequestTriggersTheNext() {
        RequestQueue q = new RequestQueue(loop, "q");
        Request<String> a = addLogging(q, "a");
        a.setCancelFn(r -> true);
        addLogging(q, "b");
        loop.runOnce();
        assertTrue(a.cancel());
        assertEquals(1, q.length());
        loop.runOnce();
        assertEquals(List.of("trigger a", "trigger b"), log);
    }

    @Test
    void waitingRequestThatIsCancelledLeavesTheQueueWithoutTriggering() {
        RequestQueue q = new RequestQueue(loop, "q");
        Request<String> a = addLogging(q, "a");
        Request<String> b = addLogging(q, "b");
        b.setCancelFn(r -> true);
        addLogging(q, "c");
        loop.runOnce();
        assertTrue(b.cancel());
        assertEquals(2, q.length());
        a.done("a");
        loop.runOnce();
        assertEquals(List.of("trigger a", "trigger c"), log);
    }

    @Test
    void waitingRequestThatTimesOutLeavesTheQueueWithoutTriggering() {
        RequestQueue q = new RequestQueue(loop, "q");
        q.stop();
        Request<String> a = addLogging(q, "a");
        a.setEndTime(System.nanoTime() + Duration.ofMillis(5).toNanos());
        runUntilOrFail(() -> !a.isInProgress());
        assertInstanceOf(TimeoutException.class, a.cause());
        assertEquals(0, q.length());
        q.start();
        loop.addTimer(Duration.ZERO, (t, now) -> { });
        loop.runOnce();
        assertEquals(List.of(), log);
    }

    @Test
    void stopHoldsTriggeringAndStartResumesOnTheNextIteration() {
        RequestQueue q = new RequestQueue(loop, "q");
        q.stop();
        assertFalse(q.isRunning());
        Request<String> a = addLogging(q, "a");
        addLogging(q, "b");
        loop.addTimer(Duration.ZERO, (t, now) -> { });
        loop.runOnce();
        assertEquals(List.of(), log);
        q.start();
        assertEquals(List.of(), log, "start() does not trigger synchronously");
        loop.runOnce();
        assertEquals(List.of("trigger a"), log);
        q.stop();
        a.done("a");
        assertEquals(1, q.length());
        loop.addTimer(Duration.ZERO, (t, now) -> { });
        loop.runOnce();
        assertEquals(List.of("trigger a"), log, "a stopped queue triggers nothing new");
        q.start();
        loop.runOnce();
        assertEquals(List.of("trigger a", "trigger b"), log);
    }

    @Test
    void stopDoesNotInterruptTheRunningEntry() {
        RequestQueue q = new RequestQueue(loop, "q");
        Request<String> a = addLogging(q, "a");
        loop.runOnce();
        q.stop();
        assertTrue(a.isInProgress());
        a.done("a");
        assertEquals("a", a.result());
        assertEquals(0, q.length());
    }

    @Test
    void triggerThatThrowsFailsItsRequestAndTheQueueMovesOn() {
        RequestQueue q = new RequestQueue(loop, "q");
        Request<String> a = Request.create(loop);
        q.add(a, r -> { throw new IllegalStateException("trigger bug"); });
        addLogging(q, "b");
        loop.runOnce();
        assertTrue(a.isError());
        assertEquals("trigger bug", a.cause().getMessage());
        loop.runOnce();
        assertEquals(List.of("trigger b"), log);
    }

    @Test
    void loopCloseFailsTheWaitingRequestsAndTriggersNothing() {
        RequestQueue q = new RequestQueue(loop, "q");
        Request<String> a = addLogging(q, "a");
        Request<String> b = addLogging(q, "b");
        Request<String> c = addLogging(q, "c");
        int[] cleanups = {0};
        for (Request<String> r : List.of(a, b, c)) r.setCleanupFn(x -> cleanups[0]++);
        loop.runOnce();
        loop.close();
        assertTrue(a.isError());
        assertTrue(b.isError());
        assertTrue(c.isError());
        assertEquals(3, cleanups[0]);
        assertEquals(List.of("trigger a"), log);
        assertEquals(0, q.length());
        loop = EventLoop.open(backend());
    }

    @Test
    void badAddsAreRefusedByName() {
        RequestQueue q = new RequestQueue(loop, "q");
        Request<String> done = Request.create(loop);
        done.done("x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.add(done, r -> { }));
        assertTrue(e.getMessage().contains("req"), e.getMessage());
        Request<String> twice = Request.create(loop);
        q.add(twice, r -> { });
        assertThrows(IllegalArgumentException.class, () -> q.add(twice, r -> { }));
        assertTrue(assertThrows(NullPointerException.class, () -> q.add(null, r -> { })).getMessage().contains("req"));
        assertTrue(assertThrows(NullPointerException.class, () -> q.add(Request.create(loop), null)).getMessage().contains("trigger"));
        assertTrue(assertThrows(NullPointerException.class, () -> new RequestQueue(null, "q")).getMessage().contains("loop"));
        try (EventLoop other = EventLoop.open(backend())) {
            Request<String> foreign = Request.create(other);
            assertThrows(IllegalArgumentException.class, () -> q.add(foreign, r -> { }));
        }
    }
}
