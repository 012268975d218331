package dev.tevent4j.contract;

import dev.tevent4j.FdEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.tevent4j.FdEvent.ERROR;
import static dev.tevent4j.FdEvent.READ;
import static dev.tevent4j.FdEvent.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fd events on real sockets and pipes: what fires, and TEVENT_FD_ERROR's rules. */
public abstract class FdEventContract extends LoopContract {

    private List<Integer> calls(int fd, int flags, int iterations) {
        List<Integer> got = new ArrayList<>();
        FdEvent e = loop.addFd(fd, flags, (fde, fired) -> got.add(fired));
        for (int i = 0; i < iterations; i++) {
            // A short timer bounds the wait when nothing fires.
            var bound = loop.addTimer(java.time.Duration.ofMillis(30), (t, now) -> { });
            loop.runOnce();
            bound.cancel();
        }
        e.close();
        return got;
    }

    @Test
    void readFiresWhenPeerWrites() {
        int[] sp = socketpair();
        List<Integer> got = new ArrayList<>();
        loop.addFd(sp[0], READ, (fde, fired) -> {
            got.add(fired);
            Fds.read(sp[0], 16);
        });
        Fds.write(sp[1], (byte) 1);
        loop.runOnce();
        assertEquals(List.of(READ), got);
    }

    @Test
    void readIsLevelTriggeredUntilDrained() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1, (byte) 2);
        List<Integer> got = calls(sp[0], READ, 3);
        assertEquals(List.of(READ, READ, READ), got);
    }

    @Test
    void writeFiresOnWritableSocket() {
        int[] sp = socketpair();
        assertEquals(List.of(WRITE), calls(sp[0], WRITE, 1));
    }

    @Test
    void writeDoesNotFireWhenSendBufferIsFull() {
        int[] sp = socketpair();
        Fds.fill(sp[0]);
        assertEquals(List.of(), calls(sp[0], WRITE, 1));
    }

    @Test
    void errorAloneDoesNotFireOnPlainData() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        assertEquals(List.of(), calls(sp[0], ERROR, 1));
    }

    @Test
    void peerCloseGivesReadAndErrorToReadErrorWaiter() {
        int[] sp = socketpair();
        closeNow(sp[1]);
        assertEquals(List.of(READ | ERROR), calls(sp[0], READ | ERROR, 1));
    }

    @Test
    void peerCloseGivesReadToReadOnlyWaiter() {
        int[] sp = socketpair();
        closeNow(sp[1]);
        assertEquals(List.of(READ), calls(sp[0], READ, 1));
    }

    @Test
    void peerCloseGivesErrorToErrorOnlyWaiter() {
        int[] sp = socketpair();
        closeNow(sp[1]);
        assertEquals(List.of(ERROR), calls(sp[0], ERROR, 1));
    }

    @Test
    void writeErrorWaiterGetsWriteAndErrorOnPeerClose() {
        int[] sp = socketpair();
        closeNow(sp[1]);
        assertEquals(List.of(WRITE | ERROR), calls(sp[0], WRITE | ERROR, 1));
    }

    @Test
    void tcpResetGivesAllFlagsToReadWriteErrorWaiter() throws Exception {
        int[] tcp = tcpPair();
        Fds.reset(tcp[1]);
        untrack(tcp[1]);
        Thread.sleep(20);
        assertEquals(List.of(READ | WRITE | ERROR), calls(tcp[0], READ | WRITE | ERROR, 1));
        assertTrue(Fds.readResult(tcp[0], 1) < 0, "the reset is visible to read");
    }

    @Test
    void tcpPeerShutdownWriteRaisesError() throws Exception {
        int[] tcp = tcpPair();
        Fds.shutdown(tcp[1], dev.tevent4j.linux.Libc.SHUT_WR);
        Thread.sleep(20);
        assertEquals(List.of(READ | ERROR), calls(tcp[0], READ | ERROR, 1));
    }

    @Test
    void pipeWriterClosedGivesReadAndError() {
        int[] p = pipe();
        closeNow(p[1]);
        assertEquals(List.of(READ | ERROR), calls(p[0], READ | ERROR, 1));
    }

    @Test
    void pipeReaderClosedGivesWriteAndErrorToWriteErrorWaiter() {
        int[] p = pipe();
        closeNow(p[0]);
        assertEquals(List.of(WRITE | ERROR), calls(p[1], WRITE | ERROR, 1));
    }

    @Test
    void severalEventsOnOneFdTakeTurnsAndGetOnlyTheirFlags() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<String> got = new ArrayList<>();
        loop.addFd(sp[0], READ, (fde, fired) -> got.add("r" + fired));
        loop.addFd(sp[0], READ | WRITE, (fde, fired) -> got.add("rw" + fired));
        loop.addFd(sp[0], WRITE, (fde, fired) -> got.add("w" + fired));
        for (int i = 0; i < 6; i++) loop.runOnce();
        assertEquals(List.of("r1", "rw3", "w2", "r1", "rw3", "w2"), got);
    }

    @Test
    void closedEventIsNotCalledLaterInTheSameBatch() {
        int[] a = socketpair();
        int[] b = socketpair();
        Fds.write(a[1], (byte) 1);
        Fds.write(b[1], (byte) 1);
        List<String> got = new ArrayList<>();
        FdEvent[] events = new FdEvent[2];
        events[0] = loop.addFd(a[0], READ, (fde, fired) -> { got.add("a"); events[1].close(); });
        events[1] = loop.addFd(b[0], READ, (fde, fired) -> { got.add("b"); events[0].close(); });
        loop.runOnce();
        assertEquals(1, got.size(), "whichever ran first closed the other: " + got);
    }

    @Test
    void eventAddedDuringDispatchWaitsForTheNextBatch() {
        int[] a = socketpair();
        int[] b = socketpair();
        Fds.write(a[1], (byte) 1);
        Fds.write(b[1], (byte) 1);
        List<String> got = new ArrayList<>();
        loop.addFd(a[0], READ, (fde, fired) -> {
            got.add("a");
            fde.close();
            loop.addFd(b[0], READ, (f2, fl2) -> got.add("b"));
        });
        loop.addFd(b[0], 0, (fde, fired) -> { });
        loop.runOnce();
        assertEquals(List.of("a"), got);
        loop.runOnce();
        assertEquals(List.of("a", "b"), got);
    }

    @Test
    void flagsZeroStaysRegisteredButIsNeverCalled() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<Integer> got = new ArrayList<>();
        FdEvent e = loop.addFd(sp[0], 0, (fde, fired) -> got.add(fired));
        assertFalse(loop.runOnce(), "flags 0 does not keep the loop alive");
        e.setFlags(READ);
        loop.runOnce();
        assertEquals(List.of(READ), got);
    }

    @Test
    void closeFnRunsOnceBeforeAutoClose() {
        int[] sp = socketpair();
        untrack(sp[0]);
        List<String> got = new ArrayList<>();
        FdEvent e = loop.addFd(sp[0], READ, (fde, fired) -> { });
        e.setAutoClose(true);
        e.setCloseFn((fde, fd) -> got.add("closefn fd open=" + Fds.isOpen(fd)));
        e.close();
        e.close();
        assertEquals(List.of("closefn fd open=true"), got);
        assertFalse(Fds.isOpen(sp[0]));
    }

    @Test
    void throwingHandlerIsReportedAndTheLoopGoesOn() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<Object> events = new ArrayList<>();
        loop.setUncaughtExceptionHandler((ev, err) -> events.add(ev));
        FdEvent e = loop.addFd(sp[0], READ, (fde, fired) -> { throw new IllegalStateException("boom"); });
        loop.runOnce();
        loop.runOnce();
        assertEquals(List.of(e, e), events);
    }

    @Test
    void fdClosedBehindTheLoopsBackDisarmsItsEvents() {
        int[] sp = socketpair();
        List<Integer> got = new ArrayList<>();
        FdEvent e = loop.addFd(sp[0], READ, (fde, fired) -> got.add(fired));
        closeNow(sp[0]);
        e.setFlags(READ | ERROR);
        loop.addTimer(java.time.Duration.ofMillis(10), (t, now) -> { });
        loop.runOnce();
        assertEquals(List.of(), got);
        e.close();
    }

    @Test
    void readFiresWhenTcpPeerWrites() throws Exception {
        int[] tcp = tcpPair();
        Fds.write(tcp[1], (byte) 1);
        List<Integer> got = new ArrayList<>();
        loop.addFd(tcp[0], READ, (fde, fired) -> { got.add(fired); Fds.read(tcp[0], 16); fde.close(); });
        runUntilOrFail(() -> !got.isEmpty());
        assertEquals(List.of(READ), got);
    }

    @Test
    void readFiresWhenPipeWriterWrites() {
        int[] p = pipe();
        Fds.write(p[1], (byte) 1);
        assertEquals(List.of(READ), calls(p[0], READ | WRITE, 1));
    }

    @Test
    void writeFiresOnAPipeWithRoomAndNotOnAFullOne() {
        int[] p = pipe();
        assertEquals(List.of(WRITE), calls(p[1], WRITE, 1));
        Fds.fill(p[1]);
        assertEquals(List.of(), calls(p[1], WRITE, 1));
        Fds.drain(p[0]);
        assertEquals(List.of(WRITE), calls(p[1], WRITE, 1));
    }

    @Test
    void peerWritesGiveReadAndWriteToReadWriteWaiterWithoutAnyError() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        assertEquals(List.of(READ | WRITE), calls(sp[0], READ | WRITE | ERROR, 1));
    }
}
