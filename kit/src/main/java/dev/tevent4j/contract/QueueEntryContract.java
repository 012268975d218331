package dev.tevent4j.contract;

import dev.tevent4j.QueueEntry;
import dev.tevent4j.Request;
import dev.tevent4j.RequestQueue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queue entries and the rest of tevent_queue: tevent_queue_add_entry (remove = free,
 * tevent_queue_entry_untrigger), tevent_queue_add_optimize_empty, tevent_queue_wait_send.
 */
public abstract class QueueEntryContract extends LoopContract {

    private final List<String> log = new ArrayList<>();

    private QueueEntry addLogging(RequestQueue q, String name) {
        Request<String> req = Request.create(loop);
        return q.addEntry(req, r -> log.add("trigger " + name));
    }

    /** One iteration that is sure to return, even when nothing else is scheduled. */
    private void iterate() {
        loop.addTimer(Duration.ZERO, (t, now) -> { });
        loop.runOnce();
    }

    @Test
    void addEntryReturnsTheEntryOfTheRequest() {
        RequestQueue q = new RequestQueue(loop, "q");
        Request<String> req = Request.create(loop);
        QueueEntry e = q.addEntry(req, r -> log.add("trigger"));
        assertSame(req, e.request());
        assertSame(q, e.queue());
        assertTrue(e.isQueued());
        assertFalse(e.isTriggered());
        loop.runOnce();
        assertTrue(e.isTriggered());
        assertTrue(q.toString().contains("head triggered"), q.toString());
        req.done("x");
        assertFalse(e.isQueued(), "the entry leaves with its request's completion");
    }

    @Test
    void removingAWaitingEntrySkipsItsTriggerAndLeavesTheRequestInProgress() {
        RequestQueue q = new RequestQueue(loop, "q");
        QueueEntry a = addLogging(q, "a");
        QueueEntry b = addLogging(q, "b");
        addLogging(q, "c");
        loop.runOnce();
        b.remove();
        b.remove();
        assertEquals(2, q.length());
        assertTrue(b.request().isInProgress());
        ((Request<String>) a.request()).done("a");
        loop.runOnce();
        assertEquals(List.of("trigger a", "trigger c"), log);
        q.add(b.request(), r -> log.add("b again"));
        assertEquals(2, q.length(), "a removed entry's request may join a queue again");
    }

    @Test
    void removingTheTriggeredHeadLetsTheNextTriggerOnTheNextIteration() {
        RequestQueue q = new RequestQueue(loop, "q");
        QueueEntry a = addLogging(q, "a");
        addLogging(q, "b");
        loop.runOnce();
        a.remove();
        assertEquals(List.of("trigger a"), log);
        loop.runOnce();
        assertEquals(List.of("trigger a", "trigger b"), log);
        assertTrue(a.request().isInProgress(), "removing the entry does not touch the request's work");
    }

    @Test
    void untriggerOnAStoppedQueueMakesTheHeadTriggerAgainOnStart() {
        RequestQueue q = new RequestQueue(loop, "q");
        QueueEntry a = addLogging(q, "a");
        addLogging(q, "b");
        loop.runOnce();
        q.stop();
        a.untrigger();
        assertFalse(a.isTriggered());
        q.start();
        loop.runOnce();
        assertEquals(List.of("trigger a", "trigger a"), log);
        assertTrue(a.isTriggered());
    }

    @Test
    void untriggerIsRefusedOnARunningQueueOrForAnEntryThatIsNotTheHead() {
        RequestQueue q = new RequestQueue(loop, "q");
        QueueEntry a = addLogging(q, "a");
        QueueEntry b = addLogging(q, "b");
        loop.runOnce();
        IllegalStateException running = assertThrows(IllegalStateException.class, a::untrigger);
        assertTrue(running.getMessage().contains("running"), running.getMessage());
        q.stop();
        IllegalStateException notHead = assertThrows(IllegalStateException.class, b::untrigger);
        assertTrue(notHead.getMessage().contains("head"), notHead.getMessage());
        assertTrue(a.isTriggered());
    }

    @Test
    void addOptimizeEmptyTriggersInsideTheCallOnARunningEmptyQueue() {
        RequestQueue q = new RequestQueue(loop, "q");
        Request<String> a = Request.create(loop);
        assertTrue(q.addOptimizeEmpty(a, r -> log.add("trigger a")));
        assertEquals(List.of("trigger a"), log);
        Request<String> b = Request.create(loop);
        assertFalse(q.addOptimizeEmpty(b, r -> log.add("trigger b")), "not empty: it waits its turn");
        a.done("a");
        loop.runOnce();
        assertEquals(List.of("trigger a", "trigger b"), log);
    }

    @Test
    void addOptimizeEmptyWaitsOnAStoppedQueueOrForARequestWithACallback() {
        RequestQueue q = new RequestQueue(loop, "q");
        q.stop();
        assertFalse(q.addOptimizeEmpty(Request.create(loop), r -> log.add("stopped")));
        RequestQueue q2 = new RequestQueue(loop, "q2");
        Request<String> withCallback = Request.create(loop);
        withCallback.onComplete(r -> { });
        assertFalse(q2.addOptimizeEmpty(withCallback, r -> log.add("callback set")));
        assertEquals(List.of(), log);
        loop.runOnce();
        assertEquals(List.of("callback set"), log);
    }

    @Test
    void addOptimizeEmptyWhoseTriggerCompletesAtOnceRunsTheLaterCallbackNextIteration() {
        RequestQueue q = new RequestQueue(loop, "q");
        Request<String> a = Request.create(loop);
        assertTrue(q.addOptimizeEmpty(a, r -> a.done("now")));
        assertFalse(a.isInProgress());
        assertEquals(0, q.length());
        a.onComplete(r -> log.add("callback " + r.result()));
        assertEquals(List.of(), log);
        loop.runOnce();
        assertEquals(List.of("callback now"), log);
    }

    @Test
    void waitRequestCompletesWhenEverythingAddedBeforeItIsDone() {
        RequestQueue q = new RequestQueue(loop, "q");
        QueueEntry a = addLogging(q, "a");
        QueueEntry b = addLogging(q, "b");
        Request<Void> wait = q.waitRequest();
        addLogging(q, "after");
        wait.onComplete(r -> log.add("wait done"));
        loop.runOnce();
        ((Request<String>) a.request()).done("a");
        loop.runOnce();
        assertTrue(wait.isInProgress());
        ((Request<String>) b.request()).done("b");
        loop.runOnce();
        loop.runOnce();
        assertEquals(List.of("trigger a", "trigger b", "wait done", "trigger after"), log);
    }

    @Test
    void waitRequestOnAnEmptyQueueCompletesOnTheNextIterationAndWaitsWhileStopped() {
        RequestQueue q = new RequestQueue(loop, "q");
        Request<Void> w = q.waitRequest();
        assertTrue(w.isInProgress());
        loop.runOnce();
        assertFalse(w.isInProgress());
        q.stop();
        Request<Void> held = q.waitRequest();
        iterate();
        assertTrue(held.isInProgress());
        assertTrue(held.cancel(), "a wait request is cancellable");
        assertEquals(0, q.length());
    }

    @Test
    void toStringShowsLengthAndRunningState() {
        RequestQueue q = new RequestQueue(loop, "wire");
        addLogging(q, "a");
        addLogging(q, "b");
        assertEquals("RequestQueue[wire, 2 entries, running]", q.toString());
        q.stop();
        assertEquals("RequestQueue[wire, 2 entries, stopped]", q.toString());
    }
}
