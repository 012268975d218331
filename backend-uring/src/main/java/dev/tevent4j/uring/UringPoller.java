package dev.tevent4j.uring;

import dev.tevent4j.FdEvent;
import dev.tevent4j.spi.LoopServices;
import dev.tevent4j.AsyncIo;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.Poller;
import dev.tevent4j.ring.Ring;
import dev.tevent4j.ring.RingAsyncIo;
import dev.tevent4j.ring.Sqe;
import dev.tevent4j.ring.UserData;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.tevent4j.ring.IoUringAbi.*;

/**
 * The native io_uring poller: every watched fd is an IORING_OP_POLL_ADD on one ring, the wait is
 * {@code io_uring_enter(GETEVENTS, min_complete=1, EXT_ARG timeout)}, and that enter also submits
 * everything the iteration queued (poll re-arms, poll removals, AsyncIo ops): one enter per loop
 * iteration in steady state.
 *
 * <p><b>Level-triggered semantics.</b> A multishot poll is edge-like (it reports a pending byte
 * once, then stays silent: measured on 6.18, docs/backends.md), and IORING_POLL_ADD_LEVEL is no
 * way out: the kernel refuses it on POLL_ADD with EINVAL, with or without MULTI (measured on
 * 6.18 by {@code LevelTriggerMeasureTest}; POLL_ADD accepts only IORING_POLL_ADD_MULTI). So each fd
 * gets a <em>oneshot</em> poll; after its completion the fd is re-armed by the next
 * {@link #poll}, in the same enter as the wait. A re-armed poll completes at once when the fd is
 * still ready, which is exactly epoll's level-triggered report. Cost: one SQE per report, no
 * extra syscall.
 *
 * <p><b>user_data</b> ({@link UserData}): kind POLL marks this class's polls and kind POLL_REMOVE
 * their removals (the AsyncIo on the same ring uses neither); the generation field holds the
 * fd's generation, the index the fd. Every change of interest bumps the generation, so a completion
 * of a removed or replaced poll (POLL_REMOVE is asynchronous: uring-facts 3) is recognised and
 * dropped. No lookup structure, no allocation per event: per-fd state lives in arrays indexed by
 * fd.
 *
 * <p><b>A pending poll pins the file</b> (uring-facts 1): a close() of the fd does not release
 * the file while a poll on it is in flight, so a peer would never see EOF. Removing an fd's
 * interest ({@code setInterest(fd, old, 0)}, which the loop calls before auto-close) therefore
 * submits POLL_REMOVE and waits until the poll's own final completion has arrived before it
 * returns. Completions reaped during that wait are not lost: AsyncIo ones are kept and delivered
 * by the next {@link #poll}; poll reports are dropped and the fd re-armed, which reports again
 * at once if the fd is still ready (level semantics make that safe).
 *
 * <p><b>Events asked and reported as epoll does.</b> READ asks POLLIN|POLLRDHUP, WRITE POLLOUT,
 * ERROR POLLRDHUP. io_uring always adds POLLERR|POLLHUP|POLLRDHUP to a poll's mask (the kernel's
 * IO_POLL_UNMASK), whereas epoll reports RDHUP only when asked; so a result is masked with what
 * was asked plus ERR|HUP before it is mapped (POLLIN->IN, POLLOUT->OUT, ERR|HUP|RDHUP->HANGUP). A
 * completion that carries nothing asked (a write-only fd whose peer shut down its write side,
 * while the send buffer is full) would, re-armed oneshot, complete again at once forever; such an
 * fd is re-armed multishot instead, which stays quiet until the next wakeup, and goes back to
 * oneshot after its next real report.
 *
 * <p><b>Wake-time masks.</b> A completion carries the mask stashed when the poll was woken; with
 * DEFER_TASKRUN it is posted by the next enter, and a handler may have consumed that readiness in
 * between. When IORING_SQ_TASKRUN says, before the enter, that wakeups were pending, the reports
 * of polls armed by an earlier enter are re-checked with one poll(2) (epoll re-polls ready fds
 * when epoll_wait returns, and the loop's contract is epoll's).
 *
 * <p><b>Lost removals.</b> POLL_REMOVE answers EALREADY when the poll is being woken; if the
 * wakeup then finds nothing ready the kernel re-arms the poll and the removal is lost. Such a
 * removal is sent again.
 *
 * <p><b>A refused enter.</b> Everything here waits in io_uring_enter; should the kernel refuse it
 * for good once the loop runs (EPERM or ENOSYS from a seccomp filter installed later), no fd event,
 * timer or AsyncIo completion can arrive. {@link #poll} then fails the AsyncIo ops in flight and
 * throws an IllegalStateException naming the refusal, instead of returning empty waits at once
 * (a loop at 100 % CPU); a synchronous removal stops waiting (closing the ring releases the poll).
 */
public final class UringPoller implements Poller {
    private static final byte IDLE = 0, ARMED = 1, REARM = 2;
    private static final int POLLIN = Libc.POLLIN, POLLOUT = Libc.POLLOUT, POLLERR = Libc.POLLERR,
            POLLHUP = Libc.POLLHUP, POLLRDHUP = Libc.POLLRDHUP;
    private static final int S_IFMT = 0170000, S_IFREG = 0100000, S_IFDIR = 0040000;
    /** How long a synchronous poll removal waits per enter before it tries again. */
    private static final long CANCEL_WAIT_NANOS = 100_000_000L;
    /** io_uring_enter's timeout error (Errno names no ETIME constant). */
    private static final int ETIME = 62;

    private final Ring ring;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment statxBuf = arena.allocate(Libc.STATX_SIZE_BYTES, 8);
    private final MemorySegment emptyPath = arena.allocate(1);

    // per-fd state, indexed by fd
    private int[] interest = new int[64];
    private int[] gen = new int[64];
    private byte[] state = new byte[64];
    /** Re-arm multishot: the last completion carried nothing asked (see the class comment). */
    private boolean[] quiet = new boolean[64];

    /** Fds in state REARM: armed by the next poll(). */
    private int[] rearm = new int[64];
    private int rearmCount;

    private int[] readyFds = new int[64];
    private int[] readyEvents = new int[64];
    private int readyCount;

    /** AsyncIo completions reaped during a synchronous removal: delivered by the next poll(). */
    private long[] deferredUserData = new long[16];
    private int[] deferredRes = new int[16];
    private int[] deferredFlags = new int[16];
    private int deferredCount;

    /** Whether poll reports are recorded (inside poll()) or dropped and re-armed (elsewhere). */
    private boolean inPoll;
    /** The poll a synchronous removal waits for. */
    private int waitingFd = -1, waitingGen;
    private boolean waitDone;

    private final Ring.CompletionHandler router = this::route;
    private final Ring.CompletionHandler deferring = this::routeDeferring;
    private final Ring.CompletionHandler polls = this::onPollCompletion;
    private RingAsyncIo io;
    private long enters;

    /** {@code -Dtevent4j.uring.validate=false}: trust wake-time masks (see the class comment). */
    static final String VALIDATE_PROPERTY = "tevent4j.uring.validate";
    private final boolean validate;
    private final boolean taskrunFlag;
    /** Numbers the poll() calls; armedAt[fd] is the one whose enter submitted the fd's poll. */
    private int pollSeq;
    private int[] armedAt = new int[64];
    /** The file an fd was added for (statx inode and device): a reused fd number names another. */
    private long[] armedIno = new long[64], armedDev = new long[64];
    private int[] lastGen = new int[64], lastRes = new int[64], lastFlags = new int[64];
    /** The last removal result for the fd a synchronous removal waits on (diagnostics). */
    private int removeRes = 1;
    /** Whether completions of this poll() may carry a mask taken before the wait. */
    private boolean staleWakeups;
    /** Indexes in the ready list of reports to re-check with poll(2). */
    private int[] checkIdx = new int[64];
    private int checkCount;
    private MemorySegment pollFds = arena.allocate(Libc.POLLFD.byteSize() * 64, 8);
    private long validations;
    private boolean closed;

    /** Sets up a ring with DEFER_TASKRUN (completions are posted only by our own enter). */
    public UringPoller() {
        // TASKRUN_FLAG: the kernel sets IORING_SQ_TASKRUN in the shared SQ flags when a poll was
        // woken (task work queued) and not yet run: that tells, before the enter, whether some
        // completion of this enter may carry a mask taken while the loop's handlers ran.
        try {
            ring = new Ring(256, 4096, true, IORING_SETUP_TASKRUN_FLAG);
        } catch (RuntimeException e) {
            arena.close(); // a refused ring (RingUnavailableException) must not leak the scratch
            throw e;
        }
        taskrunFlag = ring.hasFlag(IORING_SETUP_TASKRUN_FLAG);
        validate = !"false".equals(System.getProperty(VALIDATE_PROPERTY, "true"));
    }

    /** The ring, for tests and diagnostics. */
    public Ring ring() {
        return ring;
    }

    /** io_uring_enter calls made by {@link #poll} and synchronous removals, for tests. */
    public long enterCount() {
        return enters;
    }

    /** poll(2) calls made to re-check reports whose mask may be stale, for tests. */
    public long validationCount() {
        return validations;
    }

    /** Whether a poll on {@code fd} is in the kernel now, for tests. */
    public boolean pollInFlight(int fd) {
        return fd >= 0 && fd < state.length && state[fd] == ARMED;
    }

    @Override
    public AsyncIo openIo(LoopServices loop) {
        // Same ring: the AsyncIo's SQEs ride on our enter; its reaps route our CQEs back to us.
        if (io == null) {
            // Close hooks run in the order added: completions a removal kept back are handed
            // over before RingAsyncIo's drain, which waits for every op in flight and would
            // otherwise wait for completions already taken off the ring.
            loop.atClose(LoopServices.CloseStage.DRAIN_IO, this::deliverDeferred);
            io = new RingAsyncIo(loop, ring, polls);
        }
        return io;
    }

    // ---------------------------------------------------------------- interest

    static int pollMask(int interest) {
        int ev = 0;
        if ((interest & FdEvent.READ) != 0) ev |= POLLIN | POLLRDHUP;
        if ((interest & FdEvent.WRITE) != 0) ev |= POLLOUT;
        if ((interest & FdEvent.ERROR) != 0) ev |= POLLRDHUP;
        return ev;
    }

    /** The poll result as epoll would report it for this interest, in Poller bits. */
    static int readiness(int res, int interest) {
        int ev = res & (pollMask(interest) | POLLERR | POLLHUP);
        int out = 0;
        if ((ev & POLLIN) != 0) out |= IN;
        if ((ev & POLLOUT) != 0) out |= OUT;
        if ((ev & (POLLERR | POLLHUP | POLLRDHUP)) != 0) out |= HANGUP;
        return out;
    }

    private static long userData(int fd, int generation) {
        return UserData.poll(generation, fd);
    }

    @Override
    public int setInterest(int fd, int oldInterest, int newInterest) {
        if (fd < 0) return -Errno.EBADF;
        grow(fd);
        if (newInterest == 0) {
            removeNow(fd);
            return 0;
        }
        // epoll_ctl answers synchronously (EBADF, EPERM for regular files); a POLL_ADD would only
        // tell in a later completion, so ask the kernel about the fd first (one statx, as many
        // syscalls as epoll_ctl costs). A registration change is not on the hot path.
        int rc = checkFd(fd, oldInterest == 0);
        if (rc == 0 && oldInterest != 0 && !sameFileAsArmed(fd)) {
            // The number names another file now: the poll still watches the closed one (it pins
            // it). Report it as epoll's ENOENT does; the loop disarms the stale events and adds
            // the fd afresh. The poll goes now: it would keep the closed file open in the kernel.
            removeNow(fd);
            return -Errno.ENOENT;
        }
        if (rc == 0 && oldInterest == newInterest) return 0; // a revalidation: nothing to change
        if (rc < 0) {
            // The loop disarms the fd's events (EBADF) or refuses the add: the poll must go, or it
            // keeps the file pinned.
            removeNow(fd);
            return rc;
        }
        interest[fd] = newInterest;
        quiet[fd] = false;
        switch (state[fd]) {
            case IDLE -> queueRearm(fd);
            case ARMED -> {
                // Replace: remove the old poll (asynchronously; its late completion carries the
                // old generation and is dropped) and arm a new one with the new mask.
                removeAsync(fd);
                queueRearm(fd);
            }
            default -> { } // REARM: armed with the new mask by the next poll()
        }
        return 0;
    }

    private int checkFd(int fd, boolean adding) {
        int rc = Libc.statx(fd, emptyPath, Libc.AT_EMPTY_PATH, Libc.STATX_TYPE | Libc.STATX_INO, statxBuf);
        if (rc < 0) return rc == -Errno.ENOENT ? -Errno.EBADF : rc;
        if (adding) {
            armedIno[fd] = statxBuf.get(ValueLayout.JAVA_LONG, Libc.STATX_INO_OFFSET);
            armedDev[fd] = device();
            int type = Short.toUnsignedInt(statxBuf.get(ValueLayout.JAVA_SHORT, Libc.STATX_MODE_OFFSET)) & S_IFMT;
            // epoll refuses files that are always ready; a poll would report them forever.
            if (type == S_IFREG || type == S_IFDIR) return -Errno.EPERM;
        }
        return 0;
    }

    private long device() {
        return ((long) statxBuf.get(ValueLayout.JAVA_INT, Libc.STATX_DEV_MAJOR_OFFSET) << 32)
                | Integer.toUnsignedLong(statxBuf.get(ValueLayout.JAVA_INT, Libc.STATX_DEV_MINOR_OFFSET));
    }

    /** After {@link #checkFd}: whether fd still names the file it was armed for (inode and device). */
    private boolean sameFileAsArmed(int fd) {
        return armedIno[fd] == statxBuf.get(ValueLayout.JAVA_LONG, Libc.STATX_INO_OFFSET) && armedDev[fd] == device();
    }

    private void queueRearm(int fd) {
        state[fd] = REARM;
        if (rearmCount == rearm.length) rearm = java.util.Arrays.copyOf(rearm, rearmCount * 2);
        rearm[rearmCount++] = fd;
    }

    /** POLL_REMOVE of the fd's current poll without waiting; bumps the generation. */
    private void removeAsync(int fd) {
        submitRemove(userData(fd, gen[fd]));
        gen[fd] = UserData.nextGeneration(gen[fd]);
        state[fd] = IDLE;
    }

    /** Queues a POLL_REMOVE of the poll with this user_data; its own CQE is of kind UserData.POLL_REMOVE. */
    private void submitRemove(long pollUserData) {
        sqe().prepPollRemove(pollUserData).userData(UserData.removalOf(pollUserData));
    }

    /**
     * Stops watching {@code fd} and, when a poll is in flight, waits until its final completion
     * has been posted: only then has the kernel dropped its reference to the file, so a close()
     * that follows really closes it.
     */
    private void removeNow(int fd) {
        interest[fd] = 0;
        quiet[fd] = false;
        if (state[fd] != ARMED) {
            // IDLE, or REARM: nothing in the kernel; the re-arm list skips a non-REARM fd.
            state[fd] = IDLE;
            gen[fd] = UserData.nextGeneration(gen[fd]);
            return;
        }
        if (ring.enterRefusal() != 0) {
            // No removal can reach the kernel; the poll goes when the ring is closed.
            state[fd] = IDLE;
            gen[fd] = UserData.nextGeneration(gen[fd]);
            return;
        }
        int oldWaitingFd = waitingFd, oldWaitingGen = waitingGen;
        boolean oldDone = waitDone;
        waitingFd = fd;
        waitingGen = gen[fd];
        waitDone = false;
        removeAsync(fd);
        try {
            long deadline = System.nanoTime() + 2_000_000_000L;
            long target = userData(fd, waitingGen);
            while (!waitDone) {
                int rc = ring.submitAndWait(1, CANCEL_WAIT_NANOS);
                enters++;
                int got = ring.reap(deferring);
                if (Ring.isRefusal(rc)) {
                    break; // the completion cannot come; the next poll() reports the refusal
                }
                if (!waitDone && got == 0 && rc == -ETIME) {
                    // A whole wait with nothing: the removal may have raced with a re-arm inside
                    // the kernel (ENOENT while it was re-queued). Removing twice is harmless.
                    submitRemove(target);
                }
                if (!waitDone && System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("io_uring: the poll on fd " + fd + " (generation " + waitingGen
                            + ", quiet " + quiet[fd] + ") did not complete after POLL_REMOVE; last completion for the fd: generation "
                            + lastGen[fd] + " res " + lastRes[fd] + " flags " + lastFlags[fd] + "; removal res " + removeRes);
                }
            }
        } finally {
            waitingFd = oldWaitingFd;
            waitingGen = oldWaitingGen;
            waitDone = oldDone;
        }
    }

    private Sqe sqe() {
        Sqe sqe = ring.nextSqe();
        if (sqe == null) {
            // SQ full: an extra enter, only with more than 256 SQEs queued
            if (Ring.isRefusal(ring.submit(false))) throw refused();
            enters++;
            sqe = ring.nextSqe();
            if (sqe == null) throw new IllegalStateException("io_uring SQ stays full after submitting");
        }
        return sqe;
    }

    private void armQueued() {
        int n = rearmCount;
        rearmCount = 0;
        for (int i = 0; i < n; i++) {
            int fd = rearm[i];
            if (state[fd] != REARM) continue; // removed since it was queued
            sqe().prepPollAdd(fd, pollMask(interest[fd]), quiet[fd] ? IORING_POLL_ADD_MULTI : 0)
                    .userData(userData(fd, gen[fd]));
            state[fd] = ARMED;
            armedAt[fd] = pollSeq;
        }
    }

    // ---------------------------------------------------------------- waiting

    @Override
    public int poll(long timeoutNanos) {
        if (ring.enterRefusal() != 0) {
            throw failAndRefuse();
        }
        pollSeq++;
        armQueued();
        readyCount = 0;
        checkCount = 0;
        // Polls woken while the loop's handlers ran have their completion's mask taken then (the
        // kernel stashes the wakeup's mask); a handler may have consumed that readiness since.
        staleWakeups = validate && (!taskrunFlag || (ring.sqFlags() & IORING_SQ_TASKRUN) != 0);
        // The one enter of the iteration: submits what the iteration queued and waits. With
        // DEFER_TASKRUN even a zero timeout needs it, as completions are posted by the enter.
        int rc;
        if (timeoutNanos == 0 || deferredCount > 0 || ring.hasCompletions()) {
            rc = ring.submit(true);
        } else {
            // -ETIME (timed out) and -EINTR (a signal) are an empty wait.
            rc = ring.submitAndWait(1, timeoutNanos < 0 ? -1 : timeoutNanos);
        }
        enters++;
        inPoll = true;
        try {
            deliverDeferred();
            ring.reap(router);
            deliverDeferred();
        } finally {
            inPoll = false;
        }
        if (Ring.isRefusal(rc)) {
            throw failAndRefuse();
        }
        if (checkCount > 0) {
            revalidate();
        }
        return readyCount;
    }

    /**
     * Re-checks, with one poll(2) of timeout 0, the reports whose mask may predate the wait, and
     * reports what is true now, as epoll does (it re-polls every ready fd when epoll_wait
     * returns). A report that is no longer true is dropped; the fd is re-armed anyway.
     */
    private void revalidate() {
        long size = Libc.POLLFD.byteSize();
        if (pollFds.byteSize() < size * checkCount) {
            pollFds = arena.allocate(size * Math.max(checkCount, 2 * (pollFds.byteSize() / size)), 8);
        }
        for (int k = 0; k < checkCount; k++) {
            int fd = readyFds[checkIdx[k]];
            pollFds.set(ValueLayout.JAVA_INT, k * size, fd);
            pollFds.set(ValueLayout.JAVA_SHORT, k * size + 4, (short) pollMask(interest[fd]));
            pollFds.set(ValueLayout.JAVA_SHORT, k * size + 6, (short) 0);
        }
        validations++;
        if (Libc.poll(pollFds, checkCount, 0) < 0) {
            return; // EINTR: keep the reports (at worst one spurious call)
        }
        for (int k = 0; k < checkCount; k++) {
            int i = checkIdx[k];
            int revents = Short.toUnsignedInt(pollFds.get(ValueLayout.JAVA_SHORT, k * size + 6));
            readyEvents[i] = readiness(revents, interest[readyFds[i]]);
        }
        int kept = 0;
        for (int i = 0; i < readyCount; i++) {
            if (readyEvents[i] != 0) {
                readyFds[kept] = readyFds[i];
                readyEvents[kept] = readyEvents[i];
                kept++;
            }
        }
        readyCount = kept;
    }

    /** Fails the AsyncIo ops in flight (none can complete now) and says why the loop cannot go on. */
    private IllegalStateException failAndRefuse() {
        deliverDeferred();
        if (io != null && io.inFlight() > 0) io.failInFlight(ring.enterRefusal());
        return refused();
    }

    private IllegalStateException refused() {
        return new IllegalStateException("uring backend: " + Ring.enterRefusedMessage(ring.enterRefusal())
                + "; this loop can wait for nothing (fd events, timers, AsyncIo): close it, or use the epoll backend");
    }

    private void route(long userData, int res, int flags) {
        if (UserData.isPollKind(userData)) {
            onPollCompletion(userData, res, flags);
        } else if (io != null) {
            io.complete(userData, res, flags);
        }
    }

    /** During a synchronous removal: AsyncIo completions wait for the next poll(). */
    private void routeDeferring(long userData, int res, int flags) {
        if (UserData.isPollKind(userData)) {
            onPollCompletion(userData, res, flags);
            return;
        }
        if (deferredCount == deferredRes.length) {
            int n = deferredCount * 2;
            deferredUserData = java.util.Arrays.copyOf(deferredUserData, n);
            deferredRes = java.util.Arrays.copyOf(deferredRes, n);
            deferredFlags = java.util.Arrays.copyOf(deferredFlags, n);
        }
        deferredUserData[deferredCount] = userData;
        deferredRes[deferredCount] = res;
        deferredFlags[deferredCount] = flags;
        deferredCount++;
    }

    private void deliverDeferred() {
        // A request callback may remove an fd and so defer more: loop until none is left.
        for (int i = 0; i < deferredCount; i++) {
            if (io != null) io.complete(deferredUserData[i], deferredRes[i], deferredFlags[i]);
        }
        deferredCount = 0;
    }

    private void onPollCompletion(long userData, int res, int flags) {
        if (UserData.kind(userData) == UserData.POLL_REMOVE) {
            if (UserData.index(userData) == waitingFd) removeRes = res; // diagnostics
            if (res == -Errno.EALREADY) {
                // The poll was being woken when the removal came: if its wakeup finds nothing
                // ready the kernel re-arms it (IOU_POLL_REISSUE) and the removal is lost, leaving
                // a poll that pins the file forever (seen in the differential properties). Ask again.
                submitRemove(UserData.pollOf(userData));
            }
            return; // otherwise nothing to learn: a synchronous removal waits for the poll's own CQE
        }
        int fd = UserData.index(userData);
        int g = UserData.generation(userData);
        boolean last = (flags & IORING_CQE_F_MORE) == 0;
        if (fd >= 0 && fd < state.length) {
            lastGen[fd] = g; // diagnostics only (the removal's error message)
            lastRes[fd] = res;
            lastFlags[fd] = flags;
        }
        if (fd == waitingFd && g == waitingGen) {
            if (last) waitDone = true;
            return;
        }
        if (fd < 0 || fd >= state.length || state[fd] != ARMED || gen[fd] != g) {
            return; // stale: removed or replaced since it was armed
        }
        if (res < 0) {
            // EBADF: the fd was closed behind the loop's back before the poll was armed; epoll
            // would have dropped the registration silently, and so do we.
            if (last) state[fd] = IDLE;
            return;
        }
        int ready = readiness(res, interest[fd]);
        if (ready == 0) {
            // Woken only by what the kernel always adds (RDHUP for a write-only fd): nothing to
            // report. A oneshot re-arm would complete again at once; go quiet (multishot).
            if (last) {
                quiet[fd] = true;
                queueRearm(fd);
            }
            return;
        }
        if (quiet[fd]) {
            quiet[fd] = false;
            if (!last) removeAsync(fd); // back to oneshot: level semantics
            queueRearm(fd);
        } else if (last) {
            queueRearm(fd);
        }
        if (!inPoll) {
            return; // reaped during a removal: the re-arm reports again if the fd is still ready
        }
        if (readyCount == readyFds.length) {
            readyFds = java.util.Arrays.copyOf(readyFds, readyCount * 2);
            readyEvents = java.util.Arrays.copyOf(readyEvents, readyCount * 2);
        }
        if (staleWakeups && armedAt[fd] != pollSeq) {
            if (checkCount == checkIdx.length) checkIdx = java.util.Arrays.copyOf(checkIdx, checkCount * 2);
            checkIdx[checkCount++] = readyCount;
        }
        readyFds[readyCount] = fd;
        readyEvents[readyCount] = ready;
        readyCount++;
    }

    @Override
    public int readyFd(int i) {
        return readyFds[i];
    }

    @Override
    public int readyEvents(int i) {
        return readyEvents[i];
    }

    private void grow(int fd) {
        if (fd < state.length) return;
        int n = Math.max(fd + 1, state.length * 2);
        interest = java.util.Arrays.copyOf(interest, n);
        gen = java.util.Arrays.copyOf(gen, n);
        state = java.util.Arrays.copyOf(state, n);
        quiet = java.util.Arrays.copyOf(quiet, n);
        armedAt = java.util.Arrays.copyOf(armedAt, n);
        lastGen = java.util.Arrays.copyOf(lastGen, n);
        lastRes = java.util.Arrays.copyOf(lastRes, n);
        lastFlags = java.util.Arrays.copyOf(lastFlags, n);
        armedIno = java.util.Arrays.copyOf(armedIno, n);
        armedDev = java.util.Arrays.copyOf(armedDev, n);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // Closing the ring cancels every poll still in flight (the loop's wakeup eventfd's).
        ring.close();
        arena.close();
    }
}
