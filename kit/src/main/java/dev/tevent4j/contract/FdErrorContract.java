package dev.tevent4j.contract;

import dev.tevent4j.FdEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.tevent4j.FdEvent.ERROR;
import static dev.tevent4j.FdEvent.READ;
import static dev.tevent4j.FdEvent.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TEVENT_FD_ERROR exactly as docs/semantics.md section 2 records it: the
 * table of what a handler receives on peer close() and peer shutdown(SHUT_WR), the sticky error
 * state, and tevent's write-only rule. One test per rule; the table rows run on an AF_UNIX
 * socketpair and on loopback TCP.
 */
public abstract class FdErrorContract extends LoopContract {

    /** The connected stream pairs the table is checked on. */
    public enum Pair { SOCKETPAIR, TCP }

    private int[] pair(Pair kind) {
        return kind == Pair.TCP ? tcpPair() : socketpair();
    }

    /** Peer close(); on TCP the FIN crosses loopback before the test looks. */
    private void peerClose(Pair kind, int fd) {
        closeNow(fd);
        settle(kind);
    }

    private void peerShutdown(Pair kind, int fd) {
        Fds.shutdown(fd, Libc.SHUT_WR);
        settle(kind);
    }

    private static void settle(Pair kind) {
        if (kind == Pair.TCP) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Watches fd with flags for the given iterations (each bounded by a short timer). */
    private List<Integer> watch(int fd, int flags, int iterations, FdEvent[] out) {
        List<Integer> got = new ArrayList<>();
        FdEvent e = loop.addFd(fd, flags, (fde, fired) -> got.add(fired));
        if (out != null) out[0] = e;
        for (int i = 0; i < iterations; i++) boundedRunOnce();
        return got;
    }

    private void boundedRunOnce() {
        var bound = loop.addTimer(Duration.ofMillis(20), (t, now) -> { });
        loop.runOnce();
        bound.cancel();
    }

    // ------------------------------------------------------------------ the table: peer close()

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerCloseGivesReadToReadWaiter(Pair kind) {
        int[] p = pair(kind);
        peerClose(kind, p[1]);
        assertEquals(List.of(READ), watch(p[0], READ, 1, null));
    }

    @Test
    void peerCloseNeverCallsWriteWaiterAndClearsWrite() {
        int[] p = socketpair();
        peerClose(Pair.SOCKETPAIR, p[1]);
        FdEvent[] e = new FdEvent[1];
        assertEquals(List.of(), watch(p[0], WRITE, 2, e));
        assertEquals(0, e[0].flags(), "WRITE is cleared");
    }

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerCloseGivesErrorToErrorWaiter(Pair kind) {
        int[] p = pair(kind);
        peerClose(kind, p[1]);
        assertEquals(List.of(ERROR), watch(p[0], ERROR, 1, null));
    }

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerCloseGivesReadWriteToReadWriteWaiter(Pair kind) {
        int[] p = pair(kind);
        peerClose(kind, p[1]);
        assertEquals(List.of(READ | WRITE), watch(p[0], READ | WRITE, 1, null));
    }

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerCloseGivesReadErrorToReadErrorWaiter(Pair kind) {
        int[] p = pair(kind);
        peerClose(kind, p[1]);
        assertEquals(List.of(READ | ERROR), watch(p[0], READ | ERROR, 1, null));
    }

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerCloseGivesWriteErrorToWriteErrorWaiter(Pair kind) {
        int[] p = pair(kind);
        peerClose(kind, p[1]);
        assertEquals(List.of(WRITE | ERROR), watch(p[0], WRITE | ERROR, 1, null));
    }

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerCloseGivesAllToReadWriteErrorWaiter(Pair kind) {
        int[] p = pair(kind);
        peerClose(kind, p[1]);
        assertEquals(List.of(READ | WRITE | ERROR), watch(p[0], READ | WRITE | ERROR, 1, null));
    }

    /**
     * On TCP a peer close() is only a FIN until we write: the kernel raises no HUP for a
     * write-only registration (it asks for no RDHUP), so the writer is called with WRITE, as on
     * a shutdown. Its write then draws the peer's RST, and from then on it is never called.
     */
    @Test
    void tcpPeerCloseLooksLikeShutdownToWriteWaiterUntilItsWriteDrawsReset() throws Exception {
        int[] p = tcpPair();
        peerClose(Pair.TCP, p[1]);
        FdEvent[] e = new FdEvent[1];
        assertEquals(List.of(WRITE), watch(p[0], WRITE, 1, e));
        assertTrue(Fds.write(p[0], (byte) 1) > 0, "the first write still succeeds");
        Thread.sleep(5);
        List<Integer> after = new ArrayList<>();
        e[0].close();
        after.addAll(watch(p[0], WRITE, 2, e));
        assertEquals(List.of(), after, "the RST puts the fd in the error state");
        assertEquals(0, e[0].flags());
    }

    // ------------------------------------------------------------------ the table: peer shutdown(SHUT_WR)

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerShutdownGivesReadToReadWaiter(Pair kind) {
        int[] p = pair(kind);
        peerShutdown(kind, p[1]);
        assertEquals(List.of(READ), watch(p[0], READ, 1, null));
    }

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerShutdownGivesWriteToWriteWaiter(Pair kind) {
        int[] p = pair(kind);
        peerShutdown(kind, p[1]);
        FdEvent[] e = new FdEvent[1];
        assertEquals(List.of(WRITE, WRITE), watch(p[0], WRITE, 2, e));
        assertEquals(WRITE, e[0].flags());
    }

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerShutdownGivesErrorToErrorWaiter(Pair kind) {
        int[] p = pair(kind);
        peerShutdown(kind, p[1]);
        assertEquals(List.of(ERROR), watch(p[0], ERROR, 1, null));
    }

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerShutdownGivesReadWriteToReadWriteWaiter(Pair kind) {
        int[] p = pair(kind);
        peerShutdown(kind, p[1]);
        assertEquals(List.of(READ | WRITE), watch(p[0], READ | WRITE, 1, null));
    }

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerShutdownGivesReadErrorToReadErrorWaiter(Pair kind) {
        int[] p = pair(kind);
        peerShutdown(kind, p[1]);
        assertEquals(List.of(READ | ERROR), watch(p[0], READ | ERROR, 1, null));
    }

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerShutdownGivesWriteErrorToWriteErrorWaiter(Pair kind) {
        int[] p = pair(kind);
        peerShutdown(kind, p[1]);
        assertEquals(List.of(WRITE | ERROR), watch(p[0], WRITE | ERROR, 1, null));
    }

    @ParameterizedTest
    @EnumSource(Pair.class)
    void peerShutdownGivesAllToReadWriteErrorWaiter(Pair kind) {
        int[] p = pair(kind);
        peerShutdown(kind, p[1]);
        assertEquals(List.of(READ | WRITE | ERROR), watch(p[0], READ | WRITE | ERROR, 1, null));
    }

    // ------------------------------------------------------------------ the rules behind the table

    /** RDHUP counts as an error: an orderly EOF raises ERROR, with no data pending at all. */
    @Test
    void orderlyEofRaisesErrorWithoutAnyData() {
        int[] p = socketpair();
        Fds.shutdown(p[1], Libc.SHUT_WR);
        assertEquals(List.of(ERROR, ERROR), watch(p[0], ERROR, 2, null));
    }

    /** In the error state READ fires if wanted, even when the kernel reported HUP without IN. */
    @Test
    void errorStateGivesReadWithoutInputReadiness() {
        int[] p = pipe();
        closeNow(p[1]); // an empty pipe whose writer is gone reports HUP only
        assertEquals(List.of(READ), watch(p[0], READ, 1, null));
    }

    /** The handler receives fired & flags(): never a flag it did not ask for, never 0. */
    @Test
    void handlerReceivesOnlyWhatItAskedFor() {
        int[] p = socketpair();
        Fds.write(p[1], (byte) 1);
        assertEquals(List.of(), watch(p[0], ERROR, 1, null), "data alone is not an error");
        List<Integer> got = new ArrayList<>();
        FdEvent e = loop.addFd(p[0], READ | ERROR, (fde, fired) -> got.add(fired));
        boundedRunOnce();
        e.close();
        assertEquals(List.of(READ), got);
    }

    @Test
    void writeOnlyWaiterIsNotCalledOnErrorAndLosesWrite() {
        int[] sp = socketpair();
        List<Integer> got = new ArrayList<>();
        FdEvent e = loop.addFd(sp[0], WRITE, (fde, fired) -> got.add(fired));
        closeNow(sp[1]);
        boundedRunOnce();
        boundedRunOnce();
        assertEquals(List.of(), got);
        assertEquals(0, e.flags());
        assertFalse(e.isClosed(), "the event stays registered, only WRITE goes");
        assertFalse(loop.runOnce(), "with WRITE gone nothing keeps the loop alive");
    }

    @Test
    void writeOnlyWaiterKeepsWriteButIsNotCalledWhileAReadWaiterIsCalled() {
        int[] sp = socketpair();
        List<String> got = new ArrayList<>();
        FdEvent writer = loop.addFd(sp[0], WRITE, (fde, fired) -> got.add("w" + fired));
        FdEvent reader = loop.addFd(sp[0], READ, (fde, fired) -> got.add("r" + fired));
        closeNow(sp[1]);
        for (int i = 0; i < 4; i++) boundedRunOnce();
        assertEquals(List.of("r1", "r1", "r1", "r1"), got, "the write-only event never gets a turn");
        assertEquals(WRITE, writer.flags(), "it keeps WRITE while another event is called");
        assertEquals(READ, reader.flags());
    }

    /**
     * When the last READ/ERROR event of an fd in the error state goes, the registration goes
     * with it (tevent's epoll_update_event: no error reporting unless someone reads): no report
     * can arrive any more, so the write-only event is never called and keeps its WRITE flag.
     */
    @Test
    void writeOnlyWaiterIsNeverCalledAfterTheLastReadWaiterOfAnErroredFdGoes() {
        int[] sp = socketpair();
        List<String> got = new ArrayList<>();
        FdEvent writer = loop.addFd(sp[0], WRITE, (fde, fired) -> got.add("w" + fired));
        loop.addFd(sp[0], READ, (fde, fired) -> {
            got.add("r" + fired);
            fde.close();
        });
        closeNow(sp[1]);
        boundedRunOnce();
        boundedRunOnce();
        boundedRunOnce();
        assertEquals(List.of("r1"), got);
        assertEquals(WRITE, writer.flags(), "no report arrived, so nothing cleared WRITE");
    }

    @Test
    void writeErrorWaiterIsHowAWriterGetsErrors() {
        int[] sp = socketpair();
        List<String> got = new ArrayList<>();
        FdEvent plain = loop.addFd(sp[0], WRITE, (fde, fired) -> got.add("w" + fired));
        FdEvent withError = loop.addFd(sp[0], WRITE | ERROR, (fde, fired) -> got.add("we" + fired));
        closeNow(sp[1]);
        boundedRunOnce();
        boundedRunOnce();
        assertEquals(List.of("we6", "we6"), got);
        assertEquals(WRITE, plain.flags());
        assertEquals(WRITE | ERROR, withError.flags());
    }

    /** The mark is sticky: even a registration that would no longer ask for RDHUP stays in it. */
    @Test
    void errorStateIsStickyWhileAnyEventRemainsOnTheFd() {
        int[] sp = socketpair();
        Fds.shutdown(sp[1], Libc.SHUT_WR);
        List<String> got = new ArrayList<>();
        FdEvent reader = loop.addFd(sp[0], READ, (fde, fired) -> got.add("r" + fired));
        FdEvent writer = loop.addFd(sp[0], WRITE, (fde, fired) -> got.add("w" + fired));
        boundedRunOnce();
        assertEquals(List.of("r1"), got);
        reader.setFlags(0); // a fresh write-only registration would see plain EPOLLOUT...
        boundedRunOnce();
        assertEquals(List.of("r1"), got, "...but the fd is still in the error state");
        reader.setFlags(READ);
        boundedRunOnce();
        assertEquals(List.of("r1", "r1"), got);
        assertEquals(WRITE, writer.flags());
    }

    @Test
    void errorStateIsForgottenWhenTheLastEventOnTheFdCloses() {
        int[] sp = socketpair();
        Fds.shutdown(sp[1], Libc.SHUT_WR);
        FdEvent[] reader = new FdEvent[1];
        assertEquals(List.of(READ), watch(sp[0], READ, 1, reader));
        reader[0].close();
        assertEquals(List.of(WRITE), watch(sp[0], WRITE, 1, null), "a new write-only event starts clean");
    }

    // ------------------------------------------------------------------ kernel conditions

    @Test
    void pendingSocketErrorGivesAllToReadWriteErrorWaiterAndSoErrorKeepsIt() throws Exception {
        int fd = track(new int[] {Fds.refusedConnect()})[0];
        Thread.sleep(5);
        assertEquals(List.of(READ | WRITE | ERROR), watch(fd, READ | WRITE | ERROR, 1, null));
        assertEquals(Errno.ECONNREFUSED, Fds.soError(fd));
    }

    @Test
    void pendingSocketErrorReachesAWriteErrorConnectWaiter() throws Exception {
        int fd = track(new int[] {Fds.refusedConnect()})[0];
        Thread.sleep(5);
        assertEquals(List.of(WRITE | ERROR), watch(fd, WRITE | ERROR, 1, null));
        assertEquals(Errno.ECONNREFUSED, Fds.soError(fd));
    }

    @Test
    void pendingSocketErrorNeverCallsAWriteOnlyConnectWaiter() throws Exception {
        int fd = track(new int[] {Fds.refusedConnect()})[0];
        Thread.sleep(5);
        FdEvent[] e = new FdEvent[1];
        assertEquals(List.of(), watch(fd, WRITE, 2, e));
        assertEquals(0, e[0].flags());
    }

    @Test
    void peerResetGivesReadToReadWaiter() throws Exception {
        int[] p = tcpPair();
        Fds.reset(p[1]);
        untrack(p[1]);
        Thread.sleep(5);
        assertEquals(List.of(READ), watch(p[0], READ, 1, null));
    }

    @Test
    void peerResetNeverCallsWriteWaiterAndClearsWrite() throws Exception {
        int[] p = tcpPair();
        Fds.reset(p[1]);
        untrack(p[1]);
        Thread.sleep(5);
        FdEvent[] e = new FdEvent[1];
        assertEquals(List.of(), watch(p[0], WRITE, 2, e));
        assertEquals(0, e[0].flags());
    }

    @Test
    void pipeReaderClosedNeverCallsWriteWaiterAndClearsWrite() {
        int[] p = pipe();
        closeNow(p[0]);
        FdEvent[] e = new FdEvent[1];
        assertEquals(List.of(), watch(p[1], WRITE, 2, e));
        assertEquals(0, e[0].flags());
    }

    @Test
    void pipeReaderClosedGivesErrorToErrorWaiter() {
        int[] p = pipe();
        closeNow(p[0]);
        assertEquals(List.of(ERROR), watch(p[1], ERROR, 1, null));
    }

    @Test
    void pipeWriterClosedGivesErrorToErrorWaiter() {
        int[] p = pipe();
        closeNow(p[1]);
        assertEquals(List.of(ERROR), watch(p[0], ERROR, 1, null));
    }
}
