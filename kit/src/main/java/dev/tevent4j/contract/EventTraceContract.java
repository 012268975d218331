package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.EventTracePoint;
import dev.tevent4j.FdEvent;
import dev.tevent4j.FdTraceCallback;
import dev.tevent4j.Immediate;
import dev.tevent4j.QueueEntry;
import dev.tevent4j.QueueTracePoint;
import dev.tevent4j.Request;
import dev.tevent4j.RequestQueue;
import dev.tevent4j.SignalEvent;
import dev.tevent4j.TimerEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.tevent4j.EventTracePoint.ATTACH;
import static dev.tevent4j.EventTracePoint.BEFORE_HANDLER;
import static dev.tevent4j.EventTracePoint.DETACH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Per-event trace callbacks (tevent_set_trace_fd_callback and the others): the exact order of
 * ATTACH, BEFORE_HANDLER and DETACH around each kind's handler, the queue's ATTACH, TRIGGER and
 * DETACH, the getters that let callbacks chain, and a throwing callback that cannot stop the loop.
 */
public abstract class EventTraceContract extends LoopContract {

    @Test
    void fdEventIsAttachedCalledAndDetachedInThatOrder() {
        int[] sp = socketpair();
        List<String> got = new ArrayList<>();
        loop.setFdTrace((e, p) -> got.add(p + " fd " + e.fd()));
        FdEvent fde = loop.addFd(sp[0], FdEvent.READ, (e, f) -> { got.add("handler"); Fds.read(sp[0], 1); e.close(); });
        assertEquals(List.of("ATTACH fd " + sp[0]), got);
        Fds.write(sp[1], (byte) 1);
        loop.run();
        assertEquals(List.of("ATTACH fd " + sp[0], "BEFORE_HANDLER fd " + sp[0], "handler", "DETACH fd " + sp[0]), got);
        assertEquals(true, fde.isClosed());
        assertEquals(List.of(), uncaught);
    }

    @Test
    void fdEventsStillOpenAreDetachedWhenTheLoopCloses() {
        int[] sp = socketpair();
        List<EventTracePoint> got = new ArrayList<>();
        EventLoop other = EventLoop.open(backend());
        try {
            other.setFdTrace((e, p) -> got.add(p));
            other.addFd(sp[0], FdEvent.READ, (e, f) -> { });
        } finally {
            other.close();
        }
        assertEquals(List.of(ATTACH, DETACH), got);
    }

    @Test
    void timerIsDetachedAfterItsHandlerReturns() {
        List<String> got = new ArrayList<>();
        loop.setTimerTrace((t, p) -> got.add(p.name()));
        loop.addTimer(Duration.ZERO, (t, now) -> got.add("handler"));
        loop.run();
        assertEquals(List.of("ATTACH", "BEFORE_HANDLER", "handler", "DETACH"), got);
    }

    @Test
    void timerReArmedByItsHandlerIsDetachedAndAttachedAgainAndDetachedAfterTheLastFiring() {
        List<String> got = new ArrayList<>();
        int[] fired = {0};
        loop.setTimerTrace((t, p) -> got.add(p.name()));
        loop.addTimer(Duration.ZERO, (t, now) -> {
            got.add("handler");
            if (++fired[0] == 1) t.update(now);
        });
        loop.run();
        assertEquals(List.of("ATTACH", "BEFORE_HANDLER", "handler", "DETACH", "ATTACH",
                "BEFORE_HANDLER", "handler", "DETACH"), got);
    }

    @Test
    void cancelAndUpdateOfAnArmedTimerDetachIt() {
        List<String> got = new ArrayList<>();
        loop.setTimerTrace((t, p) -> got.add(p.name()));
        TimerEvent te = loop.addTimer(Duration.ofHours(1), (t, now) -> got.add("handler"));
        te.update(System.nanoTime() + Duration.ofHours(2).toNanos());
        te.cancel();
        te.cancel(); // idempotent: nothing more to report
        assertEquals(List.of("ATTACH", "DETACH", "ATTACH", "DETACH"), got);
    }

    @Test
    void armedTimersAndScheduledImmediatesAreDetachedWhenTheLoopCloses() {
        List<String> got = new ArrayList<>();
        EventLoop other = EventLoop.open(backend());
        try {
            other.setTimerTrace((t, p) -> got.add("timer " + p));
            other.setImmediateTrace((im, p) -> got.add("immediate " + p));
            other.addTimer(Duration.ofHours(1), (t, now) -> { });
            other.newImmediate(() -> { }).schedule();
        } finally {
            other.close();
        }
        assertEquals(List.of("timer ATTACH", "immediate ATTACH", "timer DETACH", "immediate DETACH"), got);
    }

    @Test
    void immediateIsAttachedWhenScheduledAndDetachedAfterItsAction() {
        List<String> got = new ArrayList<>();
        loop.setImmediateTrace((im, p) -> got.add(p.name()));
        Immediate im = loop.newImmediate(() -> got.add("action"));
        assertEquals(List.of(), got, "created is not attached: scheduling attaches");
        im.schedule();
        im.schedule(); // moves it to the tail: detached and attached again
        loop.runOnce();
        im.schedule();
        im.cancel();
        assertEquals(List.of("ATTACH", "DETACH", "ATTACH", "BEFORE_HANDLER", "action", "DETACH", "ATTACH", "DETACH"), got);
    }

    @Test
    void immediateThatSchedulesItselfStaysAttachedUntilItsLastRun() {
        List<String> got = new ArrayList<>();
        int[] runs = {0};
        loop.setImmediateTrace((im, p) -> got.add(p.name()));
        Immediate[] self = new Immediate[1];
        self[0] = loop.newImmediate(() -> { got.add("action"); if (++runs[0] < 2) self[0].schedule(); });
        self[0].schedule();
        loop.run();
        assertEquals(List.of("ATTACH", "BEFORE_HANDLER", "action", "DETACH", "ATTACH", "BEFORE_HANDLER", "action", "DETACH"), got);
    }

    @Test
    void signalEventIsAttachedCalledAndDetached() {
        List<String> got = new ArrayList<>();
        loop.setSignalTrace((se, p) -> got.add(p + " " + se.signum()));
        int winch = Signals.number("WINCH");
        SignalEvent se = loop.addSignal("WINCH", (e, s, c) -> got.add("handler"));
        try (Signals.Observer observer = new Signals.Observer(backend(), "WINCH")) {
            Signals.raise("WINCH");
            observer.awaitHeard(1);
        }
        loop.runOnce();
        se.close();
        assertEquals(List.of("ATTACH " + winch, "BEFORE_HANDLER " + winch, "handler", "DETACH " + winch), got);
    }

    @Test
    void queueEntriesAreAttachedTriggeredAndDetachedWithTheQueueLengthVisible() {
        RequestQueue q = new RequestQueue(loop, "q");
        List<String> got = new ArrayList<>();
        loop.setQueueTrace((e, p) -> got.add(p + " " + e.request().name() + " len " + e.queue().length()
                + (e.queue().isRunning() ? "" : " stopped")));
        Request<Void> a = Request.create(loop, "a");
        Request<Void> b = Request.create(loop, "b");
        q.add(a, r -> { got.add("trigger a"); a.done(null); });
        q.add(b, r -> { got.add("trigger b"); b.done(null); });
        loop.runUntil(() -> !b.isInProgress());
        assertEquals(List.of("ATTACH a len 1", "ATTACH b len 2", "TRIGGER a len 2", "trigger a", "DETACH a len 1",
                "TRIGGER b len 1", "trigger b", "DETACH b len 0"), got);
    }

    @Test
    void removedEntryIsDetachedWithoutATrigger() {
        RequestQueue q = new RequestQueue(loop, "q");
        List<QueueTracePoint> got = new ArrayList<>();
        loop.setQueueTrace((e, p) -> got.add(p));
        q.stop();
        QueueEntry e = q.addEntry(Request.create(loop, "a"), r -> { throw new AssertionError("removed entries never trigger"); });
        e.remove();
        e.remove();
        assertEquals(List.of(QueueTracePoint.ATTACH, QueueTracePoint.DETACH), got);
    }

    @Test
    void gettersReturnTheCallbacksSoThatASecondOneCanChainToTheFirst() {
        assertNull(loop.fdTrace());
        assertNull(loop.timerTrace());
        assertNull(loop.immediateTrace());
        assertNull(loop.signalTrace());
        assertNull(loop.queueTrace());
        assertNull(loop.traceCallback());
        List<String> got = new ArrayList<>();
        FdTraceCallback first = (e, p) -> got.add("first " + p);
        loop.setFdTrace(first);
        assertSame(first, loop.fdTrace());
        FdTraceCallback previous = loop.fdTrace();
        loop.setFdTrace((e, p) -> { got.add("second " + p); previous.onTrace(e, p); });
        int[] sp = socketpair();
        loop.addFd(sp[0], FdEvent.READ, (e, f) -> { }).close();
        assertEquals(List.of("second ATTACH", "first ATTACH", "second DETACH", "first DETACH"), got);
        loop.setFdTrace(null);
        assertNull(loop.fdTrace());
        loop.setTraceCallback(p -> { });
        loop.setTimerTrace((t, p) -> { });
        loop.setImmediateTrace((t, p) -> { });
        loop.setSignalTrace((t, p) -> { });
        loop.setQueueTrace((t, p) -> { });
        for (Object o : new Object[] {loop.traceCallback(), loop.timerTrace(), loop.immediateTrace(), loop.signalTrace(), loop.queueTrace()}) {
            assertEquals(true, o != null);
        }
    }

    @Test
    void aThrowingEventTraceCallbackIsReportedAndTheHandlerStillRuns() {
        int[] ran = {0};
        loop.setTimerTrace((t, p) -> { throw new IllegalStateException("trace bug " + p); });
        loop.addTimer(Duration.ZERO, (t, now) -> ran[0]++);
        loop.run();
        assertEquals(1, ran[0]);
        assertEquals(3, uncaught.size(), uncaught.toString());
        assertEquals("trace bug ATTACH", uncaught.getFirst().getMessage());
    }

    @Test
    void setTraceOnAClosedLoopIsRefused() {
        EventLoop other = EventLoop.open(backend());
        other.close();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> other.setFdTrace((e, p) -> { }));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> other.setQueueTrace((e, p) -> { }));
    }
}
