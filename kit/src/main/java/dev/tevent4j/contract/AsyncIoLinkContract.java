package dev.tevent4j.contract;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.IoLink;
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
 * Linked AsyncIo ops ({@link IoLink}): order, the kernel's failure rule (errors and short
 * transfers break a soft link, the rest completes with ECANCELED), hard links, link timeouts,
 * quiet sends, cancels and deadlines of ops waiting in a chain, and the loop's close. The ring
 * links SQEs; the pool emulates the same results on its workers.
 */
@Timeout(60)
public abstract class AsyncIoLinkContract extends LoopContract {
    private Arena arena;
    private final List<String> order = new ArrayList<>();

    @BeforeEach
    void openArena() {
        arena = Arena.ofShared();
    }

    @AfterEach
    void closeArena() {
        loop.close(); // drains the ops before their buffers go
        arena.close();
    }

    private AsyncIo io() {
        return loop.io();
    }


    private MemorySegment bytes(String s) {
        return arena.allocateFrom(s).asSlice(0, s.length());
    }

    private <T> Request<T> noted(String name, Request<T> r) {
        r.onComplete(x -> order.add(name));
        return r;
    }


    private void awaitAll(Request<?>... rs) {
        runUntilOrFail(() -> {
            for (Request<?> r : rs) if (r.isInProgress()) return false;
            return true;
        });
    }

    /** A closed fd number: ops on it fail with EBADF. */
    private int closedFd() {
        int[] p = Fds.pipe();
        Fds.close(p[0]);
        Fds.close(p[1]);
        return p[0];
    }

    private int fileWith(byte[] content) throws IOException {
        Path f = Files.createTempFile("tevent4j-link", ".bin");
        Files.write(f, content);
        f.toFile().deleteOnExit();
        int fd = Libc.openat(Libc.AT_FDCWD, arena.allocateFrom(f.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        assertTrue(fd >= 0, "open " + f);
        track(new int[] {fd});
        return fd;
    }

    // ------------------------------------------------------------------ order and failures

    @Test
    void aSoftChainRunsInOrderAndEachOpCompletesItsOwnRequest() {
        int[] p = pipe();
        Request<Integer> w, r, n;
        MemorySegment in = arena.allocate(3); // a read shorter than asked would break the link
        try (IoLink chain = io().link()) {
            assertTrue(chain.isOpen());
            w = noted("write", io().write(p[1], bytes("abc"), -1));
            r = noted("read", io().read(p[0], in, -1));
            n = noted("nop", io().nop());
        }
        awaitAll(w, r, n);
        assertEquals(3, w.result());
        assertEquals(3, r.result());
        assertEquals(0, n.result());
        assertEquals(List.of("write", "read", "nop"), order);
        assertEquals("abc", new String(in.asSlice(0, 3).toArray(ValueLayout.JAVA_BYTE)));
    }

    @Test
    void aFailureCancelsTheRestOfASoftChain() {
        int[] p = pipe();
        Request<Integer> bad, w, n;
        try (IoLink chain = io().link()) {
            bad = noted("bad", io().read(closedFd(), arena.allocate(8), -1));
            w = noted("write", io().write(p[1], bytes("x"), -1));
            n = noted("nop", io().nop());
        }
        awaitAll(bad, w, n);
        assertEquals(Errno.EBADF, errnoOf(bad));
        assertEquals(Errno.ECANCELED, errnoOf(w), "the op after a failure never runs");
        assertEquals(Errno.ECANCELED, errnoOf(n));
        assertEquals(List.of("bad", "write", "nop"), order);
        assertEquals(-Errno.EAGAIN, Fds.readResult(p[0], 8), "the cancelled write wrote nothing");
    }

    @Test
    void aShortReadBreaksASoftChainAsTheKernelDoes() throws IOException {
        int fd = fileWith(new byte[10]);
        Request<Integer> r, n;
        try (IoLink chain = io().link()) {
            r = io().read(fd, arena.allocate(100), 0);
            n = io().nop();
        }
        awaitAll(r, n);
        assertEquals(10, r.result(), "the short read itself succeeds");
        assertEquals(Errno.ECANCELED, errnoOf(n), "but counts as a failure of the link");
    }

    @Test
    void aHardChainRunsOnAfterAFailure() {
        Request<Integer> bad, n1, n2;
        try (IoLink chain = io().hardLink()) {
            bad = noted("bad", io().read(closedFd(), arena.allocate(8), -1));
            n1 = noted("nop1", io().nop());
            n2 = noted("nop2", io().nop());
        }
        awaitAll(bad, n1, n2);
        assertEquals(Errno.EBADF, errnoOf(bad));
        assertEquals(0, n1.result());
        assertEquals(0, n2.result());
        assertEquals(List.of("bad", "nop1", "nop2"), order);
    }

    @Test
    void fileToPipeToSocketSpliceInOneChain() throws IOException {
        byte[] content = new byte[48 * 1024];
        for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 13 + (i >> 9));
        int file = fileWith(content);
        int[] p = Fds.blockingPipe();
        track(p);
        int[] sp = socketpair();
        MemorySegment header = bytes("HDR:");
        Request<Integer> h, in, out;
        try (IoLink chain = io().link()) {
            h = io().send(sp[0], header, 0);
            in = io().splice(file, 0, p[1], -1, content.length, 0);
            out = io().splice(p[0], -1, sp[0], -1, content.length, 0);
        }
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        runUntilOrFail(() -> {
            byte[] chunk = Fds.read(sp[1], 65536);
            if (chunk != null) got.writeBytes(chunk);
            return !out.isInProgress() && got.size() >= content.length + 4;
        });
        assertEquals(4, h.result());
        assertEquals(content.length, in.result());
        assertEquals(content.length, out.result());
        byte[] all = got.toByteArray();
        assertEquals("HDR:", new String(all, 0, 4));
        assertArrayEquals(content, java.util.Arrays.copyOfRange(all, 4, all.length));
    }

    // ------------------------------------------------------------------ link timeouts

    @Test
    void aLinkTimeoutFailsAStuckOpWithEtimeAndBreaksTheChain() {
        assumeIoSupports(AsyncIo.Op.LINK_TIMEOUT);
        int[] sp = socketpair();
        Request<Integer> r, n;
        long start = System.nanoTime();
        try (IoLink chain = io().link()) {
            r = io().recv(sp[0], arena.allocate(8), 0);
            chain.timeout(Duration.ofMillis(50));
            n = io().nop();
        }
        awaitAll(r, n);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Errno.ETIME, errnoOf(r), "the op its timeout cancelled fails with ETIME");
        assertEquals(Errno.ECANCELED, errnoOf(n));
        assertTrue(tookMs >= 40, "the timeout counts 50 ms, took " + tookMs);
    }

    @Test
    void aLinkTimeoutThatDoesNotFireChangesNothing() {
        assumeIoSupports(AsyncIo.Op.LINK_TIMEOUT);
        int[] p = pipe();
        Request<Integer> w, r;
        try (IoLink chain = io().link()) {
            w = io().write(p[1], bytes("ok"), -1);
            chain.timeout(Duration.ofSeconds(5));
            r = io().read(p[0], arena.allocate(4), -1);
            chain.timeout(Duration.ofSeconds(5));
        }
        awaitAll(w, r);
        assertEquals(2, w.result());
        assertEquals(2, r.result());
    }

    @Test
    void aLinkTimeoutOnTheLastOpAlone() {
        assumeIoSupports(AsyncIo.Op.LINK_TIMEOUT);
        int[] sp = socketpair();
        Request<Integer> r;
        try (IoLink chain = io().link()) {
            r = io().recv(sp[0], arena.allocate(8), 0);
            chain.timeout(Duration.ofMillis(20));
        }
        awaitAll(r);
        assertEquals(Errno.ETIME, errnoOf(r));
    }

    @Test
    void anOpCancelledByAFailureBeforeItIsEcanceledEvenWithALinkTimeout() {
        assumeIoSupports(AsyncIo.Op.LINK_TIMEOUT);
        int[] p = pipe();
        Fds.write(p[1], (byte) 1, (byte) 2, (byte) 3);
        Request<Integer> r, w;
        try (IoLink chain = io().link()) {
            r = io().read(p[0], arena.allocate(16), -1); // 3 of 16: breaks the link
            w = io().write(p[1], bytes("w"), -1);
            chain.timeout(Duration.ofSeconds(5));
        }
        awaitAll(r, w);
        assertEquals(3, r.result());
        assertEquals(Errno.ECANCELED, errnoOf(w), "cancelled by the short read, not by its timeout");
    }

    @Test
    void aRecvWithWaitallWaitsForTheWholeBufferAndKeepsTheLink() {
        int[] sp = socketpair();
        MemorySegment in = arena.allocate(4);
        Request<Integer> r, n;
        try (IoLink chain = io().link()) {
            r = io().recv(sp[0], in, Libc.MSG_WAITALL);
            n = io().nop();
        }
        Fds.write(sp[1], (byte) 'a', (byte) 'b');
        for (int i = 0; i < 3; i++) runOnceWithoutWaiting();
        assertTrue(r.isInProgress(), "half the buffer: it waits for the rest");
        Fds.write(sp[1], (byte) 'c', (byte) 'd');
        awaitAll(r, n);
        assertEquals(4, r.result());
        assertEquals(0, n.result(), "a whole transfer keeps the link");
        assertEquals("abcd", new String(in.toArray(ValueLayout.JAVA_BYTE)));
    }

    // ------------------------------------------------------------------ quiet sends

    @Test
    void aQuietSendCompletesWithItsLengthJustBeforeTheRecvLinkedToIt() {
        assumeIoSupports(AsyncIo.Op.QUIET);
        int[] sp = socketpair();
        MemorySegment in = arena.allocate(16);
        Request<Integer> s, r;
        try (IoLink chain = io().link()) {
            s = noted("send", io().send(sp[0], bytes("ping"), 0));
            chain.quiet();
            r = noted("recv", io().recv(sp[0], in, 0));
        }
        // The peer answers once it has the ping.
        StringBuilder ping = new StringBuilder();
        long limit = System.nanoTime() + 5_000_000_000L;
        while (ping.length() < 4 && System.nanoTime() < limit) {
            runOnceWithoutWaiting(); // nothing completes until the answer: never wait here
            byte[] got = Fds.read(sp[1], 16);
            if (got != null) ping.append(new String(got));
        }
        assertEquals("ping", ping.toString());
        assertTrue(r.isInProgress(), "the recv waits for the answer");
        assertEquals(1, Fds.write(sp[1], (byte) 'p'));
        awaitAll(s, r);
        assertEquals(4, s.result(), "a quiet send succeeds with the whole length");
        assertEquals(1, r.result());
        assertEquals(List.of("send", "recv"), order, "the quiet send completes first");
    }

    @Test
    void theLastOpOfAChainPostsItsCompletionEvenWhenQuiet() {
        assumeIoSupports(AsyncIo.Op.QUIET);
        int[] sp = socketpair();
        Request<Integer> s;
        try (IoLink chain = io().link()) {
            s = io().send(sp[0], bytes("solo"), 0);
            chain.quiet();
        }
        awaitAll(s);
        assertEquals(4, s.result());
        assertEquals("solo", new String(Fds.read(sp[1], 8)));
    }

    @Test
    void aQuietSendThatFailsPostsItsErrorAndCancelsTheRest() {
        assumeIoSupports(AsyncIo.Op.QUIET);
        int[] sp = socketpair();
        closeNow(sp[1]); // no peer: EPIPE
        Request<Integer> s, r, n;
        try (IoLink chain = io().link()) {
            s = noted("send", io().send(sp[0], bytes("lost"), 0));
            chain.quiet();
            r = noted("recv", io().recv(sp[0], arena.allocate(8), 0));
            n = noted("nop", io().nop());
        }
        awaitAll(s, r, n);
        assertEquals(Errno.EPIPE, errnoOf(s));
        assertEquals(Errno.ECANCELED, errnoOf(r), "the kernel posts nothing for it: it completes anyway");
        assertEquals(Errno.ECANCELED, errnoOf(n));
        assertEquals(List.of("send", "recv", "nop"), order);
    }

    @Test
    void quietWritesAndSendsInARowAllComplete() {
        assumeIoSupports(AsyncIo.Op.QUIET);
        int[] p = pipe();
        int[] sp = socketpair();
        Request<Integer> w1, w2, s, n;
        try (IoLink chain = io().link()) {
            w1 = noted("w1", io().write(p[1], bytes("ab"), -1));
            chain.quiet();
            w2 = noted("w2", io().writev(p[1], new MemorySegment[] {bytes("c"), bytes("de")}, -1));
            chain.quiet();
            s = noted("send", io().send(sp[0], bytes("xyz"), 0));
            chain.quiet();
            n = noted("nop", io().nop());
        }
        awaitAll(w1, w2, s, n);
        assertEquals(2, w1.result());
        assertEquals(3, w2.result());
        assertEquals(3, s.result());
        assertEquals(0, n.result());
        assertEquals(List.of("w1", "w2", "send", "nop"), order);
        assertEquals("abcde", new String(Fds.read(p[0], 16)));
    }

    // ------------------------------------------------------------------ cancels and deadlines

    @Test
    void cancellingAnOpWaitingInAChainCancelsItWhenItStarts() {
        int[] a = socketpair();
        int[] b = socketpair();
        Request<Integer> first, second;
        try (IoLink chain = io().link()) {
            first = io().recv(a[0], arena.allocate(8), 0);
            second = io().recv(b[0], arena.allocate(8), 0);
        }
        second.cancel();
        for (int i = 0; i < 3; i++) runOnceWithoutWaiting();
        assertTrue(first.isInProgress(), "the op before it is not touched");
        Fds.write(a[1], (byte) 1);
        awaitAll(first, second);
        assertEquals(1, first.result());
        assertEquals(Errno.ECANCELED, errnoOf(second), "cancelled once it started, with nothing to read");
    }

    @Test
    void cancellingAnOpBehindAQuietSendThatWaitsCancelsBoth() {
        assumeIoSupports(AsyncIo.Op.QUIET);
        int[] sp = socketpair();
        Fds.fillSocket(sp[0]); // the send waits for room
        Request<Integer> s, r;
        try (IoLink chain = io().link()) {
            s = io().send(sp[0], bytes("more"), 0);
            chain.quiet();
            r = io().recv(sp[0], arena.allocate(8), 0);
        }
        runOnceWithoutWaiting();
        r.cancel();
        awaitAll(s, r);
        assertEquals(Errno.ECANCELED, errnoOf(s), "its success would post nothing: it is cancelled too");
        assertEquals(Errno.ECANCELED, errnoOf(r));
    }

    @Test
    void aDeadlineOnALinkedOpFailsItWithATimeoutAndBreaksTheChain() {
        int[] sp = socketpair();
        Request<Integer> r, n;
        try (IoLink chain = io().link()) {
            r = io().recv(sp[0], arena.allocate(8), 0);
            n = io().nop();
        }
        r.setEndTime(System.nanoTime() + 30_000_000L);
        awaitAll(r, n);
        assertInstanceOf(TimeoutException.class, r.cause(), "cause: " + r.cause());
        assertEquals(Errno.ECANCELED, errnoOf(n));
    }

    @Test
    void aDeadlineOnAnOpWaitingInAChainHoldsOnceItStarts() {
        int[] a = socketpair();
        int[] b = socketpair();
        Request<Integer> first, second;
        try (IoLink chain = io().link()) {
            first = io().recv(a[0], arena.allocate(8), 0);
            second = io().recv(b[0], arena.allocate(8), 0);
        }
        second.setEndTime(System.nanoTime() + 20_000_000L);
        loop.addTimer(Duration.ofMillis(60), (t, now) -> Fds.write(a[1], (byte) 7));
        awaitAll(first, second);
        assertEquals(1, first.result());
        assertInstanceOf(TimeoutException.class, second.cause(), "cause: " + second.cause());
    }

    @Test
    void closingTheLoopCompletesEveryOpOfAChainInFlight() {
        int[] sp = socketpair();
        Request<Integer> r, n;
        try (IoLink chain = io().link()) {
            r = io().recv(sp[0], arena.allocate(8), 0);
            n = io().nop();
        }
        runOnceWithoutWaiting();
        loop.close();
        assertFalse(r.isInProgress());
        assertFalse(n.isInProgress());
        assertEquals(Errno.ECANCELED, errnoOf(r));
        assertEquals(Errno.ECANCELED, errnoOf(n));
    }

    // ------------------------------------------------------------------ misuse

    @Test
    void misuseIsRefusedAtTheCallAndLeavesTheChainUsable() {
        int[] sp = socketpair();
        IoLink chain = io().link();
        try {
            assertThrows(IllegalStateException.class, () -> io().link(), "one chain at a time");
            assertThrows(IllegalStateException.class, () -> io().hardLink());
            assertThrows(IllegalStateException.class, () -> chain.timeout(Duration.ofSeconds(1)), "no op yet");
            assertThrows(IllegalStateException.class, chain::quiet, "no op yet");
            Request<Integer> r = io().recv(sp[0], arena.allocate(8), 0);
            assertThrows(IllegalArgumentException.class, () -> chain.timeout(Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> chain.timeout(Duration.ofMillis(-1)));
            if (io().supports(AsyncIo.Op.QUIET)) {
                assertThrows(IllegalStateException.class, chain::quiet, "a recv cannot be quiet");
            }
            if (io().supports(AsyncIo.Op.LINK_TIMEOUT)) {
                chain.timeout(Duration.ofMillis(20));
                assertThrows(IllegalStateException.class, () -> chain.timeout(Duration.ofMillis(20)), "one per op");
            }
            assertThrows(IllegalStateException.class,
                    () -> io().acceptMultishot(sp[0], 0, fd -> { }), "multishot ops cannot be linked");
            r.cancel();
        } finally {
            chain.close();
        }
        assertFalse(chain.isOpen());
        chain.close(); // idempotent
        try (IoLink hard = io().hardLink()) {
            io().send(sp[0], bytes("h"), 0);
            if (io().supports(AsyncIo.Op.QUIET)) {
                assertThrows(IllegalStateException.class, hard::quiet, "quiet is for soft links");
            }
        }
        assertThrows(IllegalStateException.class, chain::quiet, "a closed chain");
        Request<Integer> after = io().nop();
        awaitAll(after);
        assertEquals(0, after.result());
    }

    @Test
    void chainsOneAfterAnotherReuseTheLink() {
        int[] p = pipe();
        for (int round = 0; round < 50; round++) {
            Request<Integer> w, r;
            MemorySegment in = arena.allocate(4);
            try (IoLink chain = io().link()) {
                w = io().write(p[1], bytes("r" + (round % 10)), -1);
                r = io().read(p[0], in, -1);
            }
            awaitAll(w, r);
            assertEquals(2, r.result());
            assertEquals("r" + (round % 10), new String(in.asSlice(0, 2).toArray(ValueLayout.JAVA_BYTE)));
        }
    }

}
