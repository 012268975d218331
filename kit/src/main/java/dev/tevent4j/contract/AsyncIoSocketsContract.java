package dev.tevent4j.contract;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.BufferRing;
import dev.tevent4j.Request;
import dev.tevent4j.RequestException;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * AsyncIo's socket ops over real loopback TCP: accept, connect, multishot accept and multishot
 * recv with a {@link BufferRing}. The ring (hybrid, uring) and the thread pool's emulation
 * (epoll) must give the same results and errnos, so the same assertions run on each backend.
 */
@Timeout(60)
public abstract class AsyncIoSocketsContract extends LoopContract {
    private Arena arena;

    @BeforeEach
    void openArena() {
        arena = Arena.ofShared();
    }

    @AfterEach
    void closeArena() {
        loop.close(); // drains ops (and frees buffer rings) before the sockaddrs go
        arena.close();
    }

    private AsyncIo io() {
        return loop.io();
    }



    private static int check(long rc, String what) {
        if (rc < 0) throw new IllegalStateException(what + " failed: " + Errno.name((int) -rc));
        return (int) rc;
    }

    /** A non-blocking loopback listener on a free port; its sockaddr_in is in {@code addr}. */
    private int listener(MemorySegment addr) {
        int fd = check(Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0), "socket");
        track(new int[] {fd});
        MemorySegment.copy(Libc.sockaddrIn(arena, Libc.INADDR_LOOPBACK, 0), 0, addr, 0, addr.byteSize());
        check(Libc.bind(fd, addr, (int) addr.byteSize()), "bind");
        check(Libc.listen(fd, 512), "listen");
        MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
        len.set(ValueLayout.JAVA_INT, 0, (int) addr.byteSize());
        check(Libc.getsockname(fd, addr, len), "getsockname");
        return fd;
    }

    private MemorySegment sockaddr() {
        return arena.allocate(Libc.SOCKADDR_IN);
    }

    private int tcpSocket(int extraFlags) {
        int fd = check(Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC | extraFlags, 0), "socket");
        track(new int[] {fd});
        return fd;
    }

    /** A blocking connect from a fresh socket (the kernel completes it from the backlog). */
    private int connectedClient(MemorySegment addr) {
        int fd = tcpSocket(0);
        check(Libc.connect(fd, addr, (int) addr.byteSize()), "connect");
        return fd;
    }


    private static boolean isNonBlocking(int fd) {
        return (Libc.fcntl(fd, Libc.F_GETFL, 0) & Libc.O_NONBLOCK) != 0;
    }

    /** Byte {@code k} of connection {@code conn}'s stream: each connection has its own pattern. */
    private static byte pattern(int conn, int k) {
        return (byte) (conn * 31 + k * 7 + (k >> 8));
    }

    // ------------------------------------------------------------------ accept and connect

    @Test
    void acceptAndConnectOverLoopbackTcp() {
        assumeIoSupports(AsyncIo.Op.ACCEPT);
        assumeIoSupports(AsyncIo.Op.CONNECT);
        MemorySegment addr = sockaddr();
        int lfd = listener(addr);
        int client = tcpSocket(Libc.SOCK_NONBLOCK);
        Request<Integer> accepted = io().accept(lfd, Libc.SOCK_NONBLOCK);
        Request<Integer> connected = io().connect(client, addr);
        assertEquals(0, connected.await(), "a non-blocking socket's connect completes once connected: no EINPROGRESS");
        int server = accepted.await();
        track(new int[] {server});
        assertTrue(server >= 0);
        assertTrue(isNonBlocking(server), "SOCK_NONBLOCK reaches the accepted fd");
        assertEquals(3, Fds.write(client, (byte) 1, (byte) 2, (byte) 3));
        MemorySegment buf = arena.allocate(8);
        assertEquals(3, io().recv(server, buf, 0).await());
        assertEquals(3, buf.get(ValueLayout.JAVA_BYTE, 2));
    }

    @Test
    void acceptWithoutFlagsGivesABlockingFd() {
        assumeIoSupports(AsyncIo.Op.ACCEPT);
        MemorySegment addr = sockaddr();
        int lfd = listener(addr);
        connectedClient(addr);
        int server = io().accept(lfd, 0).await();
        track(new int[] {server});
        assertFalse(isNonBlocking(server));
    }

    @Test
    void acceptOnAnIdleNonBlockingListenerWaitsForAConnectionAsIoUringDoes() {
        assumeIoSupports(AsyncIo.Op.ACCEPT);
        MemorySegment addr = sockaddr();
        int lfd = listener(addr);
        Request<Integer> accepted = io().accept(lfd, Libc.SOCK_NONBLOCK);
        loop.addTimer(Duration.ofMillis(30), (t, now) -> connectedClient(addr));
        int server = accepted.await();
        track(new int[] {server});
        assertTrue(server >= 0);
    }

    @Test
    void connectToAClosedPortFailsWithEconnrefused() {
        assumeIoSupports(AsyncIo.Op.CONNECT);
        MemorySegment addr = sockaddr();
        int lfd = listener(addr);
        closeNow(lfd); // bound, then closed: the port refuses
        for (int extra : new int[] {Libc.SOCK_NONBLOCK, 0}) {
            Request<Integer> r = io().connect(tcpSocket(extra), addr);
            loop.runUntil(() -> !r.isInProgress());
            assertEquals(Errno.ECONNREFUSED, errnoOf(r), "socket flags " + extra);
            assertTrue(r.cause().getMessage().contains("ECONNREFUSED"), r.cause().getMessage());
        }
    }

    @Test
    void acceptOnANonListeningSocketFailsWithEinval() {
        assumeIoSupports(AsyncIo.Op.ACCEPT);
        Request<Integer> r = io().accept(tcpSocket(Libc.SOCK_NONBLOCK), 0);
        loop.runUntil(() -> !r.isInProgress());
        assertEquals(Errno.EINVAL, errnoOf(r));
    }

    @Test
    void cancelOfAPendingAcceptEndsWithEcanceled() {
        assumeIoSupports(AsyncIo.Op.ACCEPT);
        int lfd = listener(sockaddr());
        Request<Integer> r = io().accept(lfd, 0);
        loop.addTimer(Duration.ofMillis(10), (t, now) -> assertFalse(r.cancel(), "completes later"));
        loop.runUntil(() -> !r.isInProgress());
        assertEquals(Errno.ECANCELED, errnoOf(r));
    }

    @Test
    void aPendingAcceptDeadlineEndsItWithATimeoutAndTheListenerStillWorks() {
        assumeIoSupports(AsyncIo.Op.ACCEPT);
        MemorySegment addr = sockaddr();
        int lfd = listener(addr);
        Request<Integer> r = io().accept(lfd, 0);
        r.setEndTime(System.nanoTime() + 20_000_000L);
        runUntilOrFail(() -> !r.isInProgress());
        assertInstanceOf(TimeoutException.class, r.cause(), "cause: " + r.cause());
        connectedClient(addr);
        int server = io().accept(lfd, 0).await();
        track(new int[] {server});
        assertTrue(server >= 0, "the timed-out accept took no connection");
    }

    // ------------------------------------------------------------------ multishot accept

    @Test
    void multishotAcceptTakesAHundredConnectionsThenCancelStopsTheStream() {
        assumeIoSupports(AsyncIo.Op.ACCEPT_MULTISHOT);
        MemorySegment addr = sockaddr();
        int lfd = listener(addr);
        List<Integer> fds = new ArrayList<>();
        Request<Integer> stream = io().acceptMultishot(lfd, Libc.SOCK_NONBLOCK, fd -> {
            fds.add(fd);
            track(new int[] {fd});
        });
        runOnceWithoutWaiting(); // arms it
        for (int i = 0; i < 100; i++) {
            connectedClient(addr);
            if (i % 10 == 0) runOnceWithoutWaiting();
        }
        runUntilOrFail(() -> fds.size() == 100);
        assertTrue(stream.isInProgress(), "a multishot accept goes on");
        assertEquals(100, fds.stream().distinct().count());
        for (int fd : fds) assertTrue(isNonBlocking(fd), "flags reach every accepted fd");
        assertFalse(stream.cancel(), "completes later");
        runUntilOrFail(() -> !stream.isInProgress());
        assertEquals(Errno.ECANCELED, errnoOf(stream));
        connectedClient(addr);
        runOnceWithoutWaiting();
        assertEquals(100, fds.size(), "nothing accepted after the cancel");
        int late = io().accept(lfd, 0).await();
        track(new int[] {late});
        assertTrue(late >= 0, "the connection waited in the backlog for the next accept");
    }

    @Test
    void aThrowingAcceptHandlerIsReportedAndTheStreamGoesOn() {
        assumeIoSupports(AsyncIo.Op.ACCEPT_MULTISHOT);
        MemorySegment addr = sockaddr();
        int lfd = listener(addr);
        List<Integer> fds = new ArrayList<>();
        Request<Integer> stream = io().acceptMultishot(lfd, 0, fd -> {
            fds.add(fd);
            track(new int[] {fd});
            if (fds.size() == 1) throw new IllegalStateException("handler bug");
        });
        runOnceWithoutWaiting();
        connectedClient(addr);
        runUntilOrFail(() -> fds.size() == 1);
        connectedClient(addr);
        runUntilOrFail(() -> fds.size() == 2);
        assertEquals(1, uncaught.size());
        assertEquals("handler bug", uncaught.get(0).getMessage());
        assertTrue(stream.isInProgress());
    }

    @Test
    void aMultishotAcceptDeadlineEndsItWithATimeout() {
        assumeIoSupports(AsyncIo.Op.ACCEPT_MULTISHOT);
        int lfd = listener(sockaddr());
        Request<Integer> stream = io().acceptMultishot(lfd, 0, fd -> Fds.close(fd));
        stream.setEndTime(System.nanoTime() + 30_000_000L);
        runUntilOrFail(() -> !stream.isInProgress());
        assertInstanceOf(TimeoutException.class, stream.cause(), "cause: " + stream.cause());
    }

    @Test
    void multishotAcceptOnABadFdFailsWithEbadf() {
        assumeIoSupports(AsyncIo.Op.ACCEPT_MULTISHOT);
        Request<Integer> stream = io().acceptMultishot(1_000_000, 0, fd -> { });
        runUntilOrFail(() -> !stream.isInProgress());
        assertEquals(Errno.EBADF, errnoOf(stream));
    }

    // ------------------------------------------------------------------ buffer rings

    @Test
    void bufferRingShapesAreChecked() {
        assumeIoSupports(AsyncIo.Op.RECV_MULTISHOT);
        assertThrows(IllegalArgumentException.class, () -> io().bufferRing(3, 64), "not a power of two");
        assertThrows(IllegalArgumentException.class, () -> io().bufferRing(0, 64));
        assertThrows(IllegalArgumentException.class, () -> io().bufferRing(65536, 64));
        assertThrows(IllegalArgumentException.class, () -> io().bufferRing(4, 0));
        BufferRing ring = io().bufferRing(8, 100);
        assertEquals(8, ring.count());
        assertEquals(100, ring.bufferSize());
        assertEquals(8, ring.available());
        assertThrows(IllegalStateException.class, () -> ring.recycle(0), "not lent");
        assertThrows(IllegalArgumentException.class, () -> ring.recycle(8));
        BufferRing other = new Object() {
            BufferRing fake() {
                return new BufferRing() {
                    public int count() { return 1; }
                    public int bufferSize() { return 1; }
                    public int available() { return 1; }
                    public void recycle(int bufferId) { }
                };
            }
        }.fake();
        int[] sp = tcpPair();
        assertThrows(IllegalArgumentException.class, () -> io().recvMultishot(sp[1], other, (d, id) -> { }));
    }

    @Test
    void multishotRecvDeliversEachReceiveInABufferUntilEndOfFile() {
        assumeIoSupports(AsyncIo.Op.RECV_MULTISHOT);
        BufferRing ring = io().bufferRing(4, 64);
        int[] tcp = tcpPair();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Request<Integer> stream = io().recvMultishot(tcp[1], ring, (data, id) -> {
            assertTrue(data.byteSize() > 0 && data.byteSize() <= 64, "sliced to the length: " + data.byteSize());
            got.writeBytes(data.toArray(ValueLayout.JAVA_BYTE));
            ring.recycle(id);
        });
        runOnceWithoutWaiting();
        assertEquals(4, ring.available(), "an idle connection pins no buffer");
        Fds.write(tcp[0], "hello".getBytes());
        runUntilOrFail(() -> got.size() == 5);
        assertEquals("hello", got.toString());
        byte[] big = new byte[1000];
        for (int k = 0; k < big.length; k++) big[k] = pattern(1, k);
        Fds.write(tcp[0], big);
        runUntilOrFail(() -> got.size() == 1005);
        Fds.shutdown(tcp[0], Libc.SHUT_WR);
        runUntilOrFail(() -> !stream.isInProgress());
        assertEquals(0, stream.result(), "end of file ends the stream with 0");
        byte[] all = got.toByteArray();
        for (int k = 0; k < big.length; k++) assertEquals(big[k], all[5 + k], "byte " + k);
        assertEquals(4, ring.available(), "every buffer back");
    }

    @Test
    void fiftyConnectionsShareSixteenBuffersThroughEnobufsWithTheirDataIntact() {
        assumeIoSupports(AsyncIo.Op.RECV_MULTISHOT);
        int conns = 50, perConn = 3000, size = 100;
        BufferRing ring = io().bufferRing(16, size);
        int[][] pairs = new int[conns][];
        ByteArrayOutputStream[] got = new ByteArrayOutputStream[conns];
        List<Integer> held = new ArrayList<>();
        List<Integer> starved = new ArrayList<>();
        int[] enobufs = {0}, eof = {0};
        List<Throwable> failures = new ArrayList<>();
        Runnable[] arm = new Runnable[conns];
        for (int c = 0; c < conns; c++) {
            int conn = c;
            pairs[c] = tcpPair();
            got[c] = new ByteArrayOutputStream();
            arm[c] = () -> io().recvMultishot(pairs[conn][1], ring, (data, id) -> {
                got[conn].writeBytes(data.toArray(ValueLayout.JAVA_BYTE));
                held.add(id); // kept: the ring runs dry
            }).onComplete(r -> {
                if (!r.isError()) {
                    eof[0]++;
                } else if (r.cause() instanceof ErrnoException e && e.errno() == BufferRing.ENOBUFS) {
                    enobufs[0]++;
                    starved.add(conn);
                } else {
                    failures.add(r.cause());
                }
            });
            arm[c].run();
        }
        runOnceWithoutWaiting();
        for (int c = 0; c < conns; c++) {
            byte[] b = new byte[perConn];
            for (int k = 0; k < perConn; k++) b[k] = pattern(c, k);
            assertEquals(perConn, Fds.write(pairs[c][0], b));
            Fds.shutdown(pairs[c][0], Libc.SHUT_WR);
        }
        long limit = System.nanoTime() + 20_000_000_000L;
        loop.addTimer(Duration.ofSeconds(20), (t, now) -> { });
        while (eof[0] < conns && failures.isEmpty()) {
            assertTrue(System.nanoTime() < limit, "eof on " + eof[0] + " of " + conns + ", ENOBUFS " + enobufs[0]);
            runOnceWithoutWaiting();
            if (ring.available() == 0 || !starved.isEmpty()) {
                for (int id : held) ring.recycle(id);
                held.clear();
                List<Integer> again = new ArrayList<>(starved);
                starved.clear();
                for (int c : again) arm[c].run(); // ENOBUFS read nothing: the stream goes on from where it was
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(enobufs[0] > 0, "16 buffers held across 50 busy connections run out");
        for (int c = 0; c < conns; c++) {
            byte[] b = got[c].toByteArray();
            assertEquals(perConn, b.length, "connection " + c);
            for (int k = 0; k < perConn; k++) {
                if (b[k] != pattern(c, k)) throw new AssertionError("connection " + c + " byte " + k + " differs");
            }
        }
        for (int id : held) ring.recycle(id);
        assertEquals(16, ring.available());
    }

    @Test
    void aThrowingRecvHandlerIsReportedItsBufferRecycledAndTheStreamGoesOn() {
        assumeIoSupports(AsyncIo.Op.RECV_MULTISHOT);
        BufferRing ring = io().bufferRing(2, 64);
        int[] tcp = tcpPair();
        List<Byte> got = new ArrayList<>();
        Request<Integer> stream = io().recvMultishot(tcp[1], ring, (data, id) -> {
            got.add(data.get(ValueLayout.JAVA_BYTE, 0));
            if (got.size() == 1) throw new IllegalStateException("handler bug");
            ring.recycle(id);
        });
        runOnceWithoutWaiting();
        Fds.write(tcp[0], (byte) 1);
        runUntilOrFail(() -> got.size() == 1);
        assertEquals(2, ring.available(), "the thrower's buffer went back");
        Fds.write(tcp[0], (byte) 2);
        runUntilOrFail(() -> got.size() == 2);
        assertEquals(List.of((byte) 1, (byte) 2), got);
        assertEquals(1, uncaught.size());
        assertTrue(stream.isInProgress());
    }

    @Test
    void cancelStopsAMultishotRecvAndLeavesNoBufferWithTheKernel() {
        assumeIoSupports(AsyncIo.Op.RECV_MULTISHOT);
        BufferRing ring = io().bufferRing(4, 64);
        int[] tcp = tcpPair();
        int[] deliveries = {0};
        Request<Integer> stream = io().recvMultishot(tcp[1], ring, (data, id) -> {
            deliveries[0]++;
            ring.recycle(id);
        });
        runOnceWithoutWaiting();
        assertFalse(stream.cancel(), "completes later");
        runUntilOrFail(() -> !stream.isInProgress());
        assertEquals(Errno.ECANCELED, errnoOf(stream));
        assertEquals(4, ring.available(), "no buffer stays lent");
        Fds.write(tcp[0], (byte) 42);
        runOnceWithoutWaiting();
        assertEquals(0, deliveries[0], "nothing received after the cancel");
        long until = System.nanoTime() + 2_000_000_000L;
        byte[] b;
        while ((b = Fds.read(tcp[1], 8)) == null && System.nanoTime() < until) Thread.onSpinWait();
        assertArrayEquals(new byte[] {42}, b, "the byte stayed in the socket");
        assertEquals(4, ring.available());
    }

    @Test
    void aMultishotRecvDeadlineEndsItWithATimeout() {
        assumeIoSupports(AsyncIo.Op.RECV_MULTISHOT);
        BufferRing ring = io().bufferRing(2, 64);
        int[] tcp = tcpPair();
        Request<Integer> stream = io().recvMultishot(tcp[1], ring, (data, id) -> ring.recycle(id));
        stream.setEndTime(System.nanoTime() + 30_000_000L);
        runUntilOrFail(() -> !stream.isInProgress());
        assertInstanceOf(TimeoutException.class, stream.cause(), "cause: " + stream.cause());
        assertEquals(2, ring.available());
    }

    @Test
    void aThousandIdleConnectionsPinNoBuffer() {
        assumeIoSupports(AsyncIo.Op.RECV_MULTISHOT);
        BufferRing ring = io().bufferRing(4, 256);
        int[][] pairs = new int[1000][];
        int[] got = {0};
        for (int c = 0; c < pairs.length; c++) {
            pairs[c] = socketpair();
            io().recvMultishot(pairs[c][1], ring, (data, id) -> {
                got[0]++;
                ring.recycle(id);
            });
        }
        runOnceWithoutWaiting();
        assertEquals(4, ring.available(), "1000 armed, idle receives hold no buffer");
        Fds.write(pairs[777][0], (byte) 7);
        runUntilOrFail(() -> got[0] == 1);
        assertEquals(4, ring.available());
    }

    @Test
    void multishotRecvAfterAPeerResetFailsWithEconnreset() throws Exception {
        assumeIoSupports(AsyncIo.Op.RECV_MULTISHOT);
        BufferRing ring = io().bufferRing(2, 64);
        int[] tcp = tcpPair();
        Request<Integer> stream = io().recvMultishot(tcp[1], ring, (data, id) -> ring.recycle(id));
        runOnceWithoutWaiting();
        Fds.reset(tcp[0]);
        untrack(tcp[0]);
        runUntilOrFail(() -> !stream.isInProgress());
        assertEquals(Errno.ECONNRESET, errnoOf(stream));
        assertEquals(2, ring.available());
    }

    // ------------------------------------------------------------------ loop close

    @Test
    void closingTheLoopWithEverythingArmedCompletesAllAndFreesTheBuffers() {
        assumeIoSupports(AsyncIo.Op.ACCEPT_MULTISHOT);
        assumeIoSupports(AsyncIo.Op.RECV_MULTISHOT);
        MemorySegment addr = sockaddr();
        int lfd = listener(addr);
        int lfd2 = listener(sockaddr());
        BufferRing ring = io().bufferRing(8, 64);
        List<Request<Integer>> reqs = new ArrayList<>();
        List<Integer> accepted = new ArrayList<>();
        reqs.add(io().acceptMultishot(lfd, 0, fd -> {
            accepted.add(fd);
            track(new int[] {fd});
        }));
        reqs.add(io().accept(lfd2, 0));
        List<MemorySegment> lent = new ArrayList<>();
        List<Integer> lentIds = new ArrayList<>();
        int[][] pairs = new int[10][];
        for (int c = 0; c < pairs.length; c++) {
            pairs[c] = tcpPair();
            reqs.add(io().recvMultishot(pairs[c][1], ring, (data, id) -> {
                lent.add(data);
                lentIds.add(id);
            }));
        }
        runOnceWithoutWaiting();
        connectedClient(addr);
        for (int c = 0; c < 3; c++) Fds.write(pairs[c][0], (byte) c);
        runUntilOrFail(() -> lent.size() == 3 && accepted.size() == 1);
        for (int c = 3; c < 7; c++) Fds.write(pairs[c][0], (byte) c); // may arrive during the close (7 < 8 buffers)
        loop.close();
        for (Request<Integer> r : reqs) {
            assertFalse(r.isInProgress(), "every op completed before close returned");
            assertEquals(Errno.ECANCELED, errnoOf(r));
        }
        assertThrows(IllegalStateException.class, () -> lent.get(0).get(ValueLayout.JAVA_BYTE, 0),
                "the buffer memory was freed with the loop");
        ring.recycle(lentIds.get(0)); // ignored after close
    }
}
