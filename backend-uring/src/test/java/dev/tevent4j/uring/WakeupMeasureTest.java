package dev.tevent4j.uring;

import dev.tevent4j.linux.Libc;
import dev.tevent4j.ring.IoUringAbi;
import dev.tevent4j.ring.Ring;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tevent4j.ring.IoUringAbi.*;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Cross-thread wakeup of a thread blocked in io_uring_enter, two ways (docs/backends.md,
 * "uring"): an eventfd with a oneshot POLL_ADD in flight on the sleeper's ring (what the backend
 * does: the loop's wakeup eventfd is one more watched fd), versus IORING_OP_MSG_RING from the
 * waker's own ring. Two threads, each with its own ring, wake each other in turn; prints ns per
 * round trip (two wakeups). Measurement only: asserts just that both ways work.
 */
class WakeupMeasureTest {
    private static final long POLL = 1, MSG = 2;
    private static final int ROUNDS = 50_000, WARMUP = 5_000;

    @BeforeAll
    static void needsIoUring() {
        String why = new UringBackendProvider().unusableReason();
        if (why != null) {
            System.err.println("SKIPPED: the uring backend is unusable here: " + why);
            Assumptions.abort("the uring backend is unusable here: " + why);
        }
    }

    private interface Side {
        /** Runs {@code rounds} round trips; {@code first} starts them. */
        void run(Ring ring, int peerRingFd, boolean first, int rounds);
    }

    private static long measure(Side side) throws Exception {
        int[] ringFds = new int[2];
        CountDownLatch ready = new CountDownLatch(2), go = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        long[] elapsed = new long[1];
        Thread[] t = new Thread[2];
        for (int i = 0; i < 2; i++) {
            int me = i;
            t[i] = new Thread(() -> {
                try (Ring ring = new Ring(8, 0, true)) {
                    ringFds[me] = ring.fd();
                    ready.countDown();
                    go.await();
                    side.run(ring, ringFds[1 - me], me == 0, WARMUP);
                    long t0 = System.nanoTime();
                    side.run(ring, ringFds[1 - me], me == 0, ROUNDS);
                    if (me == 0) elapsed[0] = System.nanoTime() - t0;
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            t[i].start();
        }
        ready.await();
        go.countDown();
        for (Thread th : t) th.join(60_000);
        assertNull(failed.get());
        return elapsed[0] / ROUNDS;
    }

    private static void waitFor(Ring ring, long userData) {
        boolean[] seen = {false};
        while (!seen[0]) {
            ring.submitAndWait(1, -1);
            ring.reap((u, r, f) -> {
                if (u == userData) seen[0] = true;
            });
        }
    }

    @Test
    void eventfdPollVersusMsgRing() throws Exception {
        // eventfd: write the peer's eventfd; wait for the poll on ours, drain it, re-arm.
        int[] efd = {Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC), Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC)};
        int[] next = {0};
        long eventfdNs = measure((ring, peerRingFd, first, rounds) -> {
            int mine, peer;
            synchronized (next) {
                mine = first ? efd[0] : efd[1];
                peer = first ? efd[1] : efd[0];
            }
            try (Arena a = Arena.ofConfined()) {
                MemorySegment one = a.allocate(ValueLayout.JAVA_LONG);
                one.set(ValueLayout.JAVA_LONG, 0, 1);
                MemorySegment drain = a.allocate(ValueLayout.JAVA_LONG);
                for (int k = 0; k < rounds; k++) {
                    if (first) Libc.write(peer, one, 8);
                    arm(ring, mine);
                    waitFor(ring, POLL);
                    Libc.read(mine, drain, 8);
                    if (!first) Libc.write(peer, one, 8);
                }
            }
        });
        Libc.close(efd[0]);
        Libc.close(efd[1]);
        long msgRingNs = measure((ring, peerRingFd, first, rounds) -> {
            for (int k = 0; k < rounds; k++) {
                if (first) msg(ring, peerRingFd); // submitted by the wait's enter
                waitFor(ring, MSG);
                if (!first) msg(ring, peerRingFd);
            }
            ring.submit(true); // the last message
        });
        System.out.printf("uring wakeup measure: eventfd + POLL_ADD %d ns per round trip (2 wakeups; write + enter + read per wakeup), "
                + "MSG_RING %d ns per round trip (the send rides on the waker's enter)%n", eventfdNs, msgRingNs);
    }

    private static void arm(Ring ring, int fd) {
        ring.nextSqe().prepPollAdd(fd, Libc.POLLIN, 0).userData(POLL);
    }

    private static void msg(Ring ring, int peerRingFd) {
        ring.nextSqe().prepMsgRing(peerRingFd, 1, MSG).flags(IoUringAbi.IOSQE_CQE_SKIP_SUCCESS).userData(3);
    }
}
