package dev.tevent4j.contract;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.RegisteredFiles;
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
 * {@link AsyncIo#registerFiles} (docs/asyncio.md, "Registered resources") with real files and
 * sockets: IOSQE_FIXED_FILE on io_uring, a duplicate per slot on the thread pool. An empty slot
 * gives EBADF on both; the table holds its own reference to each file, so the caller's close
 * of its fd does not close the file until the slot is emptied.
 */
@Timeout(30)
public abstract class RegisteredFilesContract extends LoopContract {
    private Arena arena;
    private Path file;
    private int fileFd = -1;

    @BeforeEach
    void openFile() throws IOException {
        arena = Arena.ofShared();
        file = Files.createTempFile(Path.of("/tmp"), "tevent4j-regfiles", ".bin");
        fileFd = Libc.open(arena.allocateFrom(file.toString()), Libc.O_RDWR | Libc.O_CLOEXEC, 0);
        assertTrue(fileFd >= 0, "open the temp file: " + Errno.name(-fileFd));
        track(new int[] {fileFd});
    }

    @AfterEach
    void removeFile() throws IOException {
        loop.close();
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

    private MemorySegment bytes(String s) {
        byte[] b = s.getBytes();
        MemorySegment m = arena.allocate(b.length);
        MemorySegment.copy(b, 0, m, ValueLayout.JAVA_BYTE, 0, b.length);
        return m;
    }


    /** Reads {@code fd} until something (or end of file) arrives, for at most 5 s; the last result. */
    private static long readWithin5s(int fd) {
        long until = System.nanoTime() + 5_000_000_000L;
        long n;
        do {
            n = Fds.readResult(fd, 64);
        } while (n == -Errno.EAGAIN && System.nanoTime() < until);
        return n;
    }

    @Test
    void theOpIsSupported() {
        assertTrue(io().supports(AsyncIo.Op.FIXED_FILES), io().kind());
    }

    @Test
    void aFileInASlotIsWrittenAndReadThroughTheSlot() {
        try (RegisteredFiles files = io().registerFiles(8)) {
            assertEquals(8, files.capacity());
            int slot = files.add(fileFd);
            assertEquals(0, slot, "the lowest empty slot");
            assertTrue(files.isSet(slot));
            assertEquals(5, files.write(slot, bytes("fixed"), 10).await());
            MemorySegment check = arena.allocate(5);
            assertEquals(5, Libc.pread(fileFd, check, 5, 10), "pread(2) sees what the slot's write wrote");
            assertArrayEquals("fixed".getBytes(), check.toArray(ValueLayout.JAVA_BYTE));
            MemorySegment back = arena.allocate(32);
            assertEquals(5, files.read(slot, back, 10).await());
            assertArrayEquals("fixed".getBytes(), back.asSlice(0, 5).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(0, files.read(slot, back, 15).await(), "end of file");
            assertEquals(0, files.inFlight());
        }
    }

    @Test
    void socketsSendAndReceiveThroughSlots() {
        int[] sp = socketpair();
        try (RegisteredFiles files = io().registerFiles(4)) {
            int a = files.add(sp[0]);
            int b = files.add(sp[1]);
            assertEquals(1, b);
            MemorySegment in = arena.allocate(64);
            Request<Integer> recv = files.recv(b, in, 0);
            settle();
            assertTrue(recv.isInProgress(), "nothing sent yet: the recv waits");
            assertEquals(4, files.send(a, bytes("ping"), 0).await());
            assertEquals(4, recv.await());
            assertArrayEquals("ping".getBytes(), in.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void anEmptySlotGivesEbadfAsTheKernelDoes() {
        try (RegisteredFiles files = io().registerFiles(4)) {
            MemorySegment buf = arena.allocate(8);
            Request<Integer> r = files.read(2, buf, 0);
            loop.runUntil(() -> !r.isInProgress());
            assertEquals(Errno.EBADF, errnoOf(r));
            int slot = files.add(fileFd);
            files.remove(slot);
            assertFalse(files.isSet(slot));
            Request<Integer> w = files.write(slot, buf, 0);
            loop.runUntil(() -> !w.isInProgress());
            assertEquals(Errno.EBADF, errnoOf(w), "a removed slot is empty");
            Request<Integer> s = files.send(3, buf, 0);
            loop.runUntil(() -> !s.isInProgress());
            assertEquals(Errno.EBADF, errnoOf(s));
            assertEquals(0, files.inFlight());
        }
    }

    @Test
    void badArgumentsAreRefusedAtTheCallAndTheLoopGoesOn() {
        assertThrows(IllegalArgumentException.class, () -> io().registerFiles(0));
        assertThrows(IllegalArgumentException.class, () -> io().registerFiles((1 << 20) + 1));
        try (RegisteredFiles files = io().registerFiles(2)) {
            MemorySegment buf = arena.allocate(8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> files.read(2, buf, 0));
            assertTrue(e.getMessage().contains("slot 2"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> files.recv(-1, buf, 0));
            assertThrows(IllegalArgumentException.class, () -> files.remove(5));
            assertThrows(IllegalArgumentException.class, () -> files.isSet(2));
            assertThrows(IllegalArgumentException.class, () -> files.add(-1));
            assertThrows(IllegalArgumentException.class, () -> files.write(0, MemorySegment.ofArray(new byte[4]), 0),
                    "a heap buffer");
            int[] p = Fds.pipe();
            Fds.close(p[0]);
            Fds.close(p[1]);
            e = assertThrows(IllegalArgumentException.class, () -> files.add(p[0]));
            assertTrue(e.getMessage().contains("not open"), e.getMessage());
            assertFalse(files.isSet(0), "a refused add takes no slot");
            assertEquals(0, files.inFlight());
            assertEquals(0, files.add(fileFd), "the table still works");
        }
        assertEquals(0, io().nop().await(), "the loop still works");
    }

    @Test
    void slotsAreReusedLowestFirstAndAFullTableRefusesAnAdd() {
        int[] sp = socketpair();
        try (RegisteredFiles files = io().registerFiles(3)) {
            assertEquals(0, files.add(sp[0]));
            assertEquals(1, files.add(sp[1]));
            assertEquals(2, files.add(fileFd));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> files.add(fileFd));
            assertTrue(e.getMessage().contains("taken"), e.getMessage());
            files.remove(1);
            files.remove(1); // an empty slot: nothing to do
            assertEquals(1, files.add(fileFd));
            files.remove(0);
            assertEquals(0, files.add(sp[0]));
        }
    }

    @Test
    void theTableKeepsTheFileOpenAfterTheCallerClosedItsFdUntilTheSlotIsEmptied() {
        int[] sp = Fds.socketpair();
        track(new int[] {sp[1]});
        try (RegisteredFiles files = io().registerFiles(2)) {
            int slot = files.add(sp[0]);
            Fds.close(sp[0]); // the caller's fd: the table's reference keeps the socket
            assertEquals(-Errno.EAGAIN, Fds.readResult(sp[1], 16), "no end of file for the peer yet");
            assertEquals(3, files.send(slot, bytes("bye"), 0).await(), "the slot still reaches the socket");
            assertArrayEquals("bye".getBytes(), Fds.read(sp[1], 16));
            files.remove(slot);
            assertEquals(0, readWithin5s(sp[1]), "emptying the slot dropped the last reference: end of file");
        }
    }

    @Test
    void slotOpsJoinALinkedChainAsAnyOther() {
        try (RegisteredFiles files = io().registerFiles(1)) {
            int slot = files.add(fileFd);
            MemorySegment back = arena.allocate(8);
            Request<Integer> write, read;
            try (dev.tevent4j.IoLink chain = io().link()) {
                write = files.write(slot, bytes("chained"), 0);
                read = files.read(slot, back, 0); // starts only once the write succeeded
            }
            assertEquals(7, read.await());
            assertEquals(7, write.result());
            assertArrayEquals("chained".getBytes(), back.asSlice(0, 7).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void closingTheTableLeavesTheCallersFdsOpen() {
        int[] sp = socketpair();
        RegisteredFiles files = io().registerFiles(2);
        files.add(sp[0]);
        files.close();
        assertTrue(files.isClosed());
        assertThrows(IllegalStateException.class, () -> files.add(sp[1]));
        assertThrows(IllegalStateException.class, () -> files.read(0, arena.allocate(4), 0));
        files.close(); // idempotent
        assertEquals(2, Fds.write(sp[0], (byte) 1, (byte) 2), "the caller's fd is still open");
        assertArrayEquals(new byte[] {1, 2}, Fds.read(sp[1], 16));
    }

    @Test
    void oneTableAtATimeAndANewOneAfterClose() {
        RegisteredFiles first = io().registerFiles(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> io().registerFiles(2));
        assertTrue(e.getMessage().contains("open"), e.getMessage());
        first.close();
        try (RegisteredFiles second = io().registerFiles(16)) {
            assertEquals(0, second.add(fileFd));
            assertEquals(3, second.write(0, bytes("two"), 0).await());
        }
    }

    @Test
    void closeIsRefusedWhileAnOpIsInFlightAndATimedOutRecvLeavesNothingInFlight() {
        int[] sp = socketpair();
        RegisteredFiles files = io().registerFiles(2);
        int slot = files.add(sp[0]);
        Request<Integer> r = files.recv(slot, arena.allocate(16), 0);
        r.setEndTime(System.nanoTime() + 20_000_000L);
        settle();
        IllegalStateException e = assertThrows(IllegalStateException.class, files::close);
        assertTrue(e.getMessage().contains("in flight"), e.getMessage());
        loop.runUntil(() -> !r.isInProgress());
        assertInstanceOf(TimeoutException.class, r.cause(), "cause: " + r.cause());
        assertEquals(0, files.inFlight());
        files.close();
        // no orphaned recv took the peer's next bytes
        assertEquals(2, Fds.write(sp[1], (byte) 8, (byte) 9));
        settle();
        assertArrayEquals(new byte[] {8, 9}, Fds.read(sp[0], 16));
    }

    @Test
    void cancelFailsARecvOnASlotWithEcanceled() {
        int[] sp = socketpair();
        try (RegisteredFiles files = io().registerFiles(1)) {
            Request<Integer> r = files.recv(files.add(sp[0]), arena.allocate(16), 0);
            settle();
            assertFalse(r.cancel());
            loop.runUntil(() -> !r.isInProgress());
            assertEquals(Errno.ECANCELED, errnoOf(r));
        }
    }

    @Test
    void removingASlotWhileAnOpUsesItLetsTheOpFinishOnTheFile() {
        int[] sp = socketpair();
        try (RegisteredFiles files = io().registerFiles(1)) {
            int slot = files.add(sp[0]);
            MemorySegment in = arena.allocate(16);
            Request<Integer> r = files.recv(slot, in, 0);
            settle(); // submitted: the op holds the file now
            files.remove(slot);
            assertEquals(2, Fds.write(sp[1], (byte) 6, (byte) 7));
            assertEquals(2, r.await());
            assertEquals(7, in.get(ValueLayout.JAVA_BYTE, 1));
        }
    }

    @Test
    void closingTheLoopDrainsTheOpsThenClosesTheTable() {
        int[] sp = socketpair();
        RegisteredFiles files = io().registerFiles(2);
        Request<Integer> r = files.recv(files.add(sp[0]), arena.allocate(16), 0);
        settle();
        loop.close();
        assertFalse(r.isInProgress());
        assertTrue(files.isClosed());
        assertTrue(Fds.isOpen(sp[0]), "the caller's fd is the caller's");
    }
}
