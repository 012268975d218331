package dev.tevent4j.contract;

import dev.tevent4j.FdEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static dev.tevent4j.FdEvent.ERROR;
import static dev.tevent4j.FdEvent.READ;
import static dev.tevent4j.FdEvent.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dispatch of fd events (tevent-semantics.md sections 2-4): several events on one fd take
 * turns, handlers may close or change any event during the batch, close fns and auto-close.
 */
public abstract class FdDispatchContract extends LoopContract {

    private void boundedRunOnce() {
        var bound = loop.addTimer(Duration.ofMillis(20), (t, now) -> { });
        loop.runOnce();
        bound.cancel();
    }

    @Test
    void roundRobinCallsEachOfNEligibleEventsOnceInAnyNConsecutiveDispatches() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<Integer> order = new ArrayList<>();
        int[] flags = {READ, READ | WRITE, READ | ERROR, READ | WRITE | ERROR};
        for (int i = 0; i < flags.length; i++) {
            int id = i;
            loop.addFd(sp[0], flags[i], (fde, fired) -> order.add(id));
        }
        for (int i = 0; i < 13; i++) loop.runOnce();
        assertEquals(13, order.size(), "one event per fd per iteration");
        for (int start = 0; start + flags.length <= order.size(); start++) {
            var window = new HashSet<>(order.subList(start, start + flags.length));
            assertEquals(flags.length, window.size(), "window at " + start + " of " + order);
        }
    }

    @Test
    void eventWhoseFlagsDoNotMeetWhatFiredIsSkippedWithoutLosingItsTurn() {
        int[] sp = socketpair(); // writable, not readable
        List<String> got = new ArrayList<>();
        loop.addFd(sp[0], READ, (fde, fired) -> got.add("r"));
        loop.addFd(sp[0], WRITE, (fde, fired) -> got.add("w"));
        loop.runOnce();
        loop.runOnce();
        assertEquals(List.of("w", "w"), got);
        Fds.write(sp[1], (byte) 1);
        loop.runOnce();
        assertEquals(List.of("w", "w", "r"), got, "the reader, still first in line, goes next");
    }

    @Test
    void flagsZeroEventNeverTakesATurnFromAnotherEvent() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<String> got = new ArrayList<>();
        loop.addFd(sp[0], 0, (fde, fired) -> got.add("zero"));
        loop.addFd(sp[0], READ, (fde, fired) -> got.add("r"));
        for (int i = 0; i < 3; i++) loop.runOnce();
        assertEquals(List.of("r", "r", "r"), got);
    }

    @Test
    void handlerClearingItsOwnFlagsIsNotCalledAgain() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<Integer> got = new ArrayList<>();
        FdEvent e = loop.addFd(sp[0], READ, (fde, fired) -> { got.add(fired); fde.setFlags(0); });
        loop.runOnce();
        assertFalse(loop.runOnce(), "flags 0 keeps nothing alive");
        assertEquals(List.of(READ), got);
        assertEquals(0, e.flags());
        assertFalse(e.isClosed());
    }

    @Test
    void handlerDroppingItsOwnWriteGetsOnlyReadFromThenOn() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<Integer> got = new ArrayList<>();
        loop.addFd(sp[0], READ | WRITE, (fde, fired) -> { got.add(fired); fde.setFlags(READ); });
        loop.runOnce();
        loop.runOnce();
        assertEquals(List.of(READ | WRITE, READ), got);
    }

    @Test
    void flagsChangedByAnEarlierHandlerOfTheBatchSkipAnEventThatNoLongerMatches() {
        int[] a = socketpair();
        int[] b = socketpair();
        Fds.write(a[1], (byte) 1);
        Fds.write(b[1], (byte) 1);
        List<String> got = new ArrayList<>();
        FdEvent[] e = new FdEvent[2];
        e[0] = loop.addFd(a[0], READ, (fde, fired) -> { got.add("a"); e[1].setFlags(ERROR); });
        e[1] = loop.addFd(b[0], READ, (fde, fired) -> { got.add("b"); e[0].setFlags(ERROR); });
        loop.runOnce();
        assertEquals(1, got.size(), "whichever ran first turned the other into an ERROR waiter: " + got);
    }

    @Test
    void flagsChangedByAnEarlierHandlerOfTheBatchNarrowWhatTheLaterOneReceives() {
        int[] a = socketpair();
        int[] b = socketpair();
        Fds.write(a[1], (byte) 1);
        Fds.write(b[1], (byte) 1);
        List<Integer> got = new ArrayList<>();
        FdEvent[] e = new FdEvent[2];
        e[0] = loop.addFd(a[0], READ | WRITE, (fde, fired) -> { got.add(fired); e[1].setFlags(READ); });
        e[1] = loop.addFd(b[0], READ | WRITE, (fde, fired) -> { got.add(fired); e[0].setFlags(READ); });
        loop.runOnce();
        got.sort(null);
        assertEquals(List.of(READ, READ | WRITE), got, "the second receives fired & its new flags");
    }

    @Test
    void closingItsOwnEventInsideTheHandlerIsSafeAndFinal() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<Integer> got = new ArrayList<>();
        FdEvent e = loop.addFd(sp[0], READ, (fde, fired) -> { got.add(fired); fde.close(); fde.close(); });
        loop.runOnce();
        assertFalse(loop.runOnce(), "nothing left");
        assertEquals(List.of(READ), got);
        assertTrue(e.isClosed());
        assertEquals(List.of(), uncaught);
    }

    @Test
    void closingAnotherEventOfTheSameFdTakesItOutOfTheTurns() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<String> got = new ArrayList<>();
        FdEvent[] other = new FdEvent[1];
        loop.addFd(sp[0], READ, (fde, fired) -> { got.add("first"); other[0].close(); });
        other[0] = loop.addFd(sp[0], READ, (fde, fired) -> got.add("second"));
        for (int i = 0; i < 3; i++) loop.runOnce();
        assertEquals(List.of("first", "first", "first"), got);
    }

    @Test
    void closedEventOfALaterFdInTheBatchIsNotCalledEvenWithItsCloseFnRun() {
        int[] a = socketpair();
        int[] b = socketpair();
        Fds.write(a[1], (byte) 1);
        Fds.write(b[1], (byte) 1);
        List<String> got = new ArrayList<>();
        FdEvent[] e = new FdEvent[2];
        e[0] = loop.addFd(a[0], READ, (fde, fired) -> { got.add("a"); e[1].close(); });
        e[1] = loop.addFd(b[0], READ, (fde, fired) -> { got.add("b"); e[0].close(); });
        e[0].setCloseFn((fde, fd) -> got.add("closefn a"));
        e[1].setCloseFn((fde, fd) -> got.add("closefn b"));
        loop.runOnce();
        assertEquals(2, got.size(), got.toString());
        assertTrue(got.equals(List.of("a", "closefn b")) || got.equals(List.of("b", "closefn a")), got.toString());
    }

    /**
     * The called event moves to the end of its fd's list before its handler runs, so an event
     * that handler adds on the same fd lines up behind it: not called in this batch, then the
     * two alternate.
     */
    @Test
    void eventAddedOnItsOwnFdByAHandlerLinesUpBehindItsCreator() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<String> got = new ArrayList<>();
        loop.addFd(sp[0], READ, (fde, fired) -> {
            got.add("old");
            if (got.size() == 1) loop.addFd(sp[0], READ, (f2, fl2) -> got.add("new"));
        });
        for (int i = 0; i < 4; i++) loop.runOnce();
        assertEquals(List.of("old", "old", "new", "old"), got);
    }

    @Test
    void closeFnIsCalledOnceBeforeAutoCloseWhenClosedInsideTheHandler() {
        int[] sp = socketpair();
        untrack(sp[0]);
        Fds.write(sp[1], (byte) 1);
        List<String> got = new ArrayList<>();
        FdEvent e = loop.addFd(sp[0], READ, (fde, fired) -> { got.add("handler"); fde.close(); });
        e.setAutoClose(true);
        e.setCloseFn((fde, fd) -> got.add("closefn open=" + Fds.isOpen(fd) + " fd=" + (fd == sp[0])));
        loop.runOnce();
        loop.close();
        assertEquals(List.of("handler", "closefn open=true fd=true"), got);
        assertFalse(Fds.isOpen(sp[0]), "auto-close closed it after the close fn");
    }

    @Test
    void autoCloseAloneClosesTheFdAndOffLeavesItOpen() {
        int[] a = socketpair();
        untrack(a[0]);
        FdEvent closing = loop.addFd(a[0], READ, (fde, fired) -> { });
        closing.setAutoClose(true);
        int[] b = socketpair();
        FdEvent keeping = loop.addFd(b[0], READ, (fde, fired) -> { });
        keeping.setAutoClose(true);
        keeping.setAutoClose(false);
        closing.close();
        keeping.close();
        assertFalse(Fds.isOpen(a[0]));
        assertTrue(Fds.isOpen(b[0]));
    }

    @Test
    void throwingCloseFnIsReportedAndAutoCloseStillCloses() {
        int[] sp = socketpair();
        untrack(sp[0]);
        List<Object> reported = new ArrayList<>();
        loop.setUncaughtExceptionHandler((ev, err) -> reported.add(ev));
        FdEvent e = loop.addFd(sp[0], READ, (fde, fired) -> { });
        e.setAutoClose(true);
        e.setCloseFn((fde, fd) -> { throw new IllegalStateException("boom"); });
        e.close();
        assertEquals(List.of(e), reported);
        assertFalse(Fds.isOpen(sp[0]));
    }

    @Test
    void loopCloseRunsTheCloseFnOfEveryEventOnAnFdOnce() {
        int[] sp = socketpair();
        List<String> got = new ArrayList<>();
        loop.addFd(sp[0], READ, (fde, fired) -> { }).setCloseFn((fde, fd) -> got.add("one"));
        loop.addFd(sp[0], WRITE, (fde, fired) -> { }).setCloseFn((fde, fd) -> got.add("two"));
        loop.close();
        loop.close();
        got.sort(null);
        assertEquals(List.of("one", "two"), got);
    }

    @Test
    void setFlagsOnAClosedEventIsRefused() {
        int[] sp = socketpair();
        FdEvent e = loop.addFd(sp[0], READ, (fde, fired) -> { });
        e.close();
        var ex = assertThrows(IllegalStateException.class, () -> e.setFlags(WRITE));
        assertTrue(ex.getMessage().contains("closed"), ex.getMessage());
    }

    @Test
    void flagsZeroEventMayBeArmedLaterAndThenKeepsTheLoopAlive() {
        int[] sp = socketpair();
        FdEvent e = loop.addFd(sp[0], 0, (fde, fired) -> fde.close());
        assertFalse(loop.runOnce());
        e.setFlags(WRITE);
        assertTrue(loop.runOnce());
        assertTrue(e.isClosed());
        boundedRunOnce();
    }
}
