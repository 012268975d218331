package dev.tevent4j.contract;

import dev.tevent4j.Request;
import dev.tevent4j.RequestException;
import dev.tevent4j.AsyncIo;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AsyncIo: every op against real files (a temp dir and /dev/shm) and real sockets. The ring and
 * the thread pool must give the same answers, so the same assertions run on each backend.
 */
public abstract class AsyncIoContract extends LoopContract {
    private Arena arena;
    private final List<Path> files = new ArrayList<>();

    @BeforeEach
    void openArena() {
        arena = Arena.ofShared();
    }

    @AfterEach
    void closeArena() throws IOException {
        loop.close(); // drains ops before their buffers go
        arena.close();
        for (Path p : files) Files.deleteIfExists(p);
    }

    private AsyncIo io() {
        return loop.io();
    }

    private Path file(String dir, byte[] content) throws IOException {
        Path p = Files.createTempFile(Path.of(dir), "tevent4j-io", ".bin");
        Files.write(p, content);
        files.add(p);
        return p;
    }

    private int open(Path p, int flags) {
        int fd = io().openat(Libc.AT_FDCWD, p.toString(), flags, 0644).await();
        track(new int[] {fd});
        return fd;
    }

    private MemorySegment bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment m = arena.allocate(b.length);
        MemorySegment.copy(b, 0, m, ValueLayout.JAVA_BYTE, 0, b.length);
        return m;
    }

    private static String text(MemorySegment m, int n) {
        return new String(m.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }


    @Test
    void nopCompletesWithZero() {
        assertEquals(0, io().nop().await());
        assertTrue(io().supports(AsyncIo.Op.NOP));
        assertTrue(List.of("io_uring", "threadpool").contains(io().kind()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/tmp", "/dev/shm"})
    void writeThenReadAtOffsetsAndShortReadAtEnd(String dir) throws IOException {
        Path p = file(dir, new byte[0]);
        int fd = open(p, Libc.O_RDWR);
        assertEquals(11, io().write(fd, bytes("hello world"), 0).await());
        assertEquals(5, io().write(fd, bytes("HELLO"), 0).await());
        MemorySegment buf = arena.allocate(4096);
        assertEquals(11, io().read(fd, buf, 0).await(), "short read: the file has 11 bytes");
        assertEquals("HELLO world", text(buf, 11));
        assertEquals(5, io().read(fd, buf.asSlice(0, 5), 6).await());
        assertEquals("world", text(buf, 5));
        assertEquals(0, io().read(fd, buf, 11).await(), "end of file");
        assertEquals("HELLO world", Files.readString(p));
    }

    @Test
    void buffersFromAConfinedArenaWorkOnEveryImplementation() throws IOException {
        int fd = open(file("/tmp", "confined".getBytes(StandardCharsets.UTF_8)), Libc.O_RDONLY);
        try (Arena confined = Arena.ofConfined()) {
            MemorySegment buf = confined.allocate(16);
            assertEquals(8, io().read(fd, buf, 0).await());
            assertEquals("confined", text(buf, 8));
            int[] sp = socketpair();
            MemorySegment out = confined.allocate(3);
            out.fill((byte) 'x');
            assertEquals(3, io().send(sp[0], out, 0).await());
            assertEquals(3, io().recv(sp[1], buf, 0).await());
        }
    }

    @Test
    void offsetMinusOneUsesAndAdvancesTheFilePosition() throws IOException {
        Path p = file("/tmp", "abcdef".getBytes(StandardCharsets.UTF_8));
        int fd = open(p, Libc.O_RDONLY);
        MemorySegment buf = arena.allocate(3);
        assertEquals(3, io().read(fd, buf, -1).await());
        assertEquals("abc", text(buf, 3));
        assertEquals(3, io().read(fd, buf, -1).await());
        assertEquals("def", text(buf, 3));
    }

    @Test
    void readvAndWritevScatterAndGather() throws IOException {
        Path p = file("/dev/shm", new byte[0]);
        int fd = open(p, Libc.O_RDWR);
        assertEquals(9, io().writev(fd, new MemorySegment[] {bytes("abc"), bytes("defg"), bytes("hi")}, 0).await());
        MemorySegment a = arena.allocate(4), b = arena.allocate(5);
        assertEquals(9, io().readv(fd, new MemorySegment[] {a, b}, 0).await());
        assertEquals("abcd", text(a, 4));
        assertEquals("efghi", text(b, 5));
    }

    @Test
    void fsyncAndFdatasyncSucceedOnAFile() throws IOException {
        int fd = open(file("/tmp", "x".getBytes(StandardCharsets.UTF_8)), Libc.O_RDWR);
        assertEquals(0, io().fsync(fd).await());
        assertEquals(0, io().fdatasync(fd).await());
    }

    @Test
    void sendAndRecvOverASocketpair() {
        int[] sp = socketpair();
        assertEquals(4, io().send(sp[0], bytes("ping"), 0).await());
        MemorySegment buf = arena.allocate(16);
        assertEquals(4, io().recv(sp[1], buf, 0).await());
        assertEquals("ping", text(buf, 4));
    }

    @Test
    void recvOnAnEmptyNonBlockingSocketWaitsForDataAsIoUringDoes() {
        int[] sp = socketpair();
        MemorySegment buf = arena.allocate(16);
        Request<Integer> r = io().recv(sp[0], buf, 0);
        loop.addTimer(java.time.Duration.ofMillis(20), (t, now) -> Fds.write(sp[1], (byte) 9));
        assertEquals(1, r.await());
        assertEquals(9, buf.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void readOnAnEmptyNonBlockingPipeWaitsForDataAsIoUringDoes() {
        int[] p = pipe();
        MemorySegment buf = arena.allocate(16);
        Request<Integer> r = io().read(p[0], buf, -1);
        loop.addTimer(java.time.Duration.ofMillis(20), (t, now) -> Fds.write(p[1], (byte) 5));
        assertEquals(1, r.await());
        assertEquals(5, buf.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void recvWithMsgDontwaitOnAnEmptySocketFailsWithEagain() {
        int[] sp = socketpair();
        Request<Integer> r = io().recv(sp[0], arena.allocate(16), Libc.MSG_DONTWAIT);
        loop.runUntil(() -> !r.isInProgress());
        assertEquals(Errno.EAGAIN, errnoOf(r));
        assertTrue(r.cause().getMessage().contains("EAGAIN"), r.cause().getMessage());
    }

    @Test
    void recvAfterAPeerResetFailsWithEconnreset() throws Exception {
        int[] tcp = tcpPair();
        Fds.reset(tcp[1]);
        untrack(tcp[1]);
        Thread.sleep(10);
        Request<Integer> r = io().recv(tcp[0], arena.allocate(16), 0);
        loop.runUntil(() -> !r.isInProgress());
        assertEquals(Errno.ECONNRESET, errnoOf(r));
        assertTrue(r.cause().getMessage().contains("ECONNRESET"));
    }

    @Test
    void sendmsgAndRecvmsgWithSeveralBuffers() {
        int[] sp = socketpair();
        assertEquals(7, io().sendmsg(sp[0], new MemorySegment[] {bytes("abc"), bytes("defg")}, 0).await());
        MemorySegment a = arena.allocate(2), b = arena.allocate(10);
        assertEquals(7, io().recvmsg(sp[1], new MemorySegment[] {a, b}, 0).await());
        assertEquals("ab", text(a, 2));
        assertEquals("cdefg", text(b, 5));
    }

    @Test
    void spliceMovesFileBytesIntoAPipe() throws IOException {
        int fd = open(file("/dev/shm", "0123456789".getBytes(StandardCharsets.UTF_8)), Libc.O_RDONLY);
        int[] p = pipe();
        assertEquals(6, io().splice(fd, 2, p[1], -1, 6, 0).await());
        assertEquals("234567", new String(Fds.read(p[0], 16), StandardCharsets.UTF_8));
    }

    @Test
    void sendZeroCopyCompletesWithTheCountOnceTheBufferIsFree() {
        int[] tcp = tcpPair();
        MemorySegment big = arena.allocate(64 * 1024);
        big.fill((byte) 7);
        Request<Integer> r = io().sendZeroCopy(tcp[0], big, 0);
        int sent = r.await();
        assertTrue(sent > 0 && sent <= big.byteSize(), "sent " + sent);
        long got = 0;
        long until = System.nanoTime() + 5_000_000_000L;
        while (got < sent && System.nanoTime() < until) {
            byte[] b = Fds.read(tcp[1], 65536);
            if (b != null) got += b.length;
        }
        assertEquals(sent, got);
    }

    @Test
    void openatStatxAndClose() throws IOException {
        Path p = file("/tmp", new byte[1234]);
        MemorySegment stx = arena.allocate(Libc.STATX_SIZE_BYTES);
        assertEquals(0, io().statx(Libc.AT_FDCWD, p.toString(), 0, Libc.STATX_SIZE, stx).await());
        assertEquals(1234, stx.get(ValueLayout.JAVA_LONG, Libc.STATX_SIZE_OFFSET));
        int fd = io().openat(Libc.AT_FDCWD, p.toString(), Libc.O_RDONLY, 0).await();
        assertTrue(Fds.isOpen(fd));
        assertEquals(0, io().close(fd).await());
        assertFalse(Fds.isOpen(fd));
        Request<Integer> missing = io().openat(Libc.AT_FDCWD, "/nonexistent/tevent4j", Libc.O_RDONLY, 0);
        loop.runUntil(() -> !missing.isInProgress());
        assertEquals(Errno.ENOENT, errnoOf(missing));
    }

    @Test
    void shortWriteIntoAFullPipe() {
        int[] p = pipe();
        MemorySegment big = arena.allocate(1 << 20);
        int n = io().write(p[1], big, -1).await();
        assertTrue(n > 0 && n < big.byteSize(), "a 64 KiB pipe takes part of 1 MiB: " + n);
    }

    @Test
    void heapSegmentsAndBadFdsAreRefusedAtTheCall() {
        var e = assertThrows(IllegalArgumentException.class, () -> io().read(0, MemorySegment.ofArray(new byte[8]), 0));
        assertTrue(e.getMessage().contains("heap"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> io().write(-1, arena.allocate(1), 0));
        assertThrows(NullPointerException.class, () -> io().recv(0, null, 0));
        assertEquals(0, io().nop().await(), "the loop still works");
    }

    @Test
    void badFdCompletesWithEbadf() {
        Request<Integer> r = io().read(1_000_000, arena.allocate(8), 0);
        loop.runUntil(() -> !r.isInProgress());
        assertEquals(Errno.EBADF, errnoOf(r));
    }

    @Test
    void tenThousandOpsInFlightAllComplete() {
        int total = 10_000;
        int[] done = {0};
        for (int i = 0; i < total; i++) {
            io().nop().onComplete(r -> { if (r.result() == 0) done[0]++; });
        }
        loop.run();
        assertEquals(total, done[0]);
    }

    @Test
    void runStaysAliveWhileAnOpIsInFlight() {
        int[] sp = Fds.blockingSocketpair();
        track(sp);
        MemorySegment buf = arena.allocate(8);
        Request<Integer> r = io().recv(sp[0], buf, 0);
        loop.addTimer(java.time.Duration.ofMillis(20), (t, now) -> Fds.write(sp[1], (byte) 42));
        loop.run();
        assertEquals(1, r.result());
        assertEquals(42, buf.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void cancelAsksAndTheRequestEndsWithEcanceled() {
        int[] sp = Fds.blockingSocketpair();
        track(sp);
        Request<Integer> r = io().recv(sp[0], arena.allocate(8), 0);
        loop.addTimer(java.time.Duration.ofMillis(10), (t, now) -> assertFalse(r.cancel(), "completes later"));
        loop.runUntil(() -> !r.isInProgress());
        assertEquals(Errno.ECANCELED, errnoOf(r));
    }

    @Test
    void closingTheLoopWithAThousandOpsInFlightCancelsAndDrainsThem() {
        int[] sp = Fds.blockingSocketpair();
        track(sp);
        List<Request<Integer>> reqs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            reqs.add(io().recv(sp[0], arena.allocate(8), 0));
        }
        loop.newImmediate(() -> { }).schedule(); // so the iteration does not block
        loop.runOnce(); // submits them
        loop.close();
        for (Request<Integer> r : reqs) {
            assertFalse(r.isInProgress(), "every op completed before close returned");
            assertTrue(r.isError());
        }
    }
}
