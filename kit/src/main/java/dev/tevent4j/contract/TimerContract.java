package dev.tevent4j.contract;

import dev.tevent4j.TimerEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timers: deadline order, FIFO ties, update, cancel, never early. */
public abstract class TimerContract extends LoopContract {

    @Test
    void timersFireInDeadlineOrderWithFifoTies() {
        long base = System.nanoTime() + 5_000_000;
        List<String> got = new ArrayList<>();
        loop.addTimerAt(base + 2_000_000, (t, now) -> got.add("c"));
        loop.addTimerAt(base, (t, now) -> got.add("a1"));
        loop.addTimerAt(base + 1_000_000, (t, now) -> got.add("b"));
        loop.addTimerAt(base, (t, now) -> got.add("a2"));
        loop.addTimerAt(base, (t, now) -> got.add("a3"));
        loop.run();
        assertEquals(List.of("a1", "a2", "a3", "b", "c"), got);
    }

    @Test
    void timerNeverFiresBeforeItsDeadline() {
        long[] firedAt = new long[1];
        long deadline = System.nanoTime() + 15_000_000;
        loop.addTimerAt(deadline, (t, now) -> firedAt[0] = System.nanoTime());
        loop.run();
        assertTrue(firedAt[0] >= deadline, "fired " + (deadline - firedAt[0]) + " ns early");
    }

    @Test
    void pastDeadlineFiresOnTheNextIteration() {
        List<Long> got = new ArrayList<>();
        loop.addTimerAt(System.nanoTime() - 1_000_000_000L, (t, now) -> got.add(now));
        assertTrue(loop.runOnce());
        assertEquals(1, got.size());
    }

    @Test
    void updateToEarlierAndLaterReordersAndTiesGoLast() {
        long base = System.nanoTime() + 5_000_000;
        List<String> got = new ArrayList<>();
        TimerEvent a = loop.addTimerAt(base, (t, now) -> got.add("a"));
        loop.addTimerAt(base + 1_000_000, (t, now) -> got.add("b"));
        TimerEvent c = loop.addTimerAt(base + 3_000_000, (t, now) -> got.add("c"));
        a.update(base + 2_000_000);
        c.update(base + 1_000_000);
        loop.run();
        assertEquals(List.of("b", "c", "a"), got);
    }

    @Test
    void cancelledTimerNeverFires() {
        List<String> got = new ArrayList<>();
        TimerEvent t = loop.addTimer(Duration.ofMillis(1), (te, now) -> got.add("x"));
        assertTrue(t.isActive());
        t.cancel();
        t.cancel();
        assertFalse(t.isActive());
        assertFalse(loop.runOnce(), "nothing left");
        assertEquals(List.of(), got);
    }

    @Test
    void cancelInsideHandlerStopsATimerDueInTheSamePhase() {
        long at = System.nanoTime();
        List<String> got = new ArrayList<>();
        TimerEvent[] second = new TimerEvent[1];
        loop.addTimerAt(at, (t, now) -> { got.add("first"); second[0].cancel(); });
        second[0] = loop.addTimerAt(at, (t, now) -> got.add("second"));
        loop.run();
        assertEquals(List.of("first"), got);
    }

    @Test
    void handlerMayRearmItsOwnTimer() {
        List<Integer> got = new ArrayList<>();
        loop.addTimer(Duration.ZERO, (t, now) -> {
            got.add(got.size());
            if (got.size() < 3) t.update(now + 1_000_000);
        });
        loop.run();
        assertEquals(List.of(0, 1, 2), got);
    }

    @Test
    void timerAddedByATimerHandlerWaitsForTheNextIteration() {
        List<String> got = new ArrayList<>();
        loop.addTimer(Duration.ZERO, (t, now) -> {
            got.add("outer");
            loop.addTimerAt(now - 1, (t2, now2) -> got.add("inner"));
        });
        loop.runOnce();
        assertEquals(List.of("outer"), got);
        loop.runOnce();
        assertEquals(List.of("outer", "inner"), got);
    }

    @Test
    void detachedBeforeItsHandlerRuns() {
        boolean[] activeInside = {true};
        loop.addTimer(Duration.ZERO, (t, now) -> activeInside[0] = t.isActive());
        loop.run();
        assertFalse(activeInside[0]);
    }

    @Test
    void equalDeadlinesInThePastFireFifoInOneIteration() {
        long past = System.nanoTime() - 1_000_000_000L;
        List<String> got = new ArrayList<>();
        for (String s : List.of("a", "b", "c", "d")) loop.addTimerAt(past, (t, now) -> got.add(s));
        assertTrue(loop.runOnce());
        assertEquals(List.of("a", "b", "c", "d"), got);
        assertFalse(loop.runOnce());
    }

    @Test
    void updateToAnEarlierPastDeadlineMovesATimerAheadOfTheOthers() {
        long past = System.nanoTime() - 1_000_000_000L;
        List<String> got = new ArrayList<>();
        loop.addTimerAt(past + 10, (t, now) -> got.add("a"));
        TimerEvent b = loop.addTimerAt(System.nanoTime() + 3_600_000_000_000L, (t, now) -> got.add("b"));
        b.update(past);
        assertEquals(past, b.deadlineNanos());
        loop.runOnce();
        assertEquals(List.of("b", "a"), got);
    }

    @Test
    void updateToALaterDeadlineKeepsItFromFiringNow() {
        long past = System.nanoTime() - 1_000_000_000L;
        List<String> got = new ArrayList<>();
        TimerEvent a = loop.addTimerAt(past, (t, now) -> got.add("a"));
        loop.addTimerAt(past, (t, now) -> got.add("b"));
        a.update(System.nanoTime() + 3_600_000_000_000L);
        loop.runOnce();
        assertEquals(List.of("b"), got);
        assertTrue(a.isActive());
        a.cancel();
    }

    @Test
    void dueTimerUpdatedByAnEarlierHandlerOfThePhaseWaitsForTheNextIteration() {
        long past = System.nanoTime() - 1_000_000_000L;
        List<String> got = new ArrayList<>();
        TimerEvent[] second = new TimerEvent[1];
        loop.addTimerAt(past, (t, now) -> { got.add("first"); second[0].update(past); });
        second[0] = loop.addTimerAt(past, (t, now) -> got.add("second"));
        loop.runOnce();
        assertEquals(List.of("first"), got);
        loop.runOnce();
        assertEquals(List.of("first", "second"), got);
    }

    @Test
    void cancelledTimerCanBeArmedAgainWithUpdate() {
        List<String> got = new ArrayList<>();
        TimerEvent t = loop.addTimerAt(System.nanoTime() - 1, (te, now) -> got.add("x"));
        t.cancel();
        t.update(System.nanoTime() - 1);
        assertTrue(t.isActive());
        loop.run();
        assertEquals(List.of("x"), got);
    }

    @Test
    void throwingTimerHandlerIsReportedAndLaterTimersStillFire() {
        long past = System.nanoTime() - 1;
        List<Object> reported = new ArrayList<>();
        loop.setUncaughtExceptionHandler((ev, err) -> reported.add(ev));
        List<String> got = new ArrayList<>();
        TimerEvent bad = loop.addTimerAt(past, (t, now) -> { throw new IllegalStateException("boom"); });
        loop.addTimerAt(past, (t, now) -> got.add("after"));
        loop.runOnce();
        assertEquals(List.of(bad), reported);
        assertEquals(List.of("after"), got);
    }
}
