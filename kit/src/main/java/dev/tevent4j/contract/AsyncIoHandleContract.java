package dev.tevent4j.contract;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.IoHandle;
import dev.tevent4j.IoLink;
import dev.tevent4j.Msg;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The low-level path: {@link IoHandle} ops complete through an {@link dev.tevent4j.IoCompletion}
 * with the raw result (-errno on failure), one op at a time per handle, reusable from its own
 * completion. Same results on the ring and the pool.
 */
@Timeout(60)
public abstract class AsyncIoHandleContract extends LoopContract {
    private Arena arena;
    /** Results delivered, in order, with the handle each came on. */
    private final List<Integer> results = new ArrayList<>();
    private final List<IoHandle> from = new ArrayList<>();

    @BeforeEach
    void openArena() {
        arena = Arena.ofShared();
    }

    @AfterEach
    void closeArena() {
        loop.close();
        arena.close();
    }

    private AsyncIo io() {
        return loop.io();
    }

    private IoHandle recording() {
        return io().handle((h, res) -> {
            from.add(h);
            results.add(res);
        });
    }

    private MemorySegment bytes(String s) {
        return arena.allocateFrom(s).asSlice(0, s.length());
    }

    private void awaitResults(int n) {
        runUntilOrFail(() -> results.size() >= n);
    }


    @Test
    void aHandleRunsOneOpAfterAnotherFromItsOwnCompletion() {
        int[] count = {0};
        int[] bad = {0};
        IoHandle h = io().handle((handle, res) -> {
            if (res != 0) bad[0]++;
            assertFalse(handle.busy(), "free again in its completion");
            if (++count[0] < 1000) handle.nop();
        });
        h.nop();
        assertTrue(h.busy());
        runUntilOrFail(() -> count[0] == 1000);
        assertEquals(0, bad[0], "every nop completes with 0");
        assertFalse(h.busy());
    }

    @Test
    void readAndWriteGiveTheSyscallsResults() {
        int[] p = pipe();
        IoHandle w = recording(), r = recording();
        MemorySegment in = arena.allocate(8);
        w.write(p[1], bytes("hello"), -1);
        awaitResults(1);
        r.read(p[0], in, -1);
        awaitResults(2);
        assertEquals(List.of(5, 5), results);
        assertEquals(List.of(w, r), from);
        assertEquals("hello", new String(in.asSlice(0, 5).toArray(ValueLayout.JAVA_BYTE)));
    }

    @Test
    void aFailureIsANegativeErrno() {
        int[] p = Fds.pipe();
        Fds.close(p[0]);
        Fds.close(p[1]);
        IoHandle h = recording();
        h.read(p[0], arena.allocate(8), -1);
        awaitResults(1);
        assertEquals(-Errno.EBADF, results.get(0));
    }

    @Test
    void oneOpAtATimeAndBadArgumentsLeaveTheHandleFree() {
        int[] sp = socketpair();
        IoHandle h = recording();
        assertThrows(NullPointerException.class, () -> h.read(sp[0], null, -1));
        assertThrows(IllegalArgumentException.class, () -> h.recv(-1, arena.allocate(8), 0));
        assertFalse(h.busy(), "a refused call takes nothing");
        h.recv(sp[0], arena.allocate(8), 0);
        assertTrue(h.busy());
        assertThrows(IllegalStateException.class, h::nop, "one op in flight per handle");
        h.cancel();
        awaitResults(1);
        assertEquals(-Errno.ECANCELED, results.get(0));
        assertFalse(h.busy());
        h.cancel(); // free: nothing happens
        h.nop();
        awaitResults(2);
        assertEquals(0, results.get(1));
    }

    @Test
    void sendRecvAndMessagesOverASocketpair() {
        int[] sp = socketpair();
        IoHandle a = recording(), b = recording();
        MemorySegment in = arena.allocate(16);
        b.recv(sp[1], in, 0);
        a.send(sp[0], bytes("abc"), 0);
        awaitResults(2);
        assertTrue(results.containsAll(List.of(3, 3)), "results " + results);
        results.clear();
        try (Arena m = Arena.ofConfined()) {
            Msg out = Msg.allocate(m, 0, 0, bytes("defg"));
            Msg back = Msg.allocate(m, 0, 0, arena.allocate(16));
            b.recvmsg(sp[1], back, 0);
            a.sendmsg(sp[0], out, 0);
            awaitResults(2);
            assertTrue(results.containsAll(List.of(4, 4)), "results " + results);
        }
    }

    @Test
    void spliceAcceptAndCloseThroughAHandle() {
        int[] p = Fds.blockingPipe();
        track(p);
        int[] sp = socketpair();
        Fds.write(p[1], (byte) 1, (byte) 2, (byte) 3);
        IoHandle h = recording();
        h.splice(p[0], -1, sp[0], -1, 3, 0);
        awaitResults(1);
        assertEquals(3, results.get(0));
        assertEquals(3, Fds.read(sp[1], 8).length);

        int[] pair = Fds.pipe();
        h.close(pair[0]);
        awaitResults(2);
        assertEquals(0, results.get(1));
        assertFalse(Fds.isOpen(pair[0]));
        Fds.close(pair[1]);

        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = Libc.sockaddrIn(a, Libc.INADDR_LOOPBACK, 0);
            int lfd = Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
            track(new int[] {lfd});
            assertEquals(0, Libc.bind(lfd, addr, (int) addr.byteSize()));
            assertEquals(0, Libc.listen(lfd, 8));
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, (int) addr.byteSize());
            assertEquals(0, Libc.getsockname(lfd, addr, len));
            h.accept(lfd, 0);
            int client = Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
            track(new int[] {client});
            assertEquals(0, Libc.connect(client, addr, (int) addr.byteSize()));
            awaitResults(3);
            int accepted = results.get(2);
            assertTrue(accepted >= 0, "accepted fd " + accepted);
            track(new int[] {accepted});
        }
    }

    @Test
    void aCompletionThatThrowsIsReportedAndTheHandleGoesOn() {
        int[] n = {0};
        IoHandle h = io().handle((handle, res) -> {
            if (++n[0] == 1) throw new IllegalStateException("boom from a completion");
        });
        h.nop();
        runUntilOrFail(() -> n[0] == 1);
        assertEquals(1, uncaught.size());
        assertInstanceOf(IllegalStateException.class, uncaught.get(0));
        assertFalse(h.busy());
        h.nop();
        runUntilOrFail(() -> n[0] == 2);
        assertEquals(1, uncaught.size());
    }

    @Test
    void handlesJoinALink() {
        int[] p = pipe();
        IoHandle w = recording(), r = recording();
        MemorySegment in = arena.allocate(8);
        try (IoLink chain = io().link()) {
            w.write(p[1], bytes("xy"), -1);
            r.read(p[0], in, -1);
        }
        awaitResults(2);
        assertEquals(List.of(2, 2), results);
        assertEquals(List.of(w, r), from, "chain order");
    }

    @Test
    void closingTheLoopDeliversEcanceledToAnOpInFlight() {
        int[] sp = socketpair();
        IoHandle h = recording();
        h.recv(sp[0], arena.allocate(8), 0);
        runOnceWithoutWaiting();
        loop.close();
        assertEquals(List.of(-Errno.ECANCELED), results, "delivered before close returned");
        assertFalse(h.busy());
    }
}
