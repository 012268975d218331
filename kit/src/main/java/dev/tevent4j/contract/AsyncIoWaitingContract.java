package dev.tevent4j.contract;

import dev.tevent4j.Request;
import dev.tevent4j.RequestException;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ops that wait for a peer hold nothing other ops need: on the ring the kernel parks them in its
 * poll machinery; the thread pool must park them on the loop's own poller, not on a worker. So
 * idle receivers and peers that never read cannot starve the loop's other I/O.
 */
@Timeout(30)
public abstract class AsyncIoWaitingContract extends LoopContract {
    private final Arena arena = Arena.ofAuto();


    @Test
    void idleRecvsOnManySocketsDoNotDelayANopOrAFileRead() throws Exception {
        List<Request<Integer>> idle = new ArrayList<>();
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < 16; i++) { // several times the pool's worker count
            int[] sp = socketpair();
            pairs.add(sp);
            idle.add(loop.io().recv(sp[0], arena.allocate(8), 0));
        }
        assertEquals(0, loop.io().nop().await());
        Path f = Files.createTempFile("tevent4j-wait", ".bin");
        try {
            Files.write(f, new byte[] {1, 2, 3});
            int fd = loop.io().openat(dev.tevent4j.linux.Libc.AT_FDCWD, f.toString(), dev.tevent4j.linux.Libc.O_RDONLY, 0).await();
            track(new int[] {fd});
            assertEquals(3, loop.io().read(fd, arena.allocate(8), 0).await());
        } finally {
            Files.delete(f);
        }
        for (int i = 0; i < pairs.size(); i++) {
            Fds.write(pairs.get(i)[1], (byte) i);
            assertEquals(1, idle.get(i).await(), "the waiting recv still gets its data");
        }
    }

    @Test
    void sendsToPeersThatDoNotReadDoNotDelayOtherSends() {
        List<Request<Integer>> stuck = new ArrayList<>();
        MemorySegment big = arena.allocate(8 << 20);
        for (int i = 0; i < 8; i++) {
            int[] sp = socketpair();
            Fds.fill(sp[0]);
            stuck.add(loop.io().send(sp[0], big, 0)); // the peer never reads
        }
        int[] live = socketpair();
        assertEquals(4, loop.io().send(live[0], arena.allocate(4), 0).await());
        assertEquals(4, Fds.read(live[1], 16).length);
        for (Request<Integer> r : stuck) {
            assertTrue(r.isInProgress(), "still waiting for room");
            r.cancel();
        }
        loop.runUntil(() -> stuck.stream().noneMatch(Request::isInProgress));
        for (Request<Integer> r : stuck) {
            assertEquals(Errno.ECANCELED, errnoOf(r));
        }
    }

    @Test
    void aReadOfAPipesWriteEndFailsWithEbadfAtOnce() {
        int[] p = pipe();
        Request<Integer> r = loop.io().read(p[1], arena.allocate(8), -1);
        loop.runUntil(() -> !r.isInProgress());
        assertEquals(Errno.EBADF, errnoOf(r));
    }

    @Test
    void aRecvWaitingForDataIsWokenByThePeersReset() throws Exception {
        int[] tcp = tcpPair();
        Request<Integer> r = loop.io().recv(tcp[0], arena.allocate(8), 0);
        loop.addTimer(java.time.Duration.ofMillis(10), (t, now) -> {
            untrack(tcp[1]);
            Fds.reset(tcp[1]);
        });
        loop.runUntil(() -> !r.isInProgress());
        assertEquals(Errno.ECONNRESET, errnoOf(r));
    }

    @Test
    void aSendWaitingForRoomIsWokenByThePeersReset() {
        int[] tcp = tcpPair();
        Fds.fill(tcp[0]);
        Request<Integer> r = loop.io().send(tcp[0], arena.allocate(1 << 20), 0);
        loop.addTimer(java.time.Duration.ofMillis(10), (t, now) -> {
            untrack(tcp[1]);
            Fds.reset(tcp[1]);
        });
        loop.runUntil(() -> !r.isInProgress());
        if (r.isError()) { // else TCP's growing buffers took part of the send before the reset
            int errno = errnoOf(r);
            assertTrue(errno == Errno.ECONNRESET || errno == Errno.EPIPE, "ECONNRESET or EPIPE, got " + Errno.name(errno));
        }
    }

    @Test
    void spliceFromAnEmptyBlockingPipeWaitsForDataAndThenMovesIt() {
        int[] in = track(Fds.blockingPipe());
        int[] out = track(Fds.blockingPipe());
        Request<Integer> r = loop.io().splice(in[0], -1, out[1], -1, 64, 0);
        loop.addTimer(java.time.Duration.ofMillis(10), (t, now) -> Fds.write(in[1], (byte) 1, (byte) 2));
        assertEquals(2, r.await());
        assertEquals(2, Fds.read(out[0], 16).length);
    }

    @Test
    void spliceFromAnEmptyNonBlockingPipeFailsWithEagainAsIoUringDoes() {
        int[] in = pipe();
        int[] out = pipe();
        Request<Integer> r = loop.io().splice(in[0], -1, out[1], -1, 64, 0);
        loop.runUntil(() -> !r.isInProgress());
        assertEquals(Errno.EAGAIN, errnoOf(r));
        int[] blockingIn = track(Fds.blockingPipe());
        Request<Integer> mixed = loop.io().splice(blockingIn[0], -1, out[1], -1, 64, 0);
        loop.runUntil(() -> !mixed.isInProgress());
        assertEquals(Errno.EAGAIN, errnoOf(mixed), "one O_NONBLOCK end is enough");
    }

    @Test
    void aFullBlockingPipeHoldsAWriteButNotANop() {
        int[] p = track(Fds.blockingPipe());
        assertTrue(loop.io().write(p[1], arena.allocate(1 << 20), -1).await() > 0, "the first write fills the pipe");
        List<Request<Integer>> blocked = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // more writers than the pool has workers
            blocked.add(loop.io().write(p[1], arena.allocate(1 << 20), -1));
        }
        assertEquals(0, loop.io().nop().await());
        for (Request<Integer> w : blocked) {
            assertTrue(w.isInProgress(), "waits for room in the pipe");
            w.cancel();
        }
        loop.runUntil(() -> blocked.stream().noneMatch(Request::isInProgress));
        for (Request<Integer> w : blocked) assertEquals(Errno.ECANCELED, errnoOf(w));
    }

    @Test
    void splicesIntoFullBlockingSocketsDoNotDelayANop() {
        List<Request<Integer>> stuck = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // more than the pool has workers
            int[] sp = track(Fds.blockingSocketpair());
            int[] p = track(Fds.blockingPipe());
            Fds.write(p[1], new byte[4096]);
            Fds.fillSocket(sp[0]);
            stuck.add(loop.io().splice(p[0], -1, sp[0], -1, 4096, 0));
        }
        assertEquals(0, loop.io().nop().await());
        for (Request<Integer> r : stuck) {
            assertTrue(r.isInProgress(), "waits for room in the socket");
            r.cancel();
        }
        loop.runUntil(() -> stuck.stream().noneMatch(Request::isInProgress));
    }
}
