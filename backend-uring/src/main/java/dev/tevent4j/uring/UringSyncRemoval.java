package dev.tevent4j.uring;

import dev.tevent4j.ring.Ring;
import dev.tevent4j.ring.RingAsyncIo;
import dev.tevent4j.ring.UserData;

import java.util.Arrays;

/**
 * Removing an fd's poll synchronously. A pending poll pins the file (docs/backends.md, uring hazard 1): a close()
 * of the fd does not release the file while a poll on it is in flight, so a peer would never see
 * EOF. So removing an fd's interest submits POLL_REMOVE and waits in io_uring_enter until the
 * poll's own final completion has been posted: only then has the kernel dropped its reference.
 *
 * <p>Completions reaped during that wait are not lost: AsyncIo ones are kept here and handed
 * over by {@link #deliverDeferred} (the next poll() calls it); poll reports go to the poller,
 * which drops them and re-arms the fd (level semantics report again if it is still ready).
 * Removals nest: a request callback run by a delivery may remove another fd.
 */
final class UringSyncRemoval {
    /** How long one wait of a removal lasts before it tries again. */
    private static final long CANCEL_WAIT_NANOS = 100_000_000L;
    /** How long a removal waits in all before it reports the poll as lost. */
    private static final long GIVE_UP_NANOS = 2_000_000_000L;
    /** io_uring_enter's timeout error (Errno names no ETIME constant). */
    private static final int ETIME = 62;

    private final UringPoller poller;
    private final Ring ring;
    private final UringFdTable fds;
    private final Ring.CompletionHandler deferring = this::routeDeferring;

    /** The poll the innermost removal waits for. */
    private int waitingFd = -1, waitingGen;
    private boolean waitDone;
    /** The last removal result for the fd waited on (diagnostics). */
    private int removeRes = 1;

    /** AsyncIo completions reaped during a removal: delivered by the next poll(). */
    private long[] deferredUserData = new long[16];
    private int[] deferredRes = new int[16];
    private int[] deferredFlags = new int[16];
    private int deferredCount;

    UringSyncRemoval(UringPoller poller, Ring ring, UringFdTable fds) {
        this.poller = poller;
        this.ring = ring;
        this.fds = fds;
    }

    /**
     * Stops watching {@code fd} and, when a poll is in flight, waits until its final completion
     * has been posted, so that a close() that follows really closes the file.
     */
    void removeNow(int fd) {
        fds.setInterest(fd, 0);
        fds.setQuiet(fd, false);
        if (fds.state(fd) != UringFdTable.ARMED || ring.enterRefusal() != 0) {
            // IDLE, or REARM: nothing in the kernel (the re-arm queue skips a non-REARM fd). Or
            // no removal can reach the kernel: the poll goes when the ring is closed.
            fds.setState(fd, UringFdTable.IDLE);
            fds.bumpGeneration(fd);
            return;
        }
        int oldWaitingFd = waitingFd, oldWaitingGen = waitingGen;
        boolean oldDone = waitDone;
        waitingFd = fd;
        waitingGen = fds.generation(fd);
        waitDone = false;
        poller.removeAsync(fd);
        try {
            long deadline = System.nanoTime() + GIVE_UP_NANOS;
            long target = UserData.poll(waitingGen, fd);
            while (!waitDone) {
                int rc = ring.submitAndWait(1, CANCEL_WAIT_NANOS);
                poller.countEnter();
                int got = ring.reap(deferring);
                if (Ring.isRefusal(rc)) {
                    break; // the completion cannot come; the next poll() reports the refusal
                }
                if (!waitDone && got == 0 && rc == -ETIME) {
                    // A whole wait with nothing: the removal may have raced with a re-arm inside
                    // the kernel (ENOENT while it was re-queued). Removing twice is harmless.
                    poller.submitRemove(target);
                }
                if (!waitDone && System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("io_uring: the poll on fd " + fd + " (generation " + waitingGen
                            + ", quiet " + fds.quiet(fd) + ") did not complete after POLL_REMOVE; last completion for the fd: "
                            + fds.lastCompletion(fd) + "; removal res " + removeRes);
                }
            }
        } finally {
            waitingFd = oldWaitingFd;
            waitingGen = oldWaitingGen;
            waitDone = oldDone;
        }
    }

    /**
     * Called by the poller for each poll completion before anything else: true when it is the
     * poll a removal waits for (the poller then ignores it).
     */
    boolean consume(int fd, int generation, boolean last) {
        if (fd != waitingFd || generation != waitingGen) return false;
        if (last) waitDone = true;
        return true;
    }

    /** A POLL_REMOVE completed for {@code fd} with {@code res}: kept for the diagnostics. */
    void removalCompleted(int fd, int res) {
        if (fd == waitingFd) removeRes = res;
    }

    boolean hasDeferred() {
        return deferredCount > 0;
    }

    /** Hands the AsyncIo completions kept back by removals to {@code io}. */
    void deliverDeferred(RingAsyncIo io) {
        // A request callback may remove an fd and so defer more: the loop reads the live count.
        for (int i = 0; i < deferredCount; i++) {
            if (io != null) io.complete(deferredUserData[i], deferredRes[i], deferredFlags[i]);
        }
        deferredCount = 0;
    }

    /** During a removal: poll completions go to the poller, AsyncIo ones wait for the next poll(). */
    private void routeDeferring(long userData, int res, int flags) {
        if (UserData.isPollKind(userData)) {
            poller.onPollCompletion(userData, res, flags);
            return;
        }
        if (deferredCount == deferredRes.length) {
            int n = deferredCount * 2;
            deferredUserData = Arrays.copyOf(deferredUserData, n);
            deferredRes = Arrays.copyOf(deferredRes, n);
            deferredFlags = Arrays.copyOf(deferredFlags, n);
        }
        deferredUserData[deferredCount] = userData;
        deferredRes[deferredCount] = res;
        deferredFlags[deferredCount] = flags;
        deferredCount++;
    }
}
