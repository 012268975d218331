package dev.tevent4j.ring;

import dev.tevent4j.Request;
import dev.tevent4j.AsyncIo;
import dev.tevent4j.IoCompletion;
import dev.tevent4j.IoHandle;
import dev.tevent4j.IoLink;
import dev.tevent4j.Msg;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.FileArgs;
import dev.tevent4j.spi.IoArgs;
import dev.tevent4j.spi.LoopServices;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.tevent4j.linux.Errno.ECANCELED;
import static dev.tevent4j.linux.Errno.ENOENT;
import static dev.tevent4j.linux.Errno.ETIME;
import static dev.tevent4j.ring.IoUringAbi.*;

/**
 * AsyncIo on an io_uring {@link Ring}. Each op takes a slot; its SQE's user_data is a
 * {@link UserData#op UserData.op(generation, slot)}, so a completion finds its op with one array
 * load and a stale completion (of a slot since reused) is recognised and dropped. Slots, their native scratch (iovecs, msghdr, paths) and the free list are reused:
 * after warm-up an op allocates only its {@link Request}.
 *
 * <p>SQEs are only filled here; the backend that owns the ring submits them once per loop
 * iteration, just before it waits, and calls {@link #reap()} after.
 */
public final class RingAsyncIo implements AsyncIo, dev.tevent4j.spi.PersonalityIo {
    private static final int SCRATCH = 512;
    /** Our own ASYNC_CANCELs: their completions carry nothing anyone waits for. */
    private static final long CANCEL_USER_DATA = UserData.ignored(0);
    /** Link timeouts: their completions say nothing the op they limit does not say too. */
    private static final long LINK_TIMEOUT_USER_DATA = UserData.ignored(1);

    private final LoopServices loop;
    private final Ring ring;
    private final Arena arena = Arena.ofConfined();
    private final Ring.CompletionHandler onCompletion = this::complete;
    /** Receives the completions of kinds POLL and POLL_REMOVE; null drops them. */
    private final Ring.CompletionHandler polls;
    private Slot[] slots = new Slot[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;
    private int inFlight;
    private boolean closed;
    /** Set while close cancels and drains: new ops would keep the drain waiting. */
    private boolean draining;
    /** The chain ops join while it is open; one per AsyncIo, reused. */
    private final RingLink link = new RingLink();
    /** The op joined last to the open chain, null when none is. */
    private Slot linkLast;
    /** Set while an {@link IoHandle} starts its op: the slot then belongs to it, not to a new Request. */
    private Handle handleTarget;

    /** One op's state; also its cancel function, so starting an op allocates no lambda. */
    private final class Slot implements java.util.function.Predicate<Request<Integer>> {
        final int index;
        int generation;
        Request<Integer> request;
        Op op;
        /** Buffers and paths the kernel reads or writes: reachable until the completion. */
        Object keepAlive;
        MemorySegment scratch;
        int zeroCopyResult;
        /** Set instead of {@link #request} for an op of an {@link IoHandle}. */
        Handle handle;
        /** Links: the ops before and after in the chain whose completions are not reaped yet. */
        Slot chainPrev, chainNext;
        /** Joined a soft chain: a failure here cancels the ops after it. */
        boolean softLinked;
        /** Posts no completion on success: it is known to have succeeded when a later op of its chain completes. */
        boolean quiet;
        /** What a quiet op completes with on success: the length it was given. */
        int requested;
        /** Cancelled before it started (it waits behind the op before it in a chain). */
        boolean cancelWhenStarted;
        /** Someone asked to cancel it: an ECANCELED completion is theirs, not its link timeout's. */
        boolean cancelRequested;
        /** A link timeout follows its SQE: an ECANCELED nobody asked for means the timeout fired (ETIME). */
        boolean linkTimeout;
        /** The link timeout's struct __kernel_timespec, read at submission; reused by the slot. */
        MemorySegment timespec;
        /** Byte offset of its SQE while its chain is being built (quiet and close come back to it). */
        long sqeOffset;
        /** An op before it in a soft chain failed: its ECANCELED is that, never its link timeout. */
        boolean chainFailed;
        /** registered resources: the table the op uses, told when the slot is released; or null. */
        dev.tevent4j.spi.RegisteredTable use;

        Slot(int index) {
            this.index = index;
        }

        @Override
        public boolean test(Request<Integer> r) {
            if (r == request) cancel(this, generation);
            return false; // completes later: ECANCELED if the cancel won
        }
    }

    /**
     * An AsyncIo on {@code ring}, whose owner (the backend) submits and reaps it.
     *
     * @param loop the loop the completions run on
     * @param ring the ring the ops' SQEs go to
     */
    public RingAsyncIo(LoopServices loop, Ring ring) {
        this(loop, ring, null);
    }

    /**
     * An AsyncIo on a ring whose owner also submits SQEs of its own, with user_data of kinds
     * {@link UserData#POLL} and {@link UserData#POLL_REMOVE}: every reap here (the loop-close
     * drain included) routes their completions to {@code polls}, so none is lost whoever reaps.
     *
     * @param loop the loop the completions run on
     * @param ring the ring the ops' SQEs go to
     * @param polls receives the owner's completions; null drops them
     */
    public RingAsyncIo(LoopServices loop, Ring ring, Ring.CompletionHandler polls) {
        this.loop = loop;
        this.ring = ring;
        this.polls = polls;
        loop.atClose(LoopServices.CloseStage.DRAIN_IO, this::cancelAndDrain);
    }

    @Override
    public String kind() {
        return "io_uring";
    }

    @Override
    public boolean supports(Op op) {
        return switch (op) {
            case NOP -> ring.supports(IORING_OP_NOP);
            case READ -> ring.supports(IORING_OP_READ);
            case WRITE -> ring.supports(IORING_OP_WRITE);
            case READV -> ring.supports(IORING_OP_READV);
            case WRITEV -> ring.supports(IORING_OP_WRITEV);
            case FSYNC, FDATASYNC -> ring.supports(IORING_OP_FSYNC);
            case SEND -> ring.supports(IORING_OP_SEND);
            case RECV -> ring.supports(IORING_OP_RECV);
            case SENDMSG -> ring.supports(IORING_OP_SENDMSG);
            case RECVMSG -> ring.supports(IORING_OP_RECVMSG);
            case SPLICE -> ring.supports(IORING_OP_SPLICE);
            case SEND_ZC -> ring.supports(IORING_OP_SEND_ZC);
            case OPENAT -> ring.supports(IORING_OP_OPENAT);
            case CLOSE -> ring.supports(IORING_OP_CLOSE);
            case STATX -> ring.supports(IORING_OP_STATX);
            // files and messages
            case SENDMSG_ZC -> ring.supports(IORING_OP_SENDMSG_ZC);
            case OPENAT2 -> ring.supports(IORING_OP_OPENAT2);
            case UNLINKAT -> ring.supports(IORING_OP_UNLINKAT);
            case RENAMEAT -> ring.supports(IORING_OP_RENAMEAT);
            case MKDIRAT -> ring.supports(IORING_OP_MKDIRAT);
            case FGETXATTR -> ring.supports(IORING_OP_FGETXATTR);
            case FSETXATTR -> ring.supports(IORING_OP_FSETXATTR);
            case FADVISE -> ring.supports(IORING_OP_FADVISE);
            case TEE -> ring.supports(IORING_OP_TEE);

            // sockets
            case ACCEPT -> ring.supports(IORING_OP_ACCEPT);
            case CONNECT -> ring.supports(IORING_OP_CONNECT);
            // The probe has no flag bits: date the kernel by an opcode of the same release.
            case ACCEPT_MULTISHOT -> ring.supports(IORING_OP_ACCEPT) && ring.supports(IORING_OP_SOCKET); // 5.19
            case RECV_MULTISHOT -> ring.supports(IORING_OP_RECV) && ring.supports(IORING_OP_SEND_ZC); // 6.0

            // links and handles
            case LINK_TIMEOUT -> ring.supports(IORING_OP_LINK_TIMEOUT);
            case QUIET -> (ring.features() & IORING_FEAT_CQE_SKIP) != 0;

            // registered resources
            case READ_FIXED -> ring.supports(IORING_OP_READ_FIXED);
            case WRITE_FIXED -> ring.supports(IORING_OP_WRITE_FIXED);
            // IORING_REGISTER_FILES_UPDATE is 5.5; IORING_OP_READ (5.6) dates the kernel past it
            case FIXED_FILES -> ring.supports(IORING_OP_READ);

        };
    }

    /**
     * The ring this AsyncIo's SQEs go to.
     *
     * @return the ring (docs/ring.md says what a caller may do with it)
     */
    public Ring ring() {
        return ring;
    }

    /**
     * Ops submitted or waiting to be, whose completion has not been reaped.
     *
     * @return how many
     */
    public int inFlight() {
        return inFlight;
    }

    /**
     * Hands every completion in the CQ to its request (the backend calls it after its wait). No
     * syscall unless the CQ overflowed.
     *
     * @return how many completions were reaped
     */
    public int reap() {
        return ring.reap(onCompletion);
    }

    // ---------------------------------------------------------------- slots

    private Slot takeSlot(Op op) {
        loop.checkOwnerAndOpen();
        if (closed || draining) throw new IllegalStateException("the event loop is closing: no new AsyncIo op");
        Slot s;
        if (freeCount > 0) {
            s = slots[free[--freeCount]];
        } else {
            if (used == slots.length) {
                Slot[] grown = new Slot[used * 2];
                System.arraycopy(slots, 0, grown, 0, used);
                slots = grown;
                int[] f = new int[used * 2];
                System.arraycopy(free, 0, f, 0, freeCount);
                free = f;
            }
            s = new Slot(used);
            slots[used++] = s;
        }
        s.op = op;
        if (handleTarget != null) {
            s.handle = handleTarget;
            handleTarget.taken(s);
        } else {
            s.request = loop.newOpRequest();
            s.request.setCancelFn(s);
        }
        return s;
    }

    private void releaseSlot(Slot s) {
        s.generation = UserData.nextGeneration(s.generation);
        s.request = null;
        if (s.handle != null) s.handle.released();
        s.handle = null;
        s.keepAlive = null;
        s.op = null;
        if (s.chainPrev != null) s.chainPrev.chainNext = s.chainNext;
        if (s.chainNext != null) s.chainNext.chainPrev = s.chainPrev;
        if (linkLast == s) linkLast = s.chainPrev;
        s.chainPrev = s.chainNext = null;
        s.softLinked = false;
        s.quiet = s.cancelWhenStarted = s.cancelRequested = s.linkTimeout = s.chainFailed = false;
        s.requested = 0;
        if (s.use != null) {
            s.use.opEnded();
            s.use = null;
        }
        free[freeCount++] = s.index;
    }

    /** Whether the slot's op is in flight: a request or a handle waits for it. */
    private static boolean live(Slot s) {
        return s.request != null || s.handle != null;
    }

    /**
     * Completes an op whose SQE never went to the kernel, from the next iteration (never inside
     * the call that started it); the slot is released now.
     */
    private void failUnsubmitted(Slot s, ErrnoException e) {
        Request<Integer> r = s.request;
        Handle h = s.handle;
        releaseSlot(s);
        if (r != null) {
            r.postError(e);
        } else {
            int errno = e.errno();
            loop.loop().executor().execute(() -> h.deliver(-errno));
        }
    }

    private MemorySegment scratch(Slot s, long bytes) {
        if (bytes > SCRATCH) {
            return Arena.ofAuto().allocate(bytes, 8);
        }
        if (s.scratch == null) s.scratch = arena.allocate(SCRATCH, 8);
        return s.scratch;
    }

    private static long userData(Slot s) {
        return UserData.op(s.generation, s.index);
    }

    /** A zeroed SQE; submits to make room when the SQ is full. Null: io_uring_enter is refused. */
    private Sqe sqe() {
        if (ring.enterRefusal() != 0) return null;
        Sqe sqe = ring.nextSqe();
        if (sqe == null && link.open) {
            // Submitting now would end the chain early: the kernel ends a link at a submission's end.
            throw new IllegalStateException("the linked chain does not fit in the io_uring SQ (" + ring.sqEntries() + " entries)");
        }
        if (sqe == null) {
            // Refused: the ops in flight are failed by the ring's owner (it checks after its enter).
            if (Ring.isRefusal(ring.submit(false))) return null;
            sqe = ring.nextSqe();
            if (sqe == null) throw new IllegalStateException("io_uring SQ stays full after submitting");
        }
        return sqe;
    }

    /**
     * The SQE for the slot's op, its user_data set and the op counted in flight; the caller
     * preps it. Null when io_uring_enter is refused for good: the request is then failed (its
     * callback runs next iteration) and the slot released, so the caller only returns.
     */
    private Sqe start(Slot s) {
        Sqe sqe;
        try {
            sqe = sqe();
        } catch (IllegalStateException full) {
            Request<Integer> r = s.request;
            releaseSlot(s);
            if (r != null) r.error(full);
            throw full;
        }
        if (sqe == null) {
            // The ring's io_uring_enter is refused for good: an SQE would never run.
            failUnsubmitted(s, refused(s.op, ring.enterRefusal()));
            return null;
        }
        sqe.userData(userData(s));
        if (personality != 0) sqe.personality(personality);
        inFlight++;
        loop.ioStarted();
        if (link.open) link.joined(s, sqe);
        return sqe;
    }

    /** An ASYNC_CANCEL of our own (its completion, of kind IGNORED, is dropped). */
    private void submitCancel(long target, int cancelFlags) {
        Sqe sqe = sqe();
        if (sqe == null) return; // enter refused: nothing can be cancelled, the ops were failed
        sqe.prepCancel(target, cancelFlags).userData(CANCEL_USER_DATA);
    }

    private void cancel(Slot s, int generation) {
        if (s.generation != generation || !live(s) || closed) return;
        s.cancelRequested = true;
        if (link.open) { // an SQE now would join the chain
            link.deferCancel(s);
            return;
        }
        Slot prev = s.chainPrev;
        if (prev == null) {
            submitCancel(userData(s), 0);
            return;
        }
        // Waiting behind the op before it, it is out of ASYNC_CANCEL's reach until it starts.
        s.cancelWhenStarted = true;
        if (prev.quiet) {
            // A quiet op's success posts nothing to say when this one starts: cancel that op too
            // (which fails this one with it), and retry this one's cancel while it is not found.
            prev.cancelRequested = true;
            submitCancel(userData(prev), 0);
            submitTargetedCancel(s);
        }
    }

    private void submitTargetedCancel(Slot s) {
        Sqe sqe = sqe();
        if (sqe == null) return;
        sqe.prepCancel(userData(s), 0).userData(UserData.targetedCancel(userData(s)));
    }

    /**
     * A targeted cancel found nothing: its op may not have started yet (it is queued behind a
     * quiet op that just succeeded), so ask again while it is in flight.
     */
    private void cancelTargetMissed(long opUserData) {
        int index = UserData.index(opUserData);
        Slot s = index >= 0 && index < used ? slots[index] : null;
        if (s == null || s.generation != UserData.generation(opUserData) || !live(s)) return;
        if (!s.cancelWhenStarted || (s.chainPrev != null && !s.chainPrev.quiet)) return;
        // Not on the next iteration but a millisecond later: the op it waits for may take a while.
        int generation = s.generation;
        loop.loop().addTimer(java.time.Duration.ofMillis(1), (t, now) -> {
            if (s.generation == generation && live(s) && !closed && !draining && !link.open) submitTargetedCancel(s);
        });
    }

    /**
     * Handles one completion reaped from the ring: a backend that reaps the shared ring itself
     * hands over every CQE here. Kinds POLL and POLL_REMOVE go to the {@code polls} handler,
     * kind IGNORED is dropped, and a stale OP (of a slot since reused) is dropped too.
     *
     * @param userData the CQE's user_data
     * @param res its result
     * @param flags its IORING_CQE_F_* flags
     */
    public void complete(long userData, int res, int flags) {
        if (UserData.isPollKind(userData)) {
            if (polls != null) polls.onCompletion(userData, res, flags);
            return;
        }
        if (UserData.kind(userData) != UserData.OP) { // IGNORED: our cancels and link timeouts, a daemon's own SQEs
            if (res == -ENOENT && UserData.isTargetedCancel(userData)) cancelTargetMissed(UserData.targetOf(userData));
            return;
        }
        int index = UserData.index(userData);
        Slot s = index >= 0 && index < used ? slots[index] : null;
        if (s == null || s.generation != UserData.generation(userData) || !live(s)) return;
        if (s.linkTimeout && res == -ECANCELED && !s.cancelRequested && !s.chainFailed && !draining) res = -ETIME;
        if (s.keepAlive instanceof Stream st) { // sockets: a multishot's CQEs keep the slot until one without MORE
            res = st.onCqe(res, flags);
            if (res == Stream.GOES_ON) return;
        }
        if (s.op == Op.SEND_ZC || s.op == Op.SENDMSG_ZC) {
            if ((flags & IORING_CQE_F_NOTIF) == 0) {
                s.zeroCopyResult = res;
                if ((flags & IORING_CQE_F_MORE) != 0) return; // the buffer is still the kernel's
            } else {
                res = s.zeroCopyResult;
            }
        }
        if (s.chainPrev != null || s.chainNext != null) chainCompletion(s, res);
        else finish(s, res);
    }

    /** The kernel's rule: a failure, or a transfer shorter than asked where it counts as one. */
    private static boolean breaksLink(Slot s, int res) {
        if (res < 0) return true;
        return switch (s.op) {
            case READ, WRITE, READV, WRITEV, SPLICE, TEE -> res < s.requested;
            case SEND -> s.quiet && res < s.requested; // a quiet send has MSG_WAITALL
            default -> false;
        };
    }

    /**
     * An op of a chain completed. Quiet ops before it succeeded (else they would have posted
     * their completion, and this op would post none), so they complete first, oldest first,
     * with the length they were given. A quiet op that posts a completion failed, and the
     * kernel then fails the ops after it without posting theirs: they complete here with
     * ECANCELED. A cancel asked for the next op while it waited is sent now that it starts.
     */
    private void chainCompletion(Slot s, int res) {
        Slot first = s;
        while (first.chainPrev != null && first.chainPrev.quiet) first = first.chainPrev;
        while (first != s) {
            Slot next = first.chainNext;
            finish(first, first.requested);
            first = next;
        }
        Slot next = s.chainNext;
        boolean quietFailed = s.quiet;
        if (s.softLinked && breaksLink(s, res)) {
            for (Slot after = next; after != null; after = after.chainNext) after.chainFailed = true;
        }
        finish(s, res);
        if (quietFailed) {
            while (next != null) {
                Slot after = next.chainNext;
                if (live(next)) finish(next, -ECANCELED);
                next = after;
            }
        } else if (next != null && next.cancelWhenStarted && !link.open) {
            submitTargetedCancel(next);
        }
    }

    /** The op's completion reached us: hand its result to its request or handle. */
    private void finish(Slot s, int res) {
        Request<Integer> r = s.request;
        Handle h = s.handle;
        Op op = s.op;
        releaseSlot(s);
        inFlight--;
        loop.ioFinished();
        if (h != null) h.deliver(res);
        else loop.completeOp(r, op, res);
    }

    /**
     * Fails every op in flight with an {@link ErrnoException} naming {@code errno}: the ring's
     * owner calls it when io_uring_enter is refused for good (a seccomp filter's EPERM or
     * ENOSYS), as no completion can come any more and the requests would otherwise hang. A
     * completion that still arrives for one of them is stale and dropped.
     *
     * @param errno the positive errno of the refusal, as {@link Ring#enterRefusal()} reports it
     */
    public void failInFlight(int errno) {
        for (int i = 0; i < used; i++) {
            Slot s = slots[i];
            if (!live(s)) continue;
            Request<Integer> r = s.request;
            Handle h = s.handle;
            Op op = s.op;
            releaseSlot(s);
            inFlight--;
            loop.ioFinished();
            if (h != null) h.deliver(-errno);
            else if (r.isInProgress()) r.error(refused(op, errno));
        }
    }

    private static ErrnoException refused(Op op, int errno) {
        return new ErrnoException("io_uring_enter for " + op.name().toLowerCase(java.util.Locale.ROOT), errno);
    }

    // ---------------------------------------------------------------- ops

    @Override
    public Request<Integer> nop() {
        Slot s = takeSlot(Op.NOP);
        Request<Integer> r = s.request; // start releases the slot when it fails the request
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepNop();
        return r;
    }

    @Override
    public Request<Integer> read(int fd, MemorySegment buf, long offset) {
        return oneBuffer(Op.READ, fd, buf, offset, 0);
    }

    @Override
    public Request<Integer> write(int fd, MemorySegment buf, long offset) {
        return oneBuffer(Op.WRITE, fd, buf, offset, 0);
    }

    /** The ops on one buffer: addr/len are the buffer, which the slot keeps until completion. */
    private Request<Integer> oneBuffer(Op op, int fd, MemorySegment buf, long offset, int flags) {
        IoArgs.fd(fd, "fd");
        int len = IoArgs.length(IoArgs.buffer(buf, "buf").byteSize(), "buf");
        Slot s = takeSlot(op);
        s.keepAlive = buf;
        s.zeroCopyResult = 0;
        s.requested = len;
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe == null) return r;
        long addr = buf.address();
        switch (op) {
            case READ -> sqe.prepRead(fd, addr, len, offset);
            case WRITE -> sqe.prepWrite(fd, addr, len, offset);
            case SEND -> sqe.prepSend(fd, addr, len, flags);
            case RECV -> sqe.prepRecv(fd, addr, len, flags);
            case SEND_ZC -> sqe.prepSendZc(fd, addr, len, flags);
            default -> throw new AssertionError(op);
        }
        return r;
    }

    @Override
    public Request<Integer> readv(int fd, MemorySegment[] bufs, long offset) {
        return vectored(Op.READV, fd, bufs, offset, 0);
    }

    @Override
    public Request<Integer> writev(int fd, MemorySegment[] bufs, long offset) {
        return vectored(Op.WRITEV, fd, bufs, offset, 0);
    }

    @Override
    public Request<Integer> sendmsg(int fd, MemorySegment[] bufs, int flags) {
        return vectored(Op.SENDMSG, fd, bufs, 0, flags | Libc.MSG_NOSIGNAL);
    }

    @Override
    public Request<Integer> recvmsg(int fd, MemorySegment[] bufs, int flags) {
        return vectored(Op.RECVMSG, fd, bufs, 0, flags);
    }

    /**
     * The ops on a buffer array (readv, writev, sendmsg, recvmsg): one argument check, one copy
     * of the array (the caller may change theirs), and iovecs (behind a msghdr for the msg ops)
     * in the slot's scratch, all kept reachable until the completion.
     */
    private Request<Integer> vectored(Op op, int fd, MemorySegment[] bufs, long offset, int flags) {
        IoArgs.fd(fd, "fd");
        MemorySegment[] copy = IoArgs.buffers(bufs, "bufs").clone();
        boolean msg = op == Op.SENDMSG || op == Op.RECVMSG;
        Slot s = takeSlot(op);
        long header = msg ? Libc.MSGHDR.byteSize() : 0;
        long iovBytes = Libc.IOVEC.byteSize() * copy.length;
        MemorySegment mem = scratch(s, header + iovBytes);
        IoArgs.fillIovecs(mem.asSlice(header, iovBytes), copy);
        if (msg) IoArgs.fillMsghdr(mem.asSlice(0, header), mem.asSlice(header), copy.length);
        s.keepAlive = new Object[] {copy, mem};
        if (link.open) s.requested = (int) Math.min(IoArgs.totalLength(copy), Integer.MAX_VALUE); // only links read it
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe == null) return r;
        switch (op) {
            case READV -> sqe.prepReadv(fd, mem.address(), copy.length, offset);
            case WRITEV -> sqe.prepWritev(fd, mem.address(), copy.length, offset);
            case SENDMSG -> sqe.prepSendmsg(fd, mem.address(), flags);
            case RECVMSG -> sqe.prepRecvmsg(fd, mem.address(), flags);
            default -> throw new AssertionError(op);
        }
        return r;
    }

    @Override
    public Request<Integer> fsync(int fd) {
        return sync(Op.FSYNC, fd, 0);
    }

    @Override
    public Request<Integer> fdatasync(int fd) {
        return sync(Op.FDATASYNC, fd, IORING_FSYNC_DATASYNC);
    }

    private Request<Integer> sync(Op op, int fd, int fsyncFlags) {
        IoArgs.fd(fd, "fd");
        Slot s = takeSlot(op);
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepFsync(fd, fsyncFlags);
        return r;
    }

    @Override
    public Request<Integer> send(int fd, MemorySegment buf, int flags) {
        return oneBuffer(Op.SEND, fd, buf, 0, flags | Libc.MSG_NOSIGNAL);
    }

    @Override
    public Request<Integer> recv(int fd, MemorySegment buf, int flags) {
        return oneBuffer(Op.RECV, fd, buf, 0, flags);
    }

    @Override
    public Request<Integer> splice(int fdIn, long offIn, int fdOut, long offOut, int len, int flags) {
        IoArgs.fd(fdIn, "fdIn");
        IoArgs.fd(fdOut, "fdOut");
        if (len < 0) throw new IllegalArgumentException("len " + len + " is negative");
        Slot s = takeSlot(Op.SPLICE);
        s.requested = len;
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        // -1: no offset (a pipe end, or the file position); the kernel reads any other negative as one
        if (sqe != null) sqe.prepSplice(fdIn, offIn < 0 ? -1L : offIn, fdOut, offOut < 0 ? -1L : offOut, len, flags);
        return r;
    }

    @Override
    public Request<Integer> sendZeroCopy(int fd, MemorySegment buf, int flags) {
        return oneBuffer(Op.SEND_ZC, fd, buf, 0, flags | Libc.MSG_NOSIGNAL);
    }

    /** The path as a NUL-terminated UTF-8 string in the slot's scratch. */
    private MemorySegment path(Slot s, String path) {
        byte[] utf8 = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MemorySegment mem = scratch(s, utf8.length + 1);
        MemorySegment.copy(utf8, 0, mem, ValueLayout.JAVA_BYTE, 0, utf8.length);
        mem.set(ValueLayout.JAVA_BYTE, utf8.length, (byte) 0);
        return mem;
    }

    @Override
    public Request<Integer> openat(int dirfd, String path, int flags, int mode) {
        if (path == null) throw new NullPointerException("path is null");
        Slot s = takeSlot(Op.OPENAT);
        MemorySegment p = path(s, path);
        s.keepAlive = p;
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepOpenat(dirfd, p.address(), flags | Libc.O_CLOEXEC, mode);
        return r;
    }

    @Override
    public Request<Integer> close(int fd) {
        IoArgs.fd(fd, "fd");
        Slot s = takeSlot(Op.CLOSE);
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepClose(fd);
        return r;
    }

    @Override
    public Request<Integer> statx(int dirfd, String path, int flags, int mask, MemorySegment statxBuf) {
        if (path == null) throw new NullPointerException("path is null");
        IoArgs.buffer(statxBuf, "statxBuf");
        if (statxBuf.byteSize() < Libc.STATX_SIZE_BYTES) {
            throw new IllegalArgumentException("statxBuf has " + statxBuf.byteSize() + " bytes; struct statx needs 256");
        }
        Slot s = takeSlot(Op.STATX);
        MemorySegment p = path(s, path);
        s.keepAlive = new Object[] {p, statxBuf};
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepStatx(dirfd, p.address(), flags, mask, statxBuf.address());
        return r;
    }

    // ---------------------------------------------------------------- files and messages

    @Override
    public Request<Integer> sendmsg(int fd, Msg msg, int flags) {
        return message(Op.SENDMSG, fd, msg, flags | Libc.MSG_NOSIGNAL);
    }

    @Override
    public Request<Integer> recvmsg(int fd, Msg msg, int flags) {
        return message(Op.RECVMSG, fd, msg, flags | Libc.MSG_CMSG_CLOEXEC);
    }

    @Override
    public Request<Integer> sendmsgZeroCopy(int fd, Msg msg, int flags) {
        return message(Op.SENDMSG_ZC, fd, msg, flags | Libc.MSG_NOSIGNAL);
    }

    /** The ops on a {@link Msg}: its msghdr is already native, so the op needs no scratch. */
    private Request<Integer> message(Op op, int fd, Msg msg, int flags) {
        IoArgs.fd(fd, "fd");
        FileArgs.msg(msg);
        if (op == Op.RECVMSG) msg.resetForReceive();
        Slot s = takeSlot(op);
        s.keepAlive = msg; // its arena holds the msghdr, iovecs, name and control the kernel uses
        s.zeroCopyResult = 0;
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe == null) return r;
        long header = msg.header().address();
        switch (op) {
            case SENDMSG -> sqe.prepSendmsg(fd, header, flags);
            case RECVMSG -> sqe.prepRecvmsg(fd, header, flags);
            case SENDMSG_ZC -> sqe.prepSendmsgZc(fd, header, flags);
            default -> throw new AssertionError(op);
        }
        return r;
    }

    /** Writes {@code utf8} and a NUL at {@code at}; returns the offset after the NUL. */
    private static long putCString(MemorySegment mem, long at, byte[] utf8) {
        MemorySegment.copy(utf8, 0, mem, ValueLayout.JAVA_BYTE, at, utf8.length);
        mem.set(ValueLayout.JAVA_BYTE, at + utf8.length, (byte) 0);
        return at + utf8.length + 1;
    }

    @Override
    public Request<Integer> openat2(int dirfd, String path, int flags, int mode, long resolve) {
        FileArgs.path(path, "path");
        byte[] utf8 = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Slot s = takeSlot(Op.OPENAT2);
        long howBytes = Libc.OPEN_HOW.byteSize();
        MemorySegment mem = scratch(s, howBytes + utf8.length + 1); // the open_how at 0, the path after it
        mem.set(ValueLayout.JAVA_LONG, 0, Integer.toUnsignedLong(flags | Libc.O_CLOEXEC));
        mem.set(ValueLayout.JAVA_LONG, 8, Integer.toUnsignedLong(mode));
        mem.set(ValueLayout.JAVA_LONG, 16, resolve);
        putCString(mem, howBytes, utf8);
        s.keepAlive = mem;
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepOpenat2(dirfd, mem.address() + howBytes, mem.address(), (int) howBytes);
        return r;
    }

    @Override
    public Request<Integer> unlinkat(int dirfd, String path, int flags) {
        FileArgs.path(path, "path");
        Slot s = takeSlot(Op.UNLINKAT);
        MemorySegment p = path(s, path);
        s.keepAlive = p;
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepUnlinkat(dirfd, p.address(), flags);
        return r;
    }

    @Override
    public Request<Integer> renameat(int oldDirfd, String oldPath, int newDirfd, String newPath, int flags) {
        FileArgs.path(oldPath, "oldPath");
        FileArgs.path(newPath, "newPath");
        byte[] from = oldPath.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] to = newPath.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Slot s = takeSlot(Op.RENAMEAT);
        MemorySegment mem = scratch(s, from.length + 1 + to.length + 1);
        long toAt = putCString(mem, 0, from);
        putCString(mem, toAt, to);
        s.keepAlive = mem;
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepRenameat(oldDirfd, mem.address(), newDirfd, mem.address() + toAt, flags);
        return r;
    }

    @Override
    public Request<Integer> mkdirat(int dirfd, String path, int mode) {
        FileArgs.path(path, "path");
        Slot s = takeSlot(Op.MKDIRAT);
        MemorySegment p = path(s, path);
        s.keepAlive = p;
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepMkdirat(dirfd, p.address(), mode);
        return r;
    }

    @Override
    public Request<Integer> fgetxattr(int fd, String name, MemorySegment value) {
        return xattr(Op.FGETXATTR, fd, name, value, 0);
    }

    @Override
    public Request<Integer> fsetxattr(int fd, String name, MemorySegment value, int flags) {
        return xattr(Op.FSETXATTR, fd, name, value, flags);
    }

    private Request<Integer> xattr(Op op, int fd, String name, MemorySegment value, int flags) {
        IoArgs.fd(fd, "fd");
        FileArgs.path(name, "name");
        int len = IoArgs.length(IoArgs.buffer(value, "value").byteSize(), "value");
        Slot s = takeSlot(op);
        MemorySegment n = path(s, name);
        s.keepAlive = new Object[] {n, value};
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe == null) return r;
        if (op == Op.FGETXATTR) sqe.prepFgetxattr(fd, n.address(), value.address(), len);
        else sqe.prepFsetxattr(fd, n.address(), value.address(), len, flags);
        return r;
    }

    @Override
    public Request<Integer> fadvise(int fd, long offset, long len, int advice) {
        IoArgs.fd(fd, "fd");
        int length = FileArgs.fadviseRange(offset, len);
        Slot s = takeSlot(Op.FADVISE);
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepFadvise(fd, offset, length, advice);
        return r;
    }

    @Override
    public Request<Integer> tee(int fdIn, int fdOut, int len, int flags) {
        IoArgs.fd(fdIn, "fdIn");
        IoArgs.fd(fdOut, "fdOut");
        FileArgs.count(len, "len");
        Slot s = takeSlot(Op.TEE);
        s.requested = len;
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepTee(fdIn, fdOut, len, flags);
        return r;
    }

    // ---------------------------------------------------------------- sockets

    /** Buffer group ids given out by {@link #bufferRing}, one per ring. */
    private int nextBufferGroup;

    @Override
    public Request<Integer> accept(int fd, int flags) {
        IoArgs.fd(fd, "fd");
        Slot s = takeSlot(Op.ACCEPT);
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepAccept(fd, 0, 0, flags | Libc.SOCK_CLOEXEC, false);
        return r;
    }

    @Override
    public Request<Integer> connect(int fd, MemorySegment sockaddr) {
        IoArgs.fd(fd, "fd");
        int len = IoArgs.length(IoArgs.buffer(sockaddr, "sockaddr").byteSize(), "sockaddr");
        Slot s = takeSlot(Op.CONNECT);
        s.keepAlive = sockaddr;
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe != null) sqe.prepConnect(fd, sockaddr.address(), len);
        return r;
    }

    @Override
    public Request<Integer> acceptMultishot(int fd, int flags, java.util.function.IntConsumer onAccepted) {
        IoArgs.fd(fd, "fd");
        java.util.Objects.requireNonNull(onAccepted, "onAccepted");
        return startStream(Op.ACCEPT_MULTISHOT, fd, flags | Libc.SOCK_CLOEXEC, onAccepted, null, null);
    }

    @Override
    public dev.tevent4j.BufferRing bufferRing(int count, int size) {
        loop.checkOwnerAndOpen();
        if (closed || draining) throw new IllegalStateException("the event loop is closing: no new buffer ring");
        if (nextBufferGroup > 0xffff) throw new IllegalStateException("65536 buffer rings on one loop: no group id left");
        RingBufferRing br = new RingBufferRing(loop, ring, nextBufferGroup, count, size);
        nextBufferGroup++;
        return br;
    }

    @Override
    public Request<Integer> recvMultishot(int fd, dev.tevent4j.BufferRing ring, dev.tevent4j.RecvHandler handler) {
        IoArgs.fd(fd, "fd");
        java.util.Objects.requireNonNull(handler, "handler");
        if (!(ring instanceof RingBufferRing br) || !br.belongsTo(this.ring)) {
            throw new IllegalArgumentException("the buffer ring was not made by this AsyncIo's bufferRing");
        }
        return startStream(Op.RECV_MULTISHOT, fd, 0, null, handler, br);
    }

    private Request<Integer> startStream(Op op, int fd, int flags, java.util.function.IntConsumer onAccepted,
                                         dev.tevent4j.RecvHandler onData, RingBufferRing buffers) {
        dev.tevent4j.spi.LinkArgs.notMultishot(link.open);
        Slot s = takeSlot(op);
        Stream st = new Stream(s, fd, flags, onAccepted, onData, buffers);
        s.keepAlive = st;
        Request<Integer> r = s.request;
        r.setCancelFn(st);
        Sqe sqe = start(s);
        if (sqe != null) st.prep(sqe);
        return r;
    }

    /**
     * A multishot op's state, in its slot's keepAlive: {@link #complete} hands it every CQE. The
     * slot stays in flight until a CQE without IORING_CQE_F_MORE; one that still carries a
     * result (the kernel ends a multishot when it cannot post, e.g. a full CQ) is handled and
     * the op armed again under the same user_data, so the caller sees one unbroken stream.
     */
    private final class Stream implements java.util.function.Predicate<Request<Integer>> {
        /** What {@link #onCqe} returns while the stream goes on. */
        static final int GOES_ON = Integer.MIN_VALUE;
        final Slot slot;
        final int generation, fd, flags;
        final java.util.function.IntConsumer onAccepted;
        final dev.tevent4j.RecvHandler onData;
        final RingBufferRing buffers;
        boolean cancelled;

        Stream(Slot slot, int fd, int flags, java.util.function.IntConsumer onAccepted,
               dev.tevent4j.RecvHandler onData, RingBufferRing buffers) {
            this.slot = slot;
            this.generation = slot.generation;
            this.fd = fd;
            this.flags = flags;
            this.onAccepted = onAccepted;
            this.onData = onData;
            this.buffers = buffers;
        }

        void prep(Sqe sqe) {
            if (buffers != null) sqe.prepRecvMultishot(fd, buffers.group(), flags);
            else sqe.prepAccept(fd, 0, 0, flags, true);
        }

        /** The request's cancel function (also its deadline's): no re-arm after it. */
        @Override
        public boolean test(Request<Integer> r) {
            if (r == slot.request && slot.generation == generation) {
                cancelled = true;
                cancel(slot, generation);
            }
            return false; // completes later, with ECANCELED
        }

        /** One CQE: GOES_ON, or the final result for the request. */
        int onCqe(int res, int cqeFlags) {
            boolean more = (cqeFlags & IORING_CQE_F_MORE) != 0;
            boolean delivering = !draining && !closed;
            if (buffers != null) {
                if ((cqeFlags & IORING_CQE_F_BUFFER) != 0) {
                    int id = cqeFlags >>> IORING_CQE_BUFFER_SHIFT;
                    buffers.lend(id); // the kernel took it from the ring: ours now, whatever res says
                    if (res > 0 && delivering) deliverData(id, res);
                    else buffers.giveBack(id); // nothing for the caller in it
                }
                if (more) return GOES_ON;
                if (res > 0) return delivering && !cancelled ? rearm() : -dev.tevent4j.linux.Errno.ECANCELED;
                // The kernel drains a socket faster than we reap: it met an empty ring, but the
                // handlers of the CQEs before this one recycled buffers. ENOBUFS read nothing, so
                // arming again loses no byte; the caller sees ENOBUFS only when none is free,
                // as on the thread pool.
                if (res == -dev.tevent4j.BufferRing.ENOBUFS && buffers.available() > 0 && delivering && !cancelled) {
                    return rearm();
                }
                return res; // 0: end of file; ENOBUFS, ECANCELED or the socket's error
            }
            if (res >= 0) {
                if (delivering) deliverFd(res);
                else Libc.close(res); // the loop closes: nobody can take it
            }
            if (more) return GOES_ON;
            if (res >= 0) return delivering && !cancelled ? rearm() : -dev.tevent4j.linux.Errno.ECANCELED;
            return res;
        }

        private int rearm() {
            Sqe sqe = sqe();
            if (sqe == null) return -ring.enterRefusal();
            prep(sqe);
            sqe.userData(userData(slot));
            return GOES_ON;
        }

        private void deliverData(int id, int length) {
            try {
                onData.onData(buffers.slice(id, length), id);
            } catch (RuntimeException | Error e) {
                loop.reportUncaught(slot.request, e);
                buffers.giveBack(id); // unless it recycled it itself
            }
        }

        private void deliverFd(int accepted) {
            try {
                onAccepted.accept(accepted);
            } catch (RuntimeException | Error e) {
                loop.reportUncaught(slot.request, e);
            }
        }
    }

    // ---------------------------------------------------------------- links and handles

    @Override
    public IoLink link() {
        return link.open(false);
    }

    @Override
    public IoLink hardLink() {
        return link.open(true);
    }

    @Override
    public IoHandle handle(IoCompletion completion) {
        java.util.Objects.requireNonNull(completion, "completion");
        return new Handle(completion);
    }

    /**
     * The chain being built: each op's SQE gets the link flag as it is started, and the SQE that
     * ends the chain loses it at close. Nothing is submitted while it is open, since the kernel
     * ends a chain at the end of a submission.
     */
    private final class RingLink implements IoLink {
        boolean open;
        private boolean hard;
        /** The cursor of the SQ, kept to come back to entries filled earlier. */
        private Sqe cursor;
        /** Byte offset of the chain's last SQE (an op's, a link timeout's or a NOP's). */
        private long tailSqe = -1;
        private Slot[] deferred = new Slot[4];
        private int[] deferredGenerations = new int[4];
        private int deferredCount;

        IoLink open(boolean hardLink) {
            loop.checkOwnerAndOpen();
            if (closed || draining) throw new IllegalStateException("the event loop is closing: no new AsyncIo chain");
            dev.tevent4j.spi.LinkArgs.notOpen(open);
            // Room for the chain: what waits for the next submission goes now, ending no chain.
            if (ring.enterRefusal() == 0 && ring.pendingSubmissions() > ring.sqEntries() / 2) ring.submit(false);
            open = true;
            hard = hardLink;
            tailSqe = -1;
            linkLast = null;
            return this;
        }

        int linkFlag() {
            return hard ? IOSQE_IO_HARDLINK : IOSQE_IO_LINK;
        }

        /** The op of {@code s} was started in the chain: its SQE is {@code sqe}, being filled. */
        void joined(Slot s, Sqe sqe) {
            sqe.flags(sqe.flagsByte() | linkFlag());
            if (linkLast != null) {
                linkLast.chainNext = s;
                s.chainPrev = linkLast;
            }
            linkLast = s;
            s.softLinked = !hard;
            s.sqeOffset = sqe.offset();
            cursor = sqe;
            tailSqe = sqe.offset();
        }

        private Slot last(String what) {
            if (!open) throw new IllegalStateException("the chain is closed: " + what + " applies to an open chain");
            if (linkLast == null) throw new IllegalStateException(what + ": no op was started in this chain yet");
            return linkLast;
        }

        @Override
        public IoLink timeout(java.time.Duration limit) {
            dev.tevent4j.spi.LinkArgs.timeout(limit);
            Slot s = last("timeout");
            if (s.linkTimeout) throw new IllegalStateException("the op started last has a link timeout already");
            if (s.sqeOffset != tailSqe) throw new IllegalStateException("timeout: the op started last did not start (its entry was replaced)");
            if (!supports(Op.LINK_TIMEOUT)) throw new UnsupportedOperationException("this kernel's io_uring has no IORING_OP_LINK_TIMEOUT");
            if (s.timespec == null) s.timespec = arena.allocate(16, 8);
            s.timespec.set(ValueLayout.JAVA_LONG, 0, limit.getSeconds());
            s.timespec.set(ValueLayout.JAVA_LONG, 8, limit.getNano());
            Sqe sqe = sqe();
            if (sqe == null) return this; // enter refused for good: the op is failed with the rest
            sqe.prepLinkTimeout(s.timespec.address(), 0).userData(LINK_TIMEOUT_USER_DATA).flags(linkFlag());
            s.linkTimeout = true;
            tailSqe = sqe.offset();
            return this;
        }

        @Override
        public IoLink quiet() {
            Slot s = last("quiet");
            dev.tevent4j.spi.LinkArgs.quiet(s.op, hard);
            if (!supports(Op.QUIET)) throw new UnsupportedOperationException("this kernel's io_uring has no IOSQE_CQE_SKIP_SUCCESS");
            if (s.quiet) return this;
            cursor.at(s.sqeOffset);
            cursor.flags(cursor.flagsByte() | IOSQE_CQE_SKIP_SUCCESS);
            if (s.op == Op.SEND) cursor.opFlags(cursor.opFlagsWord() | Libc.MSG_WAITALL); // a short send fails: it posts
            s.quiet = true;
            return this;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        /** A cancel asked for while the chain is built: an SQE now would join the chain. */
        void deferCancel(Slot s) {
            if (deferredCount == deferred.length) {
                deferred = java.util.Arrays.copyOf(deferred, deferredCount * 2);
                deferredGenerations = java.util.Arrays.copyOf(deferredGenerations, deferredCount * 2);
            }
            deferred[deferredCount] = s;
            deferredGenerations[deferredCount++] = s.generation;
        }

        @Override
        public void close() {
            if (!open) return;
            open = false;
            Slot last = linkLast;
            linkLast = null;
            if (tailSqe >= 0 && !closed) {
                cursor.at(tailSqe);
                cursor.flags(cursor.flagsByte() & ~(IOSQE_IO_LINK | IOSQE_IO_HARDLINK));
                if (last != null && last.quiet) { // nothing after it could tell that it succeeded
                    cursor.at(last.sqeOffset);
                    cursor.flags(cursor.flagsByte() & ~IOSQE_CQE_SKIP_SUCCESS);
                    last.quiet = false;
                }
            }
            tailSqe = -1;
            int n = deferredCount;
            deferredCount = 0;
            for (int i = 0; i < n; i++) {
                Slot s = deferred[i];
                deferred[i] = null;
                if (s.generation == deferredGenerations[i]) {
                    s.cancelRequested = false; // cancel() sets it again
                    cancel(s, deferredGenerations[i]);
                }
            }
        }
    }

    /** An {@link IoHandle} on the ring: its op takes a slot given to the handle instead of a new Request. */
    private final class Handle extends dev.tevent4j.spi.HandleOps {
        private Slot slot;
        private int generation;

        Handle(IoCompletion completion) {
            super(RingAsyncIo.this, loop, completion);
        }

        void taken(Slot s) {
            slot = s;
            generation = s.generation;
        }

        void released() {
            slot = null;
        }

        @Override
        protected void enter() {
            if (slot != null) throw new IllegalStateException("this IoHandle has an op in flight: one at a time");
            handleTarget = this;
        }

        @Override
        protected void exit() {
            handleTarget = null;
        }

        @Override
        public boolean busy() {
            return slot != null;
        }

        @Override
        public void cancel() {
            Slot s = slot;
            if (s != null) RingAsyncIo.this.cancel(s, generation);
        }

        @Override
        public String toString() {
            return "IoHandle[" + (slot == null ? "free" : slot.op + " in flight") + "]";
        }
    }

    // ---------------------------------------------------------------- registered resources

    /** The open tables, or null: io_uring has one buffer table and one file table per ring. */
    private RingRegisteredBuffers registeredBuffers;
    private RingRegisteredFiles registeredFiles;
    private boolean registeredCloseHooked;

    @Override
    public dev.tevent4j.RegisteredBuffers registerBuffers(int count, int size) {
        checkCanRegister();
        dev.tevent4j.spi.RegisteredArgs.table(count, size);
        if (registeredBuffers != null) {
            throw new IllegalStateException("a RegisteredBuffers table is open on this loop: close it first (one per ring)");
        }
        registeredBuffers = new RingRegisteredBuffers(this, loop, ring, count, size);
        return registeredBuffers;
    }

    @Override
    public dev.tevent4j.RegisteredFiles registerFiles(int capacity) {
        checkCanRegister();
        dev.tevent4j.spi.RegisteredArgs.capacity(capacity);
        if (registeredFiles != null) {
            throw new IllegalStateException("a RegisteredFiles table is open on this loop: close it first (one per ring)");
        }
        registeredFiles = new RingRegisteredFiles(this, loop, ring, capacity);
        return registeredFiles;
    }

    private void checkCanRegister() {
        loop.checkOwnerAndOpen();
        if (closed || draining) throw new IllegalStateException("the event loop is closing: no new registration");
        if (!registeredCloseHooked) {
            registeredCloseHooked = true;
            // Added after cancelAndDrain's hook (the constructor's), so it runs once no op is left.
            loop.atClose(LoopServices.CloseStage.DRAIN_IO, () -> {
                if (registeredBuffers != null) registeredBuffers.release();
                if (registeredFiles != null) registeredFiles.release();
            });
        }
    }

    void buffersClosed(RingRegisteredBuffers table) {
        if (registeredBuffers == table) registeredBuffers = null;
    }

    void filesClosed(RingRegisteredFiles table) {
        if (registeredFiles == table) registeredFiles = null;
    }

    /**
     * READ_FIXED or WRITE_FIXED at {@code addr} (inside buffer {@code index}), arguments checked.
     * The slot's op is READ or WRITE: an error names the syscall, as on the thread pool.
     */
    Request<Integer> fixedBufferOp(boolean reading, RingRegisteredBuffers table, int fd, long addr, int len, long offset, int index) {
        Slot s = takeSlot(reading ? Op.READ : Op.WRITE);
        s.requested = len;
        s.use = table;
        table.opStarted(); // before start: a failed start releases the slot, which ends the use
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe == null) return r;
        if (reading) sqe.prepReadFixed(fd, addr, len, offset, index);
        else sqe.prepWriteFixed(fd, addr, len, offset, index);
        return r;
    }

    /** A one-buffer op on a slot of the file table (IOSQE_FIXED_FILE), arguments checked. */
    Request<Integer> fixedFileOp(Op op, RingRegisteredFiles table, int slot, MemorySegment buf, long offset, int flags) {
        int len = (int) buf.byteSize();
        Slot s = takeSlot(op);
        s.requested = len;
        s.keepAlive = buf;
        s.use = table;
        table.opStarted();
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe == null) return r;
        long addr = buf.address();
        switch (op) {
            case READ -> sqe.prepRead(slot, addr, len, offset);
            case WRITE -> sqe.prepWrite(slot, addr, len, offset);
            case SEND -> sqe.prepSend(slot, addr, len, flags);
            case RECV -> sqe.prepRecv(slot, addr, len, flags);
            default -> throw new AssertionError(op);
        }
        sqe.fixedFile();
        return r;
    }

    // ---------------------------------------------------------------- personalities

    /** The personality the ops started now carry (0: the loop thread's credentials). */
    private int personality;

    @Override
    public int registerPersonality() {
        loop.checkOwnerAndOpen();
        int id = ring.registerPersonality();
        if (id < 0) throw new java.io.UncheckedIOException(new ErrnoException("io_uring_register(IORING_REGISTER_PERSONALITY)", -id));
        return id;
    }

    @Override
    public int swapPersonality(int id) {
        loop.checkOwnerAndOpen();
        if (id < 0 || id > 0xffff) throw new IllegalArgumentException("personality id " + id + " is outside 0..65535");
        int outer = personality;
        personality = id;
        return outer;
    }

    // ---------------------------------------------------------------- the caller's own SQEs

    /** Fills the SQE of an op {@link #prepared} submits for its caller. */
    @FunctionalInterface
    public interface SqePreparer {
        /**
         * Calls one {@code prep*} method of {@code sqe} and, optionally, {@link Sqe#flags} and
         * {@link Sqe#opFlags}. Must not call {@link Ring#nextSqe()}; the user_data set here is
         * replaced with the op's own.
         *
         * @param sqe the op's entry, zeroed
         */
        void prepare(Sqe sqe);
    }

    /**
     * Submits an op the caller encodes itself, as any other AsyncIo op: the request completes
     * with the CQE's res (a negative res fails it with an ErrnoException of op "nop", as the
     * enum of AsyncIo ops names no other), it keeps {@link dev.tevent4j.EventLoop#run()} going
     * while in flight, and cancelling it (or its deadline) submits an ASYNC_CANCEL. For ops that
     * post one completion: a multishot op or SEND_ZC would complete the request with its first
     * CQE and have the others dropped. IOSQE_CQE_SKIP_SUCCESS is cleared (the request needs its
     * completion).
     *
     * @param preparer fills the SQE, on the owner thread, before this method returns
     * @param keepAlive what the kernel reads or writes (buffers, paths): kept reachable until
     *     the completion; null for nothing
     * @return the op's request: its result is the CQE's res
     * @throws IllegalStateException off the owner thread, or when the loop is closing
     */
    public Request<Integer> prepared(SqePreparer preparer, Object keepAlive) {
        java.util.Objects.requireNonNull(preparer, "preparer");
        Slot s = takeSlot(Op.NOP);
        s.keepAlive = keepAlive;
        Request<Integer> r = s.request;
        Sqe sqe = start(s);
        if (sqe == null) return r;
        long at = sqe.offset();
        try {
            preparer.prepare(sqe);
            if (sqe.offset() != at) {
                throw new IllegalStateException("the SqePreparer called Ring.nextSqe(): its SQE would go unfilled");
            }
        } catch (RuntimeException | Error e) {
            // The entries are in the SQ already: make them NOPs nobody waits for, and undo the op.
            if (sqe.offset() != at) {
                sqe.reset(sqe.offset()).prepNop();
                if (link.open) sqe.flags(link.linkFlag());
            }
            sqe.reset(at).prepNop();
            if (link.open) sqe.flags(link.linkFlag()); // the chain goes on through the NOP
            releaseSlot(s);
            inFlight--;
            loop.ioFinished();
            r.error(e);
            throw e;
        }
        sqe.userData(userData(s)).flags((sqe.flagsByte() & ~(IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK | IOSQE_IO_HARDLINK))
                | (link.open ? link.linkFlag() : 0));
        return r;
    }

    // ---------------------------------------------------------------- close

    /**
     * Loop close: ask the kernel to cancel every op (ASYNC_CANCEL_ANY) and wait until each has
     * completed, so no buffer is released while the kernel may still use it.
     */
    private void cancelAndDrain() {
        link.close();
        draining = true;
        if (inFlight > 0) {
            submitCancel(0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL);
            while (inFlight > 0) {
                if (Ring.isRefusal(ring.submitAndWait(1, 100_000_000L))) {
                    failInFlight(ring.enterRefusal()); // no completion can come: do not wait for one
                    break;
                }
                reap();
            }
        }
        closed = true;
        arena.close();
    }
}
