package dev.tevent4j.hybrid;

import dev.tevent4j.EventLoop;
import dev.tevent4j.RequestException;
import dev.tevent4j.contract.Fds;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.ring.Ring;
import dev.tevent4j.ring.RingAsyncIo;
import dev.tevent4j.ring.Rings;
import dev.tevent4j.ring.Sqe;
import dev.tevent4j.ring.UserData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Rings}: a daemon's lower layers reach the loop's ring on hybrid (the uring case is in
 * backend-uring) and find none on epoll; what they submit on it completes without disturbing
 * the loop.
 */
class HybridRingLookupTest {

    private static EventLoop hybridOrSkip() {
        String why = new HybridBackendProvider().unusableReason();
        if (why != null) {
            System.err.println("SKIPPED: the hybrid backend is unusable here: " + why);
            Assumptions.abort("the hybrid backend is unusable here: " + why);
        }
        return EventLoop.open("hybrid");
    }

    @Test
    void epollHasNoRing() {
        try (EventLoop loop = EventLoop.open("epoll")) {
            assertTrue(Rings.of(loop).isEmpty());
            assertTrue(Rings.asyncIoOf(loop).isEmpty());
        }
    }

    @Test
    void hybridExposesItsRingAndCarriesACallersNop() {
        try (EventLoop loop = hybridOrSkip()) {
            Ring ring = Rings.of(loop).orElseThrow();
            assertTrue(ring.fd() >= 0);
            RingAsyncIo io = Rings.asyncIoOf(loop).orElseThrow();
            assertSame(ring, io.ring());
            assertSame(loop.io(), io);
            assertEquals(0, io.prepared(Sqe::prepNop, null).await());
        }
    }

    @Test
    void aPreparedReadCompletesWithTheCqeResult() {
        int[] p = Fds.pipe();
        try (EventLoop loop = hybridOrSkip(); Arena a = Arena.ofConfined()) {
            RingAsyncIo io = Rings.asyncIoOf(loop).orElseThrow();
            MemorySegment buf = a.allocate(8);
            Fds.write(p[1], (byte) 'x', (byte) 'y');
            assertEquals(2, io.prepared(sqe -> sqe.prepRead(p[0], buf.address(), 8, -1), buf).await());
            assertEquals('y', buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 1));
            RequestException e = assertThrows(RequestException.class,
                    () -> io.prepared(sqe -> sqe.prepRead(p[1], buf.address(), 8, -1), buf).await());
            assertEquals(Errno.EBADF, assertInstanceOf(ErrnoException.class, e.getCause()).errno(),
                    "a read of a pipe's write end");
        } finally {
            Fds.close(p[0]);
            Fds.close(p[1]);
        }
    }

    @Test
    void aFireAndForgetSqeIsReapedAndDropped() {
        try (EventLoop loop = hybridOrSkip()) {
            Ring ring = Rings.of(loop).orElseThrow();
            ring.nextSqe().prepNop().userData(UserData.ignored(42));
            // The loop's next enter submits it along with its own op; its CQE is not an op's.
            assertEquals(0, loop.io().nop().await());
            assertEquals(0, ring.pendingSubmissions());
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (ring.hasCompletions() && System.nanoTime() < deadline) {
                loop.addTimer(Duration.ofMillis(1), (t, n) -> { });
                loop.runOnce();
            }
            assertFalse(ring.hasCompletions(), "the ignored CQE was reaped");
        }
    }

    @Test
    void aPreparerThatThrowsLeavesNothingInFlight() {
        try (EventLoop loop = hybridOrSkip()) {
            RingAsyncIo io = Rings.asyncIoOf(loop).orElseThrow();
            assertThrows(ArithmeticException.class, () -> io.prepared(sqe -> { throw new ArithmeticException("x"); }, null));
            assertEquals(0, io.inFlight());
            assertEquals(0, io.nop().await(), "the loop goes on");
        }
    }

    @Test
    void theLookupIsForTheOwnerThreadOnly() throws Exception {
        try (EventLoop loop = hybridOrSkip()) {
            CompletableFuture<Throwable> got = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    Rings.of(loop);
                    got.complete(null);
                } catch (Throwable e) {
                    got.complete(e);
                }
            });
            t.start();
            assertInstanceOf(IllegalStateException.class, got.get(5, TimeUnit.SECONDS));
        }
    }
}
