package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.TracePoint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opening, running and closing loops: liveness, return values, no leaks. */
public abstract class LifecycleContract extends LoopContract {

    @Test
    void openedLoopReportsItsBackend() {
        assertEquals(backend(), loop.backendName());
        assertTrue(EventLoop.backends().contains(backend()));
    }

    @Test
    void runOnceReturnsFalseWithoutBlockingWhenNothingIsRegistered() {
        long t0 = System.nanoTime();
        assertFalse(loop.runOnce());
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
    }

    @Test
    void runReturnsWhenTheLastEventIsGone() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<String> got = new ArrayList<>();
        loop.addFd(sp[0], FdEvent.READ, (e, f) -> { got.add("fd"); e.close(); });
        loop.addTimer(Duration.ofMillis(200), (t, now) -> got.add("timer"));
        loop.run();
        assertEquals(List.of("fd", "timer"), got);
    }

    @Test
    void runReturnsWhenAHandlerClosesTheLoop() {
        loop.addTimer(Duration.ofSeconds(60), (t, now) -> { });
        loop.addTimer(Duration.ZERO, (t, now) -> loop.close());
        loop.run();
        assertThrows(IllegalStateException.class, loop::runOnce, "a closed loop refuses to run");
    }

    @Test
    void aTimerHandlerClosingTheLoopWhileMoreTimersAreDueEndsRunQuietly() {
        long at = System.nanoTime() - 1;
        List<String> got = new ArrayList<>();
        loop.addTimerAt(at, (t, now) -> { got.add("first"); loop.close(); });
        loop.addTimerAt(at, (t, now) -> got.add("second"));
        loop.run();
        assertEquals(List.of("first"), got);
    }

    @Test
    void anAsyncIoCallbackClosingTheLoopIsSafe() {
        int[] sp = Fds.blockingSocketpair();
        track(sp);
        List<String> got = new ArrayList<>();
        // A recv that only the close's cancel ends, and a nop whose callback closes the loop.
        loop.io().recv(sp[0], java.lang.foreign.Arena.ofAuto().allocate(8), 0)
                .onComplete(r -> got.add("recv error=" + r.isError()));
        loop.io().nop().onComplete(r -> { got.add("nop"); loop.close(); });
        loop.run();
        assertEquals(List.of("nop", "recv error=true"), got);
        assertThrows(IllegalStateException.class, loop::runOnce);
    }

    @Test
    void setFlagsOnAnFdClosedWhileItsEventHadFlagsZeroDisarmsInsteadOfHanging() {
        int[] sp = Fds.socketpair();
        FdEvent idle = loop.addFd(sp[0], 0, (e, f) -> { });
        int[] other = socketpair();
        Fds.write(other[1], (byte) 1);
        List<String> got = new ArrayList<>();
        loop.addFd(other[0], FdEvent.READ, (e, f) -> { got.add("other"); e.close(); });
        Fds.close(sp[0]);
        Fds.close(sp[1]);
        idle.setFlags(FdEvent.READ);
        loop.run(); // returns: the disarmed event keeps nothing alive, the live one is served
        assertEquals(List.of("other"), got);
        idle.close();
    }

    @Test
    void disarmingOneFdKeepsTheOtherEventsAlive() throws Exception {
        int[] a = socketpair();
        int[] b = Fds.socketpair();
        List<String> got = new ArrayList<>();
        loop.addFd(a[0], FdEvent.READ, (e, f) -> { got.add("a"); Fds.read(a[0], 8); e.close(); });
        FdEvent onB = loop.addFd(b[0], FdEvent.READ, (e, f) -> got.add("b"));
        Fds.close(b[0]);
        Fds.close(b[1]);
        onB.setFlags(FdEvent.READ | FdEvent.WRITE); // EBADF: b's events are disarmed
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
            }
            Fds.write(a[1], (byte) 1);
        });
        writer.start();
        loop.run();
        writer.join();
        assertEquals(List.of("a"), got, "run() kept going for a's event");
        onB.close();
    }

    /** A socketpair whose first fd has the number {@code fd} (just freed: the kernel reuses the lowest). */
    private int[] socketpairAt(int fd) {
        int[] sp = socketpair();
        org.junit.jupiter.api.Assumptions.assumeTrue(sp[0] == fd, "the kernel gave fd " + sp[0] + ", not the freed " + fd);
        return sp;
    }

    @Test
    void anEventAddedOnAReusedFdNumberIsServedAndTheStaleEventIsNeverCalled() {
        int[] old = Fds.socketpair();
        List<String> got = new ArrayList<>();
        FdEvent stale = loop.addFd(old[0], FdEvent.READ, (e, f) -> got.add("stale"));
        Fds.close(old[0]); // behind the loop's back
        Fds.close(old[1]);
        int[] fresh = socketpairAt(old[0]);
        Fds.write(fresh[1], (byte) 1);
        FdEvent served = loop.addFd(fresh[0], FdEvent.READ, (e, f) -> { got.add("fresh"); Fds.read(fresh[0], 8); e.close(); });
        runUntilOrFail(served::isClosed);
        assertEquals(List.of("fresh"), got);
        stale.close();
        assertTrue(Fds.isOpen(fresh[0]));
    }

    @Test
    void anEventWithTheSameFlagsOnAReusedNumberIsServedToo() {
        // The merged interest does not change, so only the revalidation finds the stale registration.
        int[] old = Fds.socketpair();
        List<String> got = new ArrayList<>();
        FdEvent stale = loop.addFd(old[0], FdEvent.READ | FdEvent.WRITE, (e, f) -> got.add("stale"));
        stale.setFlags(FdEvent.READ);
        Fds.close(old[0]);
        Fds.close(old[1]);
        int[] fresh = socketpairAt(old[0]);
        FdEvent served = loop.addFd(fresh[0], FdEvent.READ, (e, f) -> { got.add("fresh"); Fds.read(fresh[0], 8); e.close(); });
        loop.addTimer(java.time.Duration.ofMillis(20), (t, now) -> Fds.write(fresh[1], (byte) 1));
        runUntilOrFail(served::isClosed);
        assertEquals(List.of("fresh"), got);
        stale.close();
    }

    @Test
    void closingAStaleAutoCloseEventDoesNotCloseTheFileThatReusedItsNumber() {
        int[] old = Fds.socketpair();
        FdEvent stale = loop.addFd(old[0], FdEvent.READ, (e, f) -> { });
        stale.setAutoClose(true);
        Fds.close(old[0]);
        Fds.close(old[1]);
        int[] fresh = socketpairAt(old[0]);
        FdEvent served = loop.addFd(fresh[0], FdEvent.READ, (e, f) -> { });
        stale.close();
        assertTrue(Fds.isOpen(fresh[0]), "the new file keeps its fd");
        served.close();
    }

    @Test
    void thousandOpenCloseCyclesLeakNoFd() {
        loop.close();
        int before = Fds.openFdCount();
        for (int i = 0; i < 1000; i++) {
            EventLoop l = EventLoop.open(backend());
            int[] sp = Fds.socketpair();
            FdEvent e = l.addFd(sp[0], FdEvent.READ, (fde, f) -> { });
            e.setAutoClose(true);
            l.addTimer(Duration.ofSeconds(1), (t, now) -> { });
            l.close();
            Fds.close(sp[1]);
        }
        assertEquals(before, Fds.openFdCount(), "fds open before and after 1,000 loops");
        loop = EventLoop.open(backend());
    }

    @Test
    void closeRunsCloseFnsAndAutoClosesAndIsIdempotent() {
        int[] sp = Fds.socketpair();
        track(new int[] {sp[1]});
        List<Integer> closed = new ArrayList<>();
        FdEvent e = loop.addFd(sp[0], FdEvent.READ, (fde, f) -> { });
        e.setAutoClose(true);
        e.setCloseFn((fde, fd) -> closed.add(fd));
        loop.close();
        loop.close();
        assertEquals(List.of(sp[0]), closed);
        assertTrue(e.isClosed());
        assertFalse(Fds.isOpen(sp[0]));
        e.close(); // no-op on a closed loop
    }

    @Test
    void tracePointsComeInIterationOrder() {
        List<TracePoint> got = new ArrayList<>();
        loop.setTraceCallback(got::add);
        loop.newImmediate(() -> { }).schedule();
        loop.runOnce();
        assertEquals(List.of(TracePoint.BEFORE_LOOP_ONCE, TracePoint.BEFORE_WAIT, TracePoint.AFTER_WAIT,
                TracePoint.AFTER_LOOP_ONCE), got);
        loop.setTraceCallback(null);
        loop.newImmediate(() -> { }).schedule();
        loop.runOnce();
        assertEquals(4, got.size());
    }

    @Test
    void iterationOrderIsThreadedThenImmediatesThenTimersThenFds() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<String> got = new ArrayList<>();
        loop.addFd(sp[0], FdEvent.READ, (e, f) -> { got.add("fd"); e.close(); });
        loop.addTimerAt(System.nanoTime() - 1, (t, now) -> got.add("timer"));
        loop.newImmediate(() -> got.add("immediate")).schedule();
        loop.executor().execute(() -> got.add("threaded"));
        loop.runOnce();
        assertEquals(List.of("threaded", "immediate", "timer", "fd"), got);
    }

    @Test
    void runOnceReturnsTrueWhileAnEventIsRegisteredAndFalseOnceAllAreGone() {
        List<String> got = new ArrayList<>();
        loop.addTimerAt(System.nanoTime() - 1, (t, now) -> got.add("timer"));
        assertTrue(loop.runOnce());
        assertFalse(loop.runOnce());
        var im = loop.newImmediate(() -> got.add("immediate"));
        assertFalse(loop.runOnce(), "an unscheduled immediate is no event");
        im.schedule();
        assertTrue(loop.runOnce());
        assertFalse(loop.runOnce());
        assertEquals(List.of("timer", "immediate"), got);
    }

    @Test
    void runReturnsWhenOnlyFlagsZeroEventsRemain() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<String> got = new ArrayList<>();
        FdEvent idle = loop.addFd(sp[0], 0, (e, f) -> got.add("idle"));
        loop.addFd(sp[0], FdEvent.READ, (e, f) -> { got.add("reader"); e.close(); });
        loop.run();
        assertEquals(List.of("reader"), got);
        assertFalse(idle.isClosed());
    }

    @Test
    void runKeepsGoingWhileAnImmediateReschedulesItselfAndStopsWhenItStops() {
        int[] n = {0};
        var im = new dev.tevent4j.Immediate[1];
        im[0] = loop.newImmediate(() -> { if (++n[0] < 5) im[0].schedule(); });
        im[0].schedule();
        loop.run();
        assertEquals(5, n[0]);
    }
}
