package dev.tevent4j.contract;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.EventLoop;
import dev.tevent4j.RegisteredBuffers;
import dev.tevent4j.Request;
import dev.tevent4j.RequestException;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AsyncIo#registerBuffers} (docs/asyncio.md, "Registered resources") against a real file
 * on /dev/shm (tmpfs) and real sockets: READ_FIXED and WRITE_FIXED on io_uring, pread/pwrite on
 * the thread pool, with the same results and errnos; the memory is never freed while an op may
 * write it.
 */
@Timeout(30)
public abstract class RegisteredBuffersContract extends LoopContract {
    private Arena arena;
    private Path file;
    private int fileFd = -1;

    @BeforeEach
    void openFile() throws IOException {
        arena = Arena.ofShared();
        Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of("/tmp");
        file = Files.createTempFile(dir, "tevent4j-regbuf", ".bin");
        fileFd = Libc.open(arena.allocateFrom(file.toString()), Libc.O_RDWR | Libc.O_CLOEXEC, 0);
        assertTrue(fileFd >= 0, "open the temp file: " + Errno.name(-fileFd));
        track(new int[] {fileFd});
    }

    @AfterEach
    void removeFile() throws IOException {
        loop.close(); // drains ops before the file goes
        arena.close();
        Files.deleteIfExists(file);
    }

    /** Runs the loop for 10 ms: ops get submitted and whatever completes comes in, without blocking forever. */
    private void settle() {
        boolean[] done = {false};
        loop.addTimer(java.time.Duration.ofMillis(10), (t, now) -> done[0] = true);
        loop.runUntil(() -> done[0]);
    }

    private AsyncIo io() {
        return loop.io();
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }


    private static long inMillis(long ms) {
        return System.nanoTime() + ms * 1_000_000L;
    }

    @Test
    void theOpsAreSupported() {
        assertTrue(io().supports(AsyncIo.Op.READ_FIXED), io().kind());
        assertTrue(io().supports(AsyncIo.Op.WRITE_FIXED), io().kind());
    }

    @Test
    void theTableHasTheBuffersAskedForInPageAlignedLibraryMemory() {
        try (RegisteredBuffers rb = io().registerBuffers(3, 1000)) {
            assertEquals(3, rb.count());
            assertEquals(1000, rb.size());
            assertEquals(0, rb.buffer(0).address() % 4096, "page aligned");
            for (int i = 0; i < 3; i++) {
                assertEquals(1000, rb.buffer(i).byteSize());
                assertTrue(rb.buffer(i).isNative());
            }
            assertEquals(1000, rb.buffer(1).address() - rb.buffer(0).address(), "one buffer after the other");
        }
    }

    @Test
    void aWriteFromOneBufferAndAReadIntoAnotherRoundTripAFile() {
        try (RegisteredBuffers rb = io().registerBuffers(4, 4096)) {
            byte[] data = pattern(4096, 7);
            MemorySegment.copy(data, 0, rb.buffer(1), ValueLayout.JAVA_BYTE, 0, data.length);
            assertEquals(4096, rb.write(fileFd, 1, 4096, 8192).await());
            // what the kernel wrote, as pread(2) sees it
            MemorySegment check = arena.allocate(4096);
            assertEquals(4096, Libc.pread(fileFd, check, 4096, 8192));
            assertArrayEquals(data, check.toArray(ValueLayout.JAVA_BYTE));
            assertEquals(4096, rb.read(fileFd, 2, 4096, 8192).await());
            assertArrayEquals(data, rb.buffer(2).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(0, rb.inFlight());
        }
    }

    @Test
    void aReadPastTheEndIsShortThenZeroAsPreadIs() {
        MemorySegment hundred = arena.allocate(100);
        hundred.fill((byte) 3);
        assertEquals(100, Libc.pwrite(fileFd, hundred, 100, 0));
        try (RegisteredBuffers rb = io().registerBuffers(1, 4096)) {
            assertEquals(100, rb.read(fileFd, 0, 4096, 0).await());
            assertEquals(3, rb.buffer(0).get(ValueLayout.JAVA_BYTE, 99));
            assertEquals(0, rb.read(fileFd, 0, 4096, 100).await());
            assertEquals(40, rb.read(fileFd, 0, 40, 60).await(), "the length given, not the buffer's");
        }
    }

    @Test
    void offsetMinusOneUsesAndMovesTheFilePosition() {
        try (RegisteredBuffers rb = io().registerBuffers(1, 16)) {
            rb.buffer(0).fill((byte) 'a');
            assertEquals(16, rb.write(fileFd, 0, 16, -1).await());
            rb.buffer(0).fill((byte) 'b');
            assertEquals(8, rb.write(fileFd, 0, 8, -1).await());
            MemorySegment check = arena.allocate(24);
            assertEquals(24, Libc.pread(fileFd, check, 24, 0));
            assertEquals('a', check.get(ValueLayout.JAVA_BYTE, 15));
            assertEquals('b', check.get(ValueLayout.JAVA_BYTE, 16));
        }
    }

    @Test
    void socketsWorkTooAndAReadWaitsForData() {
        int[] sp = socketpair();
        try (RegisteredBuffers rb = io().registerBuffers(2, 64)) {
            Request<Integer> read = rb.read(sp[0], 0, 64, -1);
            settle();
            assertTrue(read.isInProgress(), "nothing to read yet");
            assertEquals(1, rb.inFlight());
            byte[] hello = "hello, fixed".getBytes();
            MemorySegment.copy(hello, 0, rb.buffer(1), ValueLayout.JAVA_BYTE, 0, hello.length);
            assertEquals(hello.length, rb.write(sp[1], 1, hello.length, -1).await());
            assertEquals(hello.length, read.await());
            assertArrayEquals(hello, rb.buffer(0).asSlice(0, hello.length).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void aReadOfAWriteOnlyFdFailsWithEbadfOnBoth() {
        int[] p = pipe();
        try (RegisteredBuffers rb = io().registerBuffers(1, 16)) {
            Request<Integer> r = rb.read(p[1], 0, 16, -1);
            loop.runUntil(() -> !r.isInProgress());
            assertEquals(Errno.EBADF, errnoOf(r));
            assertEquals(0, rb.inFlight());
        }
    }

    @Test
    void badArgumentsAreRefusedAtTheCallAndTheLoopGoesOn() {
        assertThrows(IllegalArgumentException.class, () -> io().registerBuffers(0, 16));
        assertThrows(IllegalArgumentException.class, () -> io().registerBuffers(16385, 16));
        assertThrows(IllegalArgumentException.class, () -> io().registerBuffers(1, 0));
        assertThrows(IllegalArgumentException.class, () -> io().registerBuffers(1, (1 << 30) + 1));
        try (RegisteredBuffers rb = io().registerBuffers(2, 16)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rb.read(fileFd, 2, 16, 0));
            assertTrue(e.getMessage().contains("index 2"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> rb.read(fileFd, -1, 16, 0));
            e = assertThrows(IllegalArgumentException.class, () -> rb.write(fileFd, 0, 17, 0));
            assertTrue(e.getMessage().contains("length 17"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> rb.write(fileFd, 0, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> rb.read(-1, 0, 16, 0));
            assertThrows(IllegalArgumentException.class, () -> rb.buffer(2));
            assertEquals(0, rb.inFlight(), "nothing was started");
            assertEquals(16, rb.write(fileFd, 0, 16, 0).await(), "the table still works");
        }
        assertEquals(0, io().nop().await(), "the loop still works");
    }

    @Test
    void memoryThatCannotBeHadFailsWithEnomemAndLeavesNoTable() {
        // 16384 x 1 GiB: no machine allocates it, so ring and pool answer alike
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> io().registerBuffers(16384, 1 << 30));
        assertEquals(Errno.ENOMEM, assertInstanceOf(ErrnoException.class, e.getCause()).errno());
        try (RegisteredBuffers rb = io().registerBuffers(1, 16)) {
            assertEquals(16, rb.write(fileFd, 0, 16, 0).await(), "no table was left behind");
        }
    }

    @Test
    void oneTableAtATimeAndANewOneAfterClose() {
        RegisteredBuffers first = io().registerBuffers(1, 16);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> io().registerBuffers(1, 16));
        assertTrue(e.getMessage().contains("open"), e.getMessage());
        first.close();
        assertTrue(first.isClosed());
        assertThrows(IllegalStateException.class, () -> first.buffer(0));
        assertThrows(IllegalStateException.class, () -> first.read(fileFd, 0, 16, 0));
        first.close(); // idempotent
        try (RegisteredBuffers second = io().registerBuffers(2, 32)) {
            second.buffer(1).fill((byte) 5);
            assertEquals(32, second.write(fileFd, 1, 32, 0).await());
        }
    }

    @Test
    void theOpsJoinALinkedChainAsAnyOther() {
        try (RegisteredBuffers rb = io().registerBuffers(2, 64)) {
            rb.buffer(0).fill((byte) 'L');
            Request<Integer> write, read;
            try (dev.tevent4j.IoLink chain = io().link()) {
                write = rb.write(fileFd, 0, 64, 0);
                read = rb.read(fileFd, 1, 64, 0); // starts only once the write succeeded
            }
            assertEquals(64, read.await());
            assertEquals(64, write.result());
            assertEquals('L', rb.buffer(1).get(ValueLayout.JAVA_BYTE, 63), "the read saw the write");
            assertEquals(0, rb.inFlight());
        }
    }

    @Test
    void closeIsRefusedWhileAnOpIsInFlightAndWorksAfterItsCompletion() {
        int[] sp = socketpair();
        RegisteredBuffers rb = io().registerBuffers(1, 16);
        Request<Integer> read = rb.read(sp[0], 0, 16, -1);
        settle();
        IllegalStateException e = assertThrows(IllegalStateException.class, rb::close);
        assertTrue(e.getMessage().contains("in flight"), e.getMessage());
        assertFalse(rb.isClosed());
        assertEquals(2, Fds.write(sp[1], (byte) 4, (byte) 2));
        assertEquals(2, read.await());
        assertEquals(4, rb.buffer(0).get(ValueLayout.JAVA_BYTE, 0), "the memory was never freed under the kernel");
        rb.close();
        assertTrue(rb.isClosed());
    }

    @Test
    void aTimedOutReadFailsWithTimeoutOnlyOnceTheKernelLetGoOfTheBuffer() {
        int[] sp = socketpair();
        RegisteredBuffers rb = io().registerBuffers(1, 16);
        rb.buffer(0).fill((byte) 0x5A);
        Request<Integer> r = rb.read(sp[0], 0, 16, -1);
        r.setEndTime(inMillis(20));
        int[] inFlightAtCleanup = {-1};
        r.setCleanupFn(req -> {
            inFlightAtCleanup[0] = rb.inFlight();
            rb.close(); // the documented place to free: allowed, nothing is in flight
        });
        loop.runUntil(() -> !r.isInProgress());
        assertInstanceOf(TimeoutException.class, r.cause(), "cause: " + r.cause());
        assertEquals(0, inFlightAtCleanup[0]);
        assertTrue(rb.isClosed());
        // the peer's bytes stay in the socket: no orphaned read took them
        assertEquals(3, Fds.write(sp[1], (byte) 1, (byte) 2, (byte) 3));
        settle();
        assertArrayEquals(new byte[] {1, 2, 3}, Fds.read(sp[0], 16));
    }

    @Test
    void cancelFailsTheReadWithEcanceled() {
        int[] sp = socketpair();
        try (RegisteredBuffers rb = io().registerBuffers(1, 16)) {
            Request<Integer> r = rb.read(sp[0], 0, 16, -1);
            settle();
            assertFalse(r.cancel(), "an op's cancel completes later");
            loop.runUntil(() -> !r.isInProgress());
            assertEquals(Errno.ECANCELED, errnoOf(r));
            assertEquals(0, rb.inFlight());
        }
    }

    @Test
    void closingTheLoopDrainsTheOpsThenClosesTheTable() {
        int[] sp = socketpair();
        RegisteredBuffers rb = io().registerBuffers(2, 16);
        Request<Integer> r = rb.read(sp[0], 0, 16, -1);
        settle();
        loop.close();
        assertFalse(r.isInProgress());
        assertTrue(rb.isClosed(), "the loop's close closed the table");
        assertEquals(0, rb.inFlight());
        assertThrows(IllegalStateException.class, () -> rb.buffer(0));
    }

    @Test
    void aNewLoopCanRegisterAgainAfterTheFirstClosed() {
        io().registerBuffers(4, 4096); // left open: the loop's close unregisters it
        loop.close();
        loop = EventLoop.open(backend());
        try (RegisteredBuffers rb = loop.io().registerBuffers(4, 4096)) {
            rb.buffer(3).fill((byte) 9);
            assertEquals(4096, rb.write(fileFd, 3, 4096, 0).await());
        }
    }
}
