package dev.tevent4j.uring;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.contract.Fds;
import dev.tevent4j.epoll.EpollPoller;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.Poller;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The io_uring hazards of docs/backends.md ("uring"), one test each, on real fds and rings:
 * a pending poll pins the file; POLL_REMOVE is asynchronous; poll reports ERROR/RDHUP differently
 * from epoll; multishot is edge-like (and oneshot re-arming is level-triggered).
 */
class UringHazardTest {
    @BeforeAll
    static void needsIoUring() {
        String why = new UringBackendProvider().unusableReason();
        if (why != null) {
            System.err.println("SKIPPED: the uring backend is unusable here: " + why);
            Assumptions.abort("the uring backend is unusable here: " + why);
        }
    }

    /** poll(2) on one fd: its revents, 0 on timeout. */
    static int revents(int fd, int events, int timeoutMillis) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(Libc.POLLFD);
            p.set(ValueLayout.JAVA_INT, 0, fd);
            p.set(ValueLayout.JAVA_SHORT, 4, (short) events);
            int n = Libc.poll(p, 1, timeoutMillis);
            return n <= 0 ? 0 : Short.toUnsignedInt(p.get(ValueLayout.JAVA_SHORT, 6));
        }
    }

    /** Everything reported for {@code fd} over a few polls (each up to {@code millis}), OR'ed. */
    static int reportsFor(Poller p, int fd, int polls, long millis) {
        int seen = 0;
        for (int k = 0; k < polls; k++) {
            int n = p.poll(millis * 1_000_000L);
            for (int i = 0; i < n; i++) {
                if (p.readyFd(i) == fd) seen |= p.readyEvents(i);
            }
        }
        return seen;
    }

    // ------------------------------------------------------------------ the file pin

    @Test
    void autoCloseCancelsThePollFirstSoThePeerSeesEof() {
        int[] sp = Fds.socketpair();
        try (EventLoop loop = EventLoop.open("uring")) {
            FdEvent e = loop.addFd(sp[0], FdEvent.READ, (f, x) -> { });
            // One iteration with a wait: the POLL_ADD is now in the kernel, pinning the file.
            loop.addTimer(Duration.ofMillis(2), (t, n) -> { });
            loop.runOnce();
            e.setAutoClose(true);
            e.close();
            assertFalse(Fds.isOpen(sp[0]), "auto-close closed the fd");
            // Without the removal first, the peer would wait forever (docs/backends.md, uring hazard 1).
            int rev = revents(sp[1], Libc.POLLIN, 1000);
            assertTrue((rev & (Libc.POLLHUP | Libc.POLLIN)) != 0, "peer saw no hangup within 1 s: revents " + rev);
            assertEquals(0L, Fds.readResult(sp[1], 16), "peer reads EOF");
        } finally {
            Fds.close(sp[1]);
        }
    }

    @Test
    void flagsZeroAlsoUnpinsTheFile() {
        // setFlags(0) removes the registration: a user close() after it really closes.
        int[] sp = Fds.socketpair();
        try (EventLoop loop = EventLoop.open("uring")) {
            FdEvent e = loop.addFd(sp[0], FdEvent.READ | FdEvent.WRITE, (f, x) -> { });
            loop.addTimer(Duration.ofMillis(2), (t, n) -> { });
            loop.runOnce();
            e.setFlags(0);
            Fds.close(sp[0]);
            int rev = revents(sp[1], Libc.POLLIN, 1000);
            assertTrue((rev & (Libc.POLLHUP | Libc.POLLIN)) != 0, "peer saw no hangup within 1 s: revents " + rev);
            e.close();
        } finally {
            Fds.close(sp[1]);
        }
    }

    @Test
    void theKernelFactTheBackendWorksAround() {
        // Documents docs/backends.md, uring hazard 1 on this kernel: a POLL_ADD in flight keeps a closed fd's file
        // alive. Printed, not asserted: a kernel that stops pinning is no failure of ours.
        int[] sp = Fds.socketpair();
        UringPoller p = new UringPoller();
        try {
            p.setInterest(sp[0], 0, FdEvent.READ);
            p.poll(0);
            assertTrue(p.pollInFlight(sp[0]));
            Fds.close(sp[0]);
            int rev = revents(sp[1], Libc.POLLIN, 100);
            System.out.println("uring hazard: peer revents 100 ms after close() with a poll in flight: " + rev
                    + ((rev & Libc.POLLHUP) == 0 ? " (no POLLHUP: the pending poll pins the file)" : ""));
        } finally {
            p.close(); // the ring's teardown cancels the poll and releases the file
        }
        int rev = revents(sp[1], Libc.POLLIN, 1000);
        assertTrue((rev & Libc.POLLHUP) != 0, "peer sees the hangup once the poll is gone: " + rev);
        Fds.close(sp[1]);
    }

    // ------------------------------------------------------------------ asynchronous removal

    @Test
    void aReplacedPollsLateCompletionIsNeverReported() {
        int[] sp = Fds.socketpair();
        UringPoller p = new UringPoller();
        try {
            p.setInterest(sp[0], 0, FdEvent.READ);
            assertEquals(0, p.poll(0));
            assertTrue(p.pollInFlight(sp[0]));
            // The READ poll fires in the kernel now; its completion waits in the ring (deferred
            // task work) while the loop replaces the poll with a WRITE-only one.
            Fds.write(sp[1], (byte) 1);
            assertEquals(0, p.setInterest(sp[0], FdEvent.READ, FdEvent.WRITE));
            int seen = reportsFor(p, sp[0], 5, 10);
            assertEquals(Poller.OUT, seen, "only the new poll's readiness, never the old READ one");
        } finally {
            p.close();
            Fds.close(sp[0]);
            Fds.close(sp[1]);
        }
    }

    @Test
    void aRemovedPollsCompletionIsNeverReported() {
        int[] sp = Fds.socketpair();
        UringPoller p = new UringPoller();
        try {
            p.setInterest(sp[0], 0, FdEvent.READ);
            assertEquals(0, p.poll(0));
            Fds.write(sp[1], (byte) 1);
            assertEquals(0, p.setInterest(sp[0], FdEvent.READ, 0));
            assertFalse(p.pollInFlight(sp[0]));
            assertEquals(0, reportsFor(p, sp[0], 3, 10));
        } finally {
            p.close();
            Fds.close(sp[0]);
            Fds.close(sp[1]);
        }
    }

    // ------------------------------------------------------------------ ERROR / RDHUP vs epoll

    @Test
    void errorAndRdhupAreReportedExactlyAsEpollReportsThem() {
        for (String peer : new String[] {"close", "shutdown(SHUT_WR)", "data"}) {
            for (int interest = 1; interest <= 7; interest++) {
                int[] sp = Fds.socketpair();
                UringPoller u = new UringPoller();
                EpollPoller e = new EpollPoller();
                try {
                    u.setInterest(sp[0], 0, interest);
                    e.setInterest(sp[0], 0, interest);
                    switch (peer) {
                        case "close" -> Fds.close(sp[1]);
                        case "shutdown(SHUT_WR)" -> Fds.shutdown(sp[1], Libc.SHUT_WR);
                        default -> Fds.write(sp[1], (byte) 1);
                    }
                    int fromUring = reportsFor(u, sp[0], 1, 100);
                    int fromEpoll = reportsFor(e, sp[0], 1, 100);
                    assertEquals(fromEpoll, fromUring, "interest " + interest + ", peer " + peer);
                } finally {
                    u.close();
                    e.close();
                    Fds.close(sp[0]);
                    if (!peer.equals("close")) Fds.close(sp[1]);
                }
            }
        }
    }

    @Test
    void aWriteOnlyFdWokenOnlyByRdhupDoesNotSpin() {
        // io_uring adds RDHUP to every poll; a write-only fd whose peer shut down while the send
        // buffer is full completes with nothing asked. Re-armed oneshot it would complete again
        // at once, forever: the backend re-arms it multishot (quiet) instead.
        int[] sp = Fds.socketpair();
        UringPoller p = new UringPoller();
        try {
            Fds.fill(sp[0]);
            Fds.shutdown(sp[1], Libc.SHUT_WR);
            p.setInterest(sp[0], 0, FdEvent.WRITE);
            long t0 = System.nanoTime();
            int seen = reportsFor(p, sp[0], 10, 20);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, seen, "nothing asked is ready");
            // Two waits end early (the oneshot's completion, then the multishot's first one), the
            // rest wait their 20 ms: a busy loop would take ~0 ms.
            assertTrue(ms >= 150, "the waits really waited (no busy loop): " + ms + " ms for 10 waits of 20 ms");
            Fds.drain(sp[1]);
            assertEquals(Poller.OUT, reportsFor(p, sp[0], 1, 1000), "writable again: reported as epoll would");
            assertEquals(Poller.OUT, reportsFor(p, sp[0], 1, 1000), "and level-triggered again");
        } finally {
            p.close();
            Fds.close(sp[0]);
            Fds.close(sp[1]);
        }
    }

    // ------------------------------------------------------------------ level semantics

    @Test
    void readinessIsLevelTriggered() {
        int[] sp = Fds.socketpair();
        UringPoller p = new UringPoller();
        try {
            p.setInterest(sp[0], 0, FdEvent.READ);
            Fds.write(sp[1], (byte) 1);
            for (int k = 0; k < 5; k++) {
                assertEquals(Poller.IN, reportsFor(p, sp[0], 1, 1000), "unread byte reported again, poll " + k);
            }
            Fds.read(sp[0], 16);
            assertEquals(0, reportsFor(p, sp[0], 2, 10), "nothing once read");
        } finally {
            p.close();
            Fds.close(sp[0]);
            Fds.close(sp[1]);
        }
    }

    @Test
    void onePollIsOneEnter() {
        int[] sp = Fds.socketpair();
        UringPoller p = new UringPoller();
        try {
            p.setInterest(sp[0], 0, FdEvent.READ);
            Fds.write(sp[1], (byte) 1);
            p.poll(-1);
            long before = p.enterCount();
            for (int k = 0; k < 100; k++) {
                assertEquals(1, p.poll(-1)); // re-arm submitted and completion awaited in one enter
            }
            assertEquals(100, p.enterCount() - before);
        } finally {
            p.close();
            Fds.close(sp[0]);
            Fds.close(sp[1]);
        }
    }

    // ------------------------------------------------------------------ AsyncIo during a removal

    @Test
    void asyncIoCompletionsReapedDuringARemovalAreDeliveredLaterNotInside() {
        int[] sp = Fds.socketpair();
        try (EventLoop loop = EventLoop.open("uring")) {
            FdEvent e = loop.addFd(sp[0], FdEvent.READ, (f, x) -> { });
            loop.addTimer(Duration.ofMillis(2), (t, n) -> { });
            loop.runOnce(); // the poll is in flight
            boolean[] closing = {false};
            boolean[] calledWhileClosing = {false};
            var nop = loop.io().nop(); // queued: submitted by the removal's enter
            nop.onComplete(r -> calledWhileClosing[0] = closing[0]);
            closing[0] = true;
            e.setAutoClose(true);
            e.close(); // reaps the NOP's completion while waiting for the poll's
            closing[0] = false;
            assertTrue(nop.isInProgress(), "kept back, not completed inside close()");
            loop.runUntil(() -> !nop.isInProgress());
            assertFalse(calledWhileClosing[0]);
            assertEquals(0, nop.result());
        } finally {
            Fds.close(sp[1]);
        }
    }

    @Test
    void loopCloseDeliversCompletionsKeptBackByARemoval() {
        int[] sp = Fds.socketpair();
        EventLoop loop = EventLoop.open("uring");
        FdEvent e = loop.addFd(sp[0], FdEvent.READ, (f, x) -> { });
        loop.addTimer(Duration.ofMillis(2), (t, n) -> { });
        loop.runOnce();
        var nop = loop.io().nop();
        e.close();
        long t0 = System.nanoTime();
        loop.close(); // must not wait for a completion already taken off the ring
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "close did not hang");
        assertFalse(nop.isInProgress());
        Fds.close(sp[0]);
        Fds.close(sp[1]);
    }

    // ------------------------------------------------------------------ wake-time masks

    @Test
    void aMaskTakenBeforeTheWaitIsCheckedAgain() {
        // The kernel stashes a poll's mask when the poll is woken; with DEFER_TASKRUN the
        // completion is posted by the next enter. Readiness consumed in between (here: the test
        // drains the fd; in a loop: any handler) must not be reported: epoll re-polls at
        // epoll_wait's return. Found by the differential properties (uring reported R after a drain).
        int[] sp = Fds.socketpair();
        UringPoller p = new UringPoller();
        System.setProperty(UringPoller.VALIDATE_PROPERTY, "false");
        UringPoller trusting;
        try {
            trusting = new UringPoller();
        } finally {
            System.clearProperty(UringPoller.VALIDATE_PROPERTY);
        }
        try {
            p.setInterest(sp[0], 0, FdEvent.READ);
            trusting.setInterest(sp[0], 0, FdEvent.READ);
            assertEquals(0, p.poll(0));
            assertEquals(0, trusting.poll(0));
            Fds.write(sp[1], (byte) 1); // both polls woken now, mask POLLIN stashed
            Fds.drain(sp[0]);           // readiness gone before the next wait
            int trusted = reportsFor(trusting, sp[0], 1, 10);
            System.out.println("uring hazard: wake-time mask without re-check reports " + trusted + " after a drain");
            assertEquals(0, reportsFor(p, sp[0], 1, 10), "nothing is readable: nothing reported");
            assertEquals(1, p.validationCount(), "one poll(2) re-checked it");
            Fds.write(sp[1], (byte) 1);
            assertEquals(Poller.IN, reportsFor(p, sp[0], 1, 1000), "and the fd is watched again");
            trusting.close();
        } finally {
            p.close();
            Fds.close(sp[0]);
            Fds.close(sp[1]);
        }
    }

    @Test
    void aWakeupDuringTheWaitNeedsNoRecheck() {
        int[] sp = Fds.socketpair();
        UringPoller p = new UringPoller();
        try {
            p.setInterest(sp[0], 0, FdEvent.READ);
            assertEquals(0, p.poll(0));
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                Fds.write(sp[1], (byte) 1);
            });
            t.start();
            assertEquals(Poller.IN, reportsFor(p, sp[0], 1, 2000));
            assertEquals(0, p.validationCount(), "woken while asleep in the enter: the mask is fresh");
        } finally {
            p.close();
            Fds.close(sp[0]);
            Fds.close(sp[1]);
        }
    }
}
