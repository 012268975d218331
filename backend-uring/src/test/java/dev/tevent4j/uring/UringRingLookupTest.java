package dev.tevent4j.uring;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.contract.Fds;
import dev.tevent4j.ring.Ring;
import dev.tevent4j.ring.RingAsyncIo;
import dev.tevent4j.ring.Rings;
import dev.tevent4j.ring.Sqe;
import dev.tevent4j.ring.UserData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Rings} on the uring backend, where the ring carries the loop's fd polls as well: a
 * caller's SQEs ride on the loop's one enter, and their completions never reach the polls.
 * (Epoll's empty answer is tested here too: it is on this module's test class path.)
 */
class UringRingLookupTest {
    @BeforeAll
    static void needsIoUring() {
        UringAvailable.assume();
    }

    @Test
    void uringExposesItsRingAndCarriesACallersNop() {
        try (EventLoop loop = EventLoop.open("uring")) {
            Ring ring = Rings.of(loop).orElseThrow();
            RingAsyncIo io = Rings.asyncIoOf(loop).orElseThrow();
            assertSame(ring, io.ring());
            assertEquals(0, io.prepared(Sqe::prepNop, null).await());
        }
    }

    @Test
    void epollAndHybridAnswerAsTheirAsyncIoIs() {
        try (EventLoop loop = EventLoop.open("epoll")) {
            assertTrue(Rings.of(loop).isEmpty());
        }
        try (EventLoop loop = EventLoop.open("hybrid")) {
            assertTrue(Rings.of(loop).isPresent());
        }
    }

    @Test
    void callersSqesLeaveTheFdPollsAlone() {
        int[] sp = Fds.socketpair();
        try (EventLoop loop = EventLoop.open("uring"); Arena a = Arena.ofConfined()) {
            AtomicInteger reads = new AtomicInteger();
            FdEvent e = loop.addFd(sp[0], FdEvent.READ, (f, x) -> {
                reads.incrementAndGet();
                Fds.drain(sp[0]);
            });
            Ring ring = Rings.of(loop).orElseThrow();
            RingAsyncIo io = Rings.asyncIoOf(loop).orElseThrow();
            ring.nextSqe().prepNop().userData(UserData.ignored(1));
            MemorySegment buf = a.allocate(4);
            Fds.write(sp[1], (byte) 1);
            int[] pipe = Fds.pipe();
            try {
                Fds.write(pipe[1], (byte) 9);
                assertEquals(1, io.prepared(sqe -> sqe.prepRead(pipe[0], buf.address(), 4, -1), buf).await());
            } finally {
                Fds.close(pipe[0]);
                Fds.close(pipe[1]);
            }
            while (reads.get() == 0) loop.runOnce();
            assertEquals(1, reads.get(), "the fd's poll reported once");
            e.close();
        } finally {
            Fds.close(sp[0]);
            Fds.close(sp[1]);
        }
    }
}
