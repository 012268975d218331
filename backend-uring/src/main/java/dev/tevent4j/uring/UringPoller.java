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

import java.util.Arrays;

import static dev.tevent4j.ring.IoUringAbi.*;

/**
 * The uring backend's poller: every watched fd is an IORING_OP_POLL_ADD on one ring, the wait is
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
 * of a removed or replaced poll (POLL_REMOVE is asynchronous: docs/backends.md, uring hazard 2) is recognised and
 * dropped. No lookup structure, no allocation per event: per-fd state lives in a
 * {@link UringFdTable}, arrays indexed by fd.
 *
 * <p><b>A pending poll pins the file</b> (docs/backends.md, uring hazard 1): a close() of the fd does not release
 * the file while a poll on it is in flight, so a peer would never see EOF. Removing an fd's
 * interest ({@code setInterest(fd, old, 0)}, which the loop calls before auto-close) therefore
 * waits until the poll's own final completion has arrived before it returns
 * ({@link UringSyncRemoval}).
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
 * of polls armed by an earlier enter are re-checked with one poll(2) ({@link StaleReportCheck}).
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
    private static final int POLLIN = Libc.POLLIN, POLLOUT = Libc.POLLOUT, POLLERR = Libc.POLLERR,
            POLLHUP = Libc.POLLHUP, POLLRDHUP = Libc.POLLRDHUP;
    private static final byte IDLE = UringFdTable.IDLE, ARMED = UringFdTable.ARMED, REARM = UringFdTable.REARM;

    private final Ring ring;
    private final UringFdTable fds = new UringFdTable();
    private final UringFdCheck fdCheck = new UringFdCheck(fds);
    private final StaleReportCheck staleReports = new StaleReportCheck();
    private final UringSyncRemoval removal;

    private int[] readyFds = new int[64];
    private int[] readyEvents = new int[64];
    private int readyCount;

    /** Whether poll reports are recorded (inside poll()) or dropped and re-armed (elsewhere). */
    private boolean inPoll;

    private final Ring.CompletionHandler router = this::route;
    private final Ring.CompletionHandler polls = this::onPollCompletion;
    private RingAsyncIo io;
    private long enters;

    /** {@code -Dtevent4j.uring.validate=false}: trust wake-time masks (see the class comment). */
    static final String VALIDATE_PROPERTY = "tevent4j.uring.validate";
    private final boolean validate;
    private final boolean taskrunFlag;
    /** Numbers the poll() calls; a poll armed by an earlier one may carry a stale mask. */
    private int pollSeq;
    /** Whether completions of this poll() may carry a mask taken before the wait. */
    private boolean staleWakeups;
    private boolean closed;

    /** Sets up a ring with DEFER_TASKRUN (completions are posted only by our own enter). */
    public UringPoller() {
        this(dev.tevent4j.LoopOptions.defaults());
    }

    /**
     * As {@link #UringPoller()}, the ring sized and limited by {@code options}; the CQ defaults to
     * sixteen times the SQ (4096 for the default 256), as the fd polls share it with AsyncIo.
     *
     * @param options the loop's options
     */
    public UringPoller(dev.tevent4j.LoopOptions options) {
        // TASKRUN_FLAG: the kernel sets IORING_SQ_TASKRUN in the shared SQ flags when a poll was
        // woken (task work queued) and not yet run: that tells, before the enter, whether some
        // completion of this enter may carry a mask taken while the loop's handlers ran.
        try {
            ring = dev.tevent4j.ring.RingSetup.open(options, 16, true, IORING_SETUP_TASKRUN_FLAG);
        } catch (RuntimeException e) {
            // a refused ring (RingUnavailableException) must not leak the scratch
            fdCheck.close();
            staleReports.close();
            throw e;
        }
        removal = new UringSyncRemoval(this, ring, fds);
        taskrunFlag = ring.hasFlag(IORING_SETUP_TASKRUN_FLAG);
        validate = !"false".equals(System.getProperty(VALIDATE_PROPERTY, "true"));
    }

    /**
     * The ring, for tests and diagnostics.
     *
     * @return the ring every poll and AsyncIo op runs on
     */
    public Ring ring() {
        return ring;
    }

    /**
     * io_uring_enter calls made by {@link #poll} and synchronous removals, for tests.
     *
     * @return how many so far
     */
    public long enterCount() {
        return enters;
    }

    /**
     * poll(2) calls made to re-check reports whose mask may be stale, for tests.
     *
     * @return how many so far
     */
    public long validationCount() {
        return staleReports.validations();
    }

    /**
     * Whether a poll on {@code fd} is in the kernel now, for tests.
     *
     * @param fd an fd
     * @return whether its poll is armed
     */
    public boolean pollInFlight(int fd) {
        return fds.holds(fd) && fds.state(fd) == ARMED;
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

    @Override
    public int setInterest(int fd, int oldInterest, int newInterest) {
        if (fd < 0) return -Errno.EBADF;
        fds.ensure(fd);
        if (newInterest == 0) {
            removal.removeNow(fd);
            return 0;
        }
        // epoll_ctl answers synchronously (EBADF, EPERM for regular files); a POLL_ADD would only
        // tell in a later completion, so ask the kernel about the fd first (one statx, as many
        // syscalls as epoll_ctl costs). A registration change is not on the hot path.
        int rc = fdCheck.check(fd, oldInterest == 0);
        if (rc == 0 && oldInterest != 0 && !fdCheck.sameFileAsAdded(fd)) {
            // The number names another file now: the poll still watches the closed one (it pins
            // it). Report it as epoll's ENOENT does; the loop disarms the stale events and adds
            // the fd afresh. The poll goes now: it would keep the closed file open in the kernel.
            removal.removeNow(fd);
            return -Errno.ENOENT;
        }
        if (rc == 0 && oldInterest == newInterest) return 0; // a revalidation: nothing to change
        if (rc < 0) {
            // The loop disarms the fd's events (EBADF) or refuses the add: the poll must go, or it
            // keeps the file pinned.
            removal.removeNow(fd);
            return rc;
        }
        fds.setInterest(fd, newInterest);
        fds.setQuiet(fd, false);
        switch (fds.state(fd)) {
            case IDLE -> fds.queueRearm(fd);
            case ARMED -> {
                // Replace: remove the old poll (asynchronously; its late completion carries the
                // old generation and is dropped) and arm a new one with the new mask.
                removeAsync(fd);
                fds.queueRearm(fd);
            }
            default -> { } // REARM: armed with the new mask by the next poll()
        }
        return 0;
    }

    /** POLL_REMOVE of the fd's current poll without waiting; bumps the generation. */
    void removeAsync(int fd) {
        submitRemove(UserData.poll(fds.generation(fd), fd));
        fds.bumpGeneration(fd);
        fds.setState(fd, IDLE);
    }

    /** Queues a POLL_REMOVE of the poll with this user_data; its own CQE is of kind UserData.POLL_REMOVE. */
    void submitRemove(long pollUserData) {
        sqe().prepPollRemove(pollUserData).userData(UserData.removalOf(pollUserData));
    }

    /** Counts an io_uring_enter made outside {@link #poll} (a synchronous removal's). */
    void countEnter() {
        enters++;
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
        int n = fds.takeQueued();
        for (int i = 0; i < n; i++) {
            int fd = fds.queued(i);
            if (fds.state(fd) != REARM) continue; // removed since it was queued
            sqe().prepPollAdd(fd, pollMask(fds.interest(fd)), fds.quiet(fd) ? IORING_POLL_ADD_MULTI : 0)
                    .userData(UserData.poll(fds.generation(fd), fd));
            fds.armed(fd, pollSeq);
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
        staleReports.clear();
        // Polls woken while the loop's handlers ran have their completion's mask taken then (the
        // kernel stashes the wakeup's mask); a handler may have consumed that readiness since.
        staleWakeups = validate && (!taskrunFlag || (ring.sqFlags() & IORING_SQ_TASKRUN) != 0);
        // The one enter of the iteration: submits what the iteration queued and waits. With
        // DEFER_TASKRUN even a zero timeout needs it, as completions are posted by the enter.
        int rc;
        if (timeoutNanos == 0 || removal.hasDeferred() || ring.hasCompletions()) {
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
        if (staleReports.any()) {
            readyCount = staleReports.revalidate(readyFds, readyEvents, readyCount, fds);
        }
        return readyCount;
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

    private void deliverDeferred() {
        removal.deliverDeferred(io);
    }

    /** Handles a completion of kind POLL or POLL_REMOVE, whoever reaped it. */
    void onPollCompletion(long userData, int res, int flags) {
        if (UserData.kind(userData) == UserData.POLL_REMOVE) {
            removal.removalCompleted(UserData.index(userData), res);
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
        boolean known = fds.holds(fd);
        if (known) fds.recordCompletion(fd, g, res, flags); // diagnostics only (a removal's error message)
        if (removal.consume(fd, g, last)) {
            return;
        }
        if (!known || fds.state(fd) != ARMED || fds.generation(fd) != g) {
            return; // stale: removed or replaced since it was armed
        }
        if (res < 0) {
            // EBADF: the fd was closed behind the loop's back before the poll was armed; epoll
            // would have dropped the registration silently, and so do we.
            if (last) fds.setState(fd, IDLE);
            return;
        }
        int ready = readiness(res, fds.interest(fd));
        if (ready == 0) {
            // Woken only by what the kernel always adds (RDHUP for a write-only fd): nothing to
            // report. A oneshot re-arm would complete again at once; go quiet (multishot).
            if (last) {
                fds.setQuiet(fd, true);
                fds.queueRearm(fd);
            }
            return;
        }
        if (fds.quiet(fd)) {
            fds.setQuiet(fd, false);
            if (!last) removeAsync(fd); // back to oneshot: level semantics
            fds.queueRearm(fd);
        } else if (last) {
            fds.queueRearm(fd);
        }
        if (!inPoll) {
            return; // reaped during a removal: the re-arm reports again if the fd is still ready
        }
        if (readyCount == readyFds.length) {
            readyFds = Arrays.copyOf(readyFds, readyCount * 2);
            readyEvents = Arrays.copyOf(readyEvents, readyCount * 2);
        }
        if (staleWakeups && fds.armedAt(fd) != pollSeq) {
            staleReports.suspect(readyCount);
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

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // Closing the ring cancels every poll still in flight (the loop's wakeup eventfd's).
        ring.close();
        fdCheck.close();
        staleReports.close();
    }
}
