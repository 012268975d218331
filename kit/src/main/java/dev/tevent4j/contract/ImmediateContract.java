package dev.tevent4j.contract;

import dev.tevent4j.FdEvent;
import dev.tevent4j.Immediate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Immediates: FIFO, reusable, and a self-rescheduling one starves nothing. */
public abstract class ImmediateContract extends LoopContract {

    @Test
    void immediatesRunFifoOnTheNextIteration() {
        List<String> got = new ArrayList<>();
        loop.newImmediate(() -> got.add("a")).schedule();
        loop.newImmediate(() -> got.add("b")).schedule();
        assertTrue(loop.runOnce());
        assertEquals(List.of("a", "b"), got);
        assertFalse(loop.runOnce());
    }

    @Test
    void reschedulingMovesToTheTail() {
        List<String> got = new ArrayList<>();
        Immediate a = loop.newImmediate(() -> got.add("a"));
        a.schedule();
        loop.newImmediate(() -> got.add("b")).schedule();
        a.schedule();
        loop.runOnce();
        assertEquals(List.of("b", "a"), got);
    }

    @Test
    void cancelledImmediateDoesNotRun() {
        List<String> got = new ArrayList<>();
        Immediate a = loop.newImmediate(() -> got.add("a"));
        a.schedule();
        assertTrue(a.isScheduled());
        a.cancel();
        assertFalse(a.isScheduled());
        assertFalse(loop.runOnce());
        assertEquals(List.of(), got);
    }

    @Test
    void selfReschedulingImmediateStarvesNeitherFdNorTimer() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        int[] counts = new int[3];
        Immediate[] im = new Immediate[1];
        im[0] = loop.newImmediate(() -> { counts[0]++; im[0].schedule(); });
        im[0].schedule();
        FdEvent fde = loop.addFd(sp[0], FdEvent.READ, (e, f) -> { counts[1]++; Fds.read(sp[0], 1); e.close(); });
        loop.addTimer(Duration.ofMillis(2), (t, now) -> counts[2]++);
        loop.runUntil(() -> counts[1] == 1 && counts[2] == 1);
        im[0].cancel();
        assertTrue(fde.isClosed());
        assertTrue(counts[0] >= 1);
    }

    @Test
    void immediateScheduledByItsOwnActionRunsNextIteration() {
        int[] runs = {0};
        Immediate[] im = new Immediate[1];
        im[0] = loop.newImmediate(() -> { if (++runs[0] < 3) im[0].schedule(); });
        im[0].schedule();
        loop.runOnce();
        assertEquals(1, runs[0]);
        loop.run();
        assertEquals(3, runs[0]);
    }

    @Test
    void immediateScheduledFromATimerRunsOnTheNextIteration() {
        List<String> got = new ArrayList<>();
        Immediate im = loop.newImmediate(() -> got.add("immediate"));
        loop.addTimerAt(System.nanoTime() - 1, (t, now) -> { got.add("timer"); im.schedule(); });
        loop.runOnce();
        assertEquals(List.of("timer"), got);
        assertTrue(im.isScheduled());
        loop.runOnce();
        assertEquals(List.of("timer", "immediate"), got);
    }

    @Test
    void immediateScheduledFromAnFdHandlerRunsOnTheNextIteration() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<String> got = new ArrayList<>();
        Immediate im = loop.newImmediate(() -> got.add("immediate"));
        loop.addFd(sp[0], FdEvent.READ, (e, f) -> { got.add("fd"); e.close(); im.schedule(); });
        loop.runOnce();
        assertEquals(List.of("fd"), got);
        loop.runOnce();
        assertEquals(List.of("fd", "immediate"), got);
        assertFalse(loop.runOnce());
    }

    @Test
    void immediateCancelledByAnEarlierOneOfThePhaseDoesNotRun() {
        List<String> got = new ArrayList<>();
        Immediate b = loop.newImmediate(() -> got.add("b"));
        loop.newImmediate(() -> { got.add("a"); b.cancel(); }).schedule();
        b.schedule();
        loop.runOnce();
        assertEquals(List.of("a"), got);
        assertFalse(b.isScheduled());
    }

    @Test
    void immediateRescheduledByAnEarlierOneOfThePhaseWaitsForTheNextIteration() {
        List<String> got = new ArrayList<>();
        Immediate b = loop.newImmediate(() -> got.add("b"));
        loop.newImmediate(() -> { got.add("a"); b.schedule(); }).schedule();
        b.schedule();
        loop.newImmediate(() -> got.add("c")).schedule();
        loop.runOnce();
        assertEquals(List.of("a", "c"), got);
        loop.runOnce();
        assertEquals(List.of("a", "c", "b"), got);
    }

    @Test
    void cancelledImmediateCanBeScheduledAgain() {
        List<String> got = new ArrayList<>();
        Immediate a = loop.newImmediate(() -> got.add("a"));
        a.schedule();
        a.cancel();
        a.cancel();
        a.schedule();
        loop.runOnce();
        assertEquals(List.of("a"), got);
    }
}
