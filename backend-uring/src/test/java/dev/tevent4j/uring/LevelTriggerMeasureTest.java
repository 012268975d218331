package dev.tevent4j.uring;

import dev.tevent4j.contract.Fds;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.ring.Ring;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static dev.tevent4j.ring.IoUringAbi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The measurement behind the backend's level-triggered choice (docs/backends.md, "uring"): with
 * one unread byte pending, how many completions do 5 waits of 20 ms get from a multishot poll, a
 * multishot poll with IORING_POLL_ADD_LEVEL, and a oneshot poll re-armed before each wait; and
 * what one report costs with a oneshot re-arm versus a LEVEL multishot that keeps reporting (if
 * it does). Prints the figures; asserts only what the backend relies on.
 */
class LevelTriggerMeasureTest {
    private static final long TAG = 0x42;
    /** The last result seen for the measured poll (a negative errno tells a refused flag). */
    private static int lastRes;

    @BeforeAll
    static void needsIoUring() {
        String why = new UringBackendProvider().unusableReason();
        if (why != null) {
            System.err.println("SKIPPED: the uring backend is unusable here: " + why);
            Assumptions.abort("the uring backend is unusable here: " + why);
        }
    }

    private static void pollAdd(Ring ring, int fd, int flags) {
        ring.nextSqe().prepPollAdd(fd, Libc.POLLIN, flags).userData(TAG);
    }

    private static void removeAll(Ring ring) {
        ring.nextSqe().prepPollRemove(TAG).userData(1);
        ring.submitAndWait(1, 50_000_000L);
        ring.submitAndWait(1, 50_000_000L);
        ring.reap((u, r, f) -> { });
    }

    /** Completions seen by 5 waits of 20 ms; a oneshot poll is re-armed before each wait. */
    private static int completions(Ring ring, int fd, int flags, boolean rearm) {
        int[] count = {0};
        lastRes = 0;
        pollAdd(ring, fd, flags);
        for (int k = 0; k < 5; k++) {
            if (rearm && k > 0) pollAdd(ring, fd, flags);
            ring.submitAndWait(1, 20_000_000L);
            ring.reap((u, r, f) -> {
                if (u == TAG && r > 0) count[0]++;
                if (u == TAG) lastRes = r;
            });
        }
        if (!rearm) removeAll(ring);
        return count[0];
    }

    /** ns per report over n reports of an fd that stays readable. */
    private static long nanosPerReport(Ring ring, int fd, int flags, boolean rearm, int n) {
        int[] count = {0};
        if (!rearm) pollAdd(ring, fd, flags);
        long t0 = System.nanoTime();
        while (count[0] < n) {
            if (rearm) pollAdd(ring, fd, flags);
            ring.submitAndWait(1, 20_000_000L);
            int before = count[0];
            ring.reap((u, r, f) -> {
                if (u == TAG && r > 0) count[0]++;
            });
            if (count[0] == before) return -1; // stopped reporting
        }
        long ns = (System.nanoTime() - t0) / n;
        if (!rearm) removeAll(ring);
        return ns;
    }

    @Test
    void multishotIsEdgeLikeAndOneshotReArmIsLevel() {
        int[] sp = Fds.socketpair();
        try (Ring ring = new Ring(8, 0, true)) {
            Fds.write(sp[1], (byte) 1);
            int multi = completions(ring, sp[0], IORING_POLL_ADD_MULTI, false);
            int level = completions(ring, sp[0], IORING_POLL_ADD_MULTI | IORING_POLL_ADD_LEVEL, false);
            int levelRes = lastRes;
            int levelOneshot = completions(ring, sp[0], IORING_POLL_ADD_LEVEL, false);
            int levelOneshotRes = lastRes;
            int oneshot = completions(ring, sp[0], 0, true);
            System.out.printf("uring level measure (1 unread byte, 5 waits of 20 ms): multishot %d CQE, "
                    + "multishot|LEVEL %d CQE (last res %d), oneshot|LEVEL not re-armed %d CQE (last res %d), "
                    + "oneshot re-armed %d CQE%n", multi, level, levelRes, levelOneshot, levelOneshotRes, oneshot);
            int n = 200_000;
            nanosPerReport(ring, sp[0], 0, true, 20_000); // warm-up
            long oneshotNs = nanosPerReport(ring, sp[0], 0, true, n);
            long levelNs = level >= 5 ? nanosPerReport(ring, sp[0], IORING_POLL_ADD_MULTI | IORING_POLL_ADD_LEVEL, false, n) : -1;
            System.out.printf("uring level measure: oneshot re-arm %d ns/report%s%n", oneshotNs,
                    levelNs < 0 ? " (LEVEL multishot does not keep reporting: not usable)" : ", LEVEL multishot " + levelNs + " ns/report");
            assertEquals(5, oneshot, "a oneshot poll re-armed reports a still-ready fd every time");
        } finally {
            Fds.close(sp[0]);
            Fds.close(sp[1]);
        }
    }
}
