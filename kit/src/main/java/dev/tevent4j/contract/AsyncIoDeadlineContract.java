package dev.tevent4j.contract;

import dev.tevent4j.Request;
import dev.tevent4j.RequestException;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deadline rule for AsyncIo requests: a deadline cancels the op the way {@code cancel()}
 * does, and the request fails with a {@link TimeoutException} only once the op's own completion
 * has arrived. So when the callback and the cleanup run, the kernel (or the worker) has let go
 * of the buffer and the fd: freeing the one and closing the other there is safe, and no byte the
 * peer sends later is swallowed by an orphaned op.
 */
@Timeout(30)
public abstract class AsyncIoDeadlineContract extends LoopContract {

    private static long inMillis(long ms) {
        return System.nanoTime() + ms * 1_000_000L;
    }

    @Test
    void aTimedOutRecvFailsWithTimeoutAndTheKernelNoLongerWritesItsBuffer() {
        int[] sp = socketpair();
        Arena arena = Arena.ofShared();
        MemorySegment buf = arena.allocate(64);
        buf.fill((byte) 0x5A);
        Request<Integer> r = loop.io().recv(sp[0], buf, 0);
        r.setEndTime(inMillis(20));
        boolean[] cleanedUp = {false};
        r.setCleanupFn(req -> {
            assertFalse(req.isInProgress());
            arena.close(); // the documented place to free an op's buffers
            cleanedUp[0] = true;
        });
        loop.runUntil(() -> !r.isInProgress());
        assertInstanceOf(TimeoutException.class, r.cause(), "cause: " + r.cause());
        assertTrue(cleanedUp[0]);
        // The peer's next bytes stay in the socket for the next reader: no orphan took them.
        assertEquals(3, Fds.write(sp[1], (byte) 1, (byte) 2, (byte) 3));
        loop.runOnce(); // a completion of an orphan, if any, would arrive here
        assertArrayEquals(new byte[] {1, 2, 3}, Fds.read(sp[0], 16));
    }

    @Test
    void aTimedOutOpLeavesNothingInFlightSoRunReturnsAndLaterOpsComplete() {
        int[] sp = socketpair();
        MemorySegment buf = Arena.ofAuto().allocate(16);
        List<Request<Integer>> timedOut = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // more than the thread pool has workers
            Request<Integer> r = loop.io().recv(sp[0], buf, 0);
            r.setEndTime(inMillis(10));
            timedOut.add(r);
        }
        loop.run(); // returns only when no op is left in flight
        for (Request<Integer> r : timedOut) {
            assertInstanceOf(TimeoutException.class, r.cause(), "cause: " + r.cause());
        }
        assertEquals(0, loop.io().nop().await(), "no worker or ring slot is still held");
    }

    @Test
    void closingTheFdInTheCleanupOfATimedOutRecvLetsThePeerSeeEof() {
        int[] tcp = tcpPair();
        untrack(tcp[0]);
        Request<Integer> r = loop.io().recv(tcp[0], Arena.ofAuto().allocate(16), 0);
        r.setEndTime(inMillis(10));
        r.setCleanupFn(req -> Fds.close(tcp[0]));
        loop.runUntil(() -> !r.isInProgress());
        assertInstanceOf(TimeoutException.class, r.cause());
        // A recv still in the kernel would keep the socket open there: the peer would see no FIN.
        long until = System.nanoTime() + 5_000_000_000L;
        long n;
        do {
            n = Fds.readResult(tcp[1], 16);
        } while (n == -Errno.EAGAIN && System.nanoTime() < until);
        assertEquals(0, n, "the peer sees end of file once the timed-out recv's socket is closed");
    }

    @Test
    void aReusedFdNumberIsNotReadByTheOpOfATimedOutRequest() {
        for (int trial = 0; trial < 20; trial++) {
            int[] old = Fds.socketpair();
            Request<Integer> r = loop.io().recv(old[0], Arena.ofAuto().allocate(16), 0);
            r.setEndTime(inMillis(2));
            r.setCleanupFn(req -> Fds.close(old[0]));
            loop.runUntil(() -> !r.isInProgress());
            Fds.close(old[1]);
            int[] fresh = track(Fds.socketpair()); // very likely the numbers just freed
            assertEquals(4, Fds.write(fresh[1], (byte) 't', (byte) 'e', (byte) 'v', (byte) 't'));
            loop.runOnce();
            assertArrayEquals("tevt".getBytes(), Fds.read(fresh[0], 16),
                    "trial " + trial + ": the new connection's data is all there");
            closeNow(fresh[0]);
            closeNow(fresh[1]);
        }
    }

    @Test
    void aDeadlineThatRacesTheDataNeverLosesAByte() {
        int[] sp = socketpair();
        MemorySegment buf = Arena.ofAuto().allocate(1);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int sent = 0, received = 0;
        for (int i = 0; i < 300; i++) {
            Request<Integer> r = loop.io().recv(sp[0], buf, 0);
            r.setEndTime(inMillis(1));
            if (rnd.nextBoolean()) {
                long delay = rnd.nextLong(0, 2_000_000);
                loop.addTimerAt(System.nanoTime() + delay, (t, now) -> Fds.write(sp[1], (byte) 7));
                sent++;
            }
            loop.runUntil(() -> !r.isInProgress());
            if (!r.isError()) {
                received += r.result();
            } else {
                assertInstanceOf(TimeoutException.class, r.cause(), "cause: " + r.cause());
            }
            while (loop.runOnce()) { } // timers still due write their byte
        }
        byte[] rest = Fds.read(sp[0], 1024);
        received += rest == null ? 0 : rest.length;
        assertEquals(sent, received, "every byte written was received by a request or is still in the socket");
    }

    @Test
    void aDeadlineAfterTheOpCompletedChangesNothing() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 9);
        MemorySegment buf = Arena.ofAuto().allocate(4);
        Request<Integer> r = loop.io().recv(sp[0], buf, 0);
        r.setEndTime(inMillis(200));
        assertEquals(1, r.await());
        assertEquals(9, buf.get(ValueLayout.JAVA_BYTE, 0));
        loop.addTimer(Duration.ofMillis(250), (t, now) -> { });
        loop.run();
        assertEquals(1, r.result());
    }

    @Test
    void cancelStillFailsWithEcanceledAndADeadlineWithTimeout() {
        int[] sp = socketpair();
        Request<Integer> cancelled = loop.io().recv(sp[0], Arena.ofAuto().allocate(4), 0);
        Request<Integer> timed = loop.io().recv(sp[0], Arena.ofAuto().allocate(4), 0);
        timed.setEndTime(inMillis(5));
        loop.addTimer(Duration.ofMillis(5), (t, now) -> assertFalse(cancelled.cancel(), "an op's cancel completes later"));
        loop.runUntil(() -> !cancelled.isInProgress() && !timed.isInProgress());
        RequestException e = assertThrows(RequestException.class, cancelled::result);
        assertEquals(Errno.ECANCELED, assertInstanceOf(ErrnoException.class, e.getCause()).errno());
        assertInstanceOf(TimeoutException.class, timed.cause());
        assertNotNull(timed.cause().getMessage());
    }
}
