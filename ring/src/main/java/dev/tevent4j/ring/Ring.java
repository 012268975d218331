package dev.tevent4j.ring;

import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

import static dev.tevent4j.ring.IoUringAbi.*;

/**
 * One io_uring instance driven from Java: the SQ and CQ rings are mmap'ed and read and written
 * through {@link MemorySegment}s; the only syscalls are io_uring_setup, io_uring_enter and
 * io_uring_register. Single-threaded: the owner fills SQEs, submits and reaps.
 *
 * <p>Memory ordering, as liburing does it: the SQ tail is published with a release store (pairs
 * with the kernel's acquire of the tail: the SQE contents are visible before the tail); the CQ
 * tail is read with an acquire load (pairs with the kernel's release after writing the CQE) and
 * the CQ head is published with a release store (the kernel may then reuse the slots).
 */
public final class Ring implements AutoCloseable {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final System.Logger LOG = System.getLogger("dev.tevent4j");
    /** Where io_uring_getevents_arg holds the timespec's address: computed once (a path lookup allocates). */
    private static final long EXT_ARG_TS = off(GETEVENTS_ARG, "ts");
    /** io_uring_enter's timeout error (Errno names no ETIME constant). */
    private static final int ETIME = 62;

    /** Setup flags asked for, in the order they are dropped when the kernel refuses them. */
    private static final int[] WANTED = {
            IORING_SETUP_NO_SQARRAY, IORING_SETUP_DEFER_TASKRUN, IORING_SETUP_COOP_TASKRUN,
            IORING_SETUP_SUBMIT_ALL, IORING_SETUP_SINGLE_ISSUER};

    private final int fd;
    private final int setupFlags;
    private final int features;
    private final int sqEntries, cqEntries;
    private final MemorySegment sqRing, cqRing, sqes;
    private final long sqRingSize, cqRingSize, sqesSize;
    private final long sqHeadOff, sqTailOff, sqFlagsOff, cqHeadOff, cqTailOff, cqesOff;
    private final int sqMask, cqMask;
    private final List<String> refused;
    private final Arena arena = Arena.ofConfined();
    private final boolean[] supportedOps = new boolean[256];
    /** The one SQE cursor of this ring: {@link #nextSqe()} moves it, so filling allocates nothing. */
    private final Sqe sqe;

    /** Our copy of the SQ tail: SQEs filled but not yet published. */
    private int sqTail;
    /** What was published to the kernel and not yet consumed by io_uring_enter. */
    private int sqPublished;
    private int cqHead;
    private boolean closed;
    /** The errno of the first io_uring_enter refused for good; 0 while none was. */
    private int enterRefusal;
    /** IORING_REGISTER_PROBE's errno: 0 when it answered (EINVAL before Linux 5.6). */
    private int probeErrno;

    /**
     * Sets up a ring, asking for SINGLE_ISSUER, DEFER_TASKRUN, SUBMIT_ALL, COOP_TASKRUN and
     * NO_SQARRAY, and dropping the ones the kernel refuses (EINVAL) one at a time.
     *
     * @param sqEntries SQ entries (the kernel rounds up to a power of two)
     * @param cqEntries 0 for the kernel's default (twice the SQ), else a CQ size
     * @param wantDeferTaskrun false to leave DEFER_TASKRUN out (completions then arrive without an
     *     io_uring_enter, and the ring fd becomes pollable)
     * @throws RingUnavailableException when io_uring itself is refused (ENOSYS, EPERM, ...) by
     *     io_uring_setup, or a ring is set up but io_uring_enter or io_uring_register is refused
     *     (a seccomp filter that lets only some of the three through)
     */
    public Ring(int sqEntries, int cqEntries, boolean wantDeferTaskrun) {
        this(sqEntries, cqEntries, wantDeferTaskrun, 0);
    }

    /**
     * As {@link #Ring(int, int, boolean)}, also asking for {@code extraFlags} (e.g.
     * IORING_SETUP_TASKRUN_FLAG); they are the first to go when the kernel refuses the set.
     *
     * @param sqEntries SQ entries (the kernel rounds up to a power of two)
     * @param cqEntries 0 for the kernel's default (twice the SQ), else a CQ size
     * @param wantDeferTaskrun false to leave DEFER_TASKRUN out
     * @param extraFlags IORING_SETUP_* flags wanted beyond the default set
     * @throws RingUnavailableException as {@link #Ring(int, int, boolean)}
     */
    public Ring(int sqEntries, int cqEntries, boolean wantDeferTaskrun, int extraFlags) {
        MemorySegment params = arena.allocate(PARAMS);
        int flags = extraFlags;
        for (int f : WANTED) flags |= f;
        if (!wantDeferTaskrun) flags &= ~IORING_SETUP_DEFER_TASKRUN;
        if (cqEntries > 0) flags |= IORING_SETUP_CQSIZE;
        List<String> dropped = new ArrayList<>();
        int ringFd;
        int drop = 0;
        while (true) {
            params.fill((byte) 0);
            params.set(ValueLayout.JAVA_INT, off(PARAMS, "flags"), flags);
            params.set(ValueLayout.JAVA_INT, off(PARAMS, "cq_entries"), cqEntries);
            ringFd = IoUringAbi.setup(sqEntries, params);
            if (ringFd >= 0) break;
            if (ringFd == -Errno.EINVAL && (flags & extraFlags) != 0) {
                flags &= ~extraFlags;
                dropped.add(flagName(extraFlags));
                continue;
            }
            if (ringFd != -Errno.EINVAL || drop == WANTED.length) {
                arena.close();
                throw new RingUnavailableException("io_uring_setup failed: " + Errno.name(-ringFd) + " ("
                        + Errno.describe(-ringFd) + ")" + hint(-ringFd), -ringFd);
            }
            int f = WANTED[drop++];
            if ((flags & f) != 0) {
                flags &= ~f;
                dropped.add(flagName(f));
            }
        }
        // A filter may let io_uring_setup through and refuse io_uring_enter: such a ring would take
        // SQEs and never run them. An enter with nothing to do costs one syscall and tells.
        int entered = IoUringAbi.enter(ringFd, 0, 0, 0, MemorySegment.NULL, 0);
        if (entered < 0 && isRefusal(entered)) {
            Libc.close(ringFd);
            arena.close();
            throw new RingUnavailableException(enterRefusedMessage(-entered), -entered);
        }
        this.fd = ringFd;
        this.setupFlags = flags;
        this.refused = List.copyOf(dropped);
        this.features = params.get(ValueLayout.JAVA_INT, off(PARAMS, "features"));
        this.sqEntries = params.get(ValueLayout.JAVA_INT, off(PARAMS, "sq_entries"));
        this.cqEntries = params.get(ValueLayout.JAVA_INT, off(PARAMS, "cq_entries"));
        long sqOff = off(PARAMS, "sq_off"), cqOff = off(PARAMS, "cq_off");
        int sqArray = params.get(ValueLayout.JAVA_INT, sqOff + off(SQRING_OFFSETS, "array"));
        int cqes = params.get(ValueLayout.JAVA_INT, cqOff + off(CQRING_OFFSETS, "cqes"));
        sqHeadOff = params.get(ValueLayout.JAVA_INT, sqOff + off(SQRING_OFFSETS, "head"));
        sqTailOff = params.get(ValueLayout.JAVA_INT, sqOff + off(SQRING_OFFSETS, "tail"));
        sqFlagsOff = params.get(ValueLayout.JAVA_INT, sqOff + off(SQRING_OFFSETS, "flags"));
        cqHeadOff = params.get(ValueLayout.JAVA_INT, cqOff + off(CQRING_OFFSETS, "head"));
        cqTailOff = params.get(ValueLayout.JAVA_INT, cqOff + off(CQRING_OFFSETS, "tail"));
        cqesOff = cqes;

        boolean noSqArray = (flags & IORING_SETUP_NO_SQARRAY) != 0;
        long sqSize = noSqArray ? sqFlagsOff + 4 : sqArray + 4L * this.sqEntries;
        long cqSize = cqes + CQE_SIZE * this.cqEntries;
        try {
            if ((features & IORING_FEAT_SINGLE_MMAP) != 0) {
                long size = Math.max(sqSize, cqSize);
                sqRing = Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | Libc.MAP_POPULATE, fd, IORING_OFF_SQ_RING);
                cqRing = sqRing;
                sqRingSize = size;
                cqRingSize = 0;
            } else {
                sqRing = Libc.mmap(sqSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | Libc.MAP_POPULATE, fd, IORING_OFF_SQ_RING);
                cqRing = Libc.mmap(cqSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | Libc.MAP_POPULATE, fd, IORING_OFF_CQ_RING);
                sqRingSize = sqSize;
                cqRingSize = cqSize;
            }
            sqesSize = Sqe.SIZE * this.sqEntries;
            sqes = Libc.mmap(sqesSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | Libc.MAP_POPULATE, fd, IORING_OFF_SQES);
        } catch (RuntimeException e) {
            Libc.close(fd);
            arena.close();
            throw e;
        }
        sqe = new Sqe(sqes);
        sqMask = sqRing.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, sqOff + off(SQRING_OFFSETS, "ring_mask")));
        cqMask = cqRing.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, cqOff + off(CQRING_OFFSETS, "ring_mask")));
        if (!noSqArray) {
            // Identity map: SQE i is always array slot i, so the array is written once.
            for (int i = 0; i < this.sqEntries; i++) {
                sqRing.set(ValueLayout.JAVA_INT, sqArray + 4L * i, i);
            }
        }
        sqTail = sqPublished = (int) INT.getAcquire(sqRing, sqTailOff);
        cqHead = (int) INT.getAcquire(cqRing, cqHeadOff);
        try {
            probe();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Whether an io_uring_enter result is a refusal for good (EPERM or ENOSYS from a seccomp
     * filter, EBADF, EINVAL, EFAULT, ...), as opposed to success, an interrupted or timed-out
     * wait (EINTR, ETIME) or a full queue to retry later (EAGAIN, EBUSY).
     *
     * @param rc an io_uring_enter result
     * @return whether it is a permanent refusal
     */
    public static boolean isRefusal(int rc) {
        return rc < 0 && rc != -Errno.EINTR && rc != -Errno.EAGAIN && rc != -Errno.EBUSY && rc != -ETIME;
    }

    /**
     * The message for a refused io_uring_enter, shared by the backends.
     *
     * @param errno the positive errno
     * @return e.g. "io_uring_enter refused: EPERM (Operation not permitted) — kernel.io_uring_disabled = 2: ..."
     */
    public static String enterRefusedMessage(int errno) {
        return "io_uring_enter refused: " + Errno.name(errno) + " (" + Errno.describe(errno) + ")"
                + IoUringPolicy.explain(errno);
    }

    /**
     * The message for a refused io_uring_register, shared by the backends.
     *
     * @param errno the positive errno
     * @return e.g. "io_uring_register refused: ENOSYS (Function not implemented) — this process runs under a seccomp filter ..."
     */
    public static String registerRefusedMessage(int errno) {
        return "io_uring_register refused: " + Errno.name(errno) + " (" + Errno.describe(errno) + ")"
                + IoUringPolicy.explain(errno);
    }

    private static String hint(int errno) {
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES, Errno.ENOSYS -> IoUringPolicy.explain(errno);
            case Errno.ENOMEM -> ": not enough locked memory for the rings (ulimit -l)";
            default -> "";
        };
    }

    private static String flagName(int f) {
        return switch (f) {
            case IORING_SETUP_NO_SQARRAY -> "NO_SQARRAY";
            case IORING_SETUP_DEFER_TASKRUN -> "DEFER_TASKRUN";
            case IORING_SETUP_COOP_TASKRUN -> "COOP_TASKRUN";
            case IORING_SETUP_SUBMIT_ALL -> "SUBMIT_ALL";
            case IORING_SETUP_SINGLE_ISSUER -> "SINGLE_ISSUER";
            case IORING_SETUP_TASKRUN_FLAG -> "TASKRUN_FLAG";
            default -> "flag " + f;
        };
    }

    private void probe() {
        MemorySegment p = arena.allocate(PROBE);
        int rc = IoUringAbi.register(fd, IORING_REGISTER_PROBE, p, 256);
        if (rc == -Errno.EINVAL) {
            probeErrno = Errno.EINVAL; // pre-5.6 kernels have no probe: nothing known to be supported
            return;
        }
        if (rc < 0) {
            // EPERM/ENOSYS (a seccomp filter): the ring could not register an eventfd or anything else.
            throw new RingUnavailableException(registerRefusedMessage(-rc), -rc);
        }
        int opsLen = Byte.toUnsignedInt(p.get(ValueLayout.JAVA_BYTE, off(PROBE, "ops_len")));
        long ops = off(PROBE, "ops");
        for (int i = 0; i < opsLen; i++) {
            long at = ops + i * PROBE_OP.byteSize();
            int op = Byte.toUnsignedInt(p.get(ValueLayout.JAVA_BYTE, at));
            short fl = p.get(ValueLayout.JAVA_SHORT, at + 2);
            supportedOps[op] = (fl & IO_URING_OP_SUPPORTED) != 0;
        }
    }

    /**
     * The ring fd (for epoll, MSG_RING, diagnostics; never close it).
     *
     * @return the fd io_uring_setup returned
     */
    public int fd() {
        return fd;
    }

    /**
     * The setup flags the kernel accepted.
     *
     * @return IORING_SETUP_* bits
     */
    public int setupFlags() {
        return setupFlags;
    }

    /**
     * Whether a setup flag was accepted.
     *
     * @param setupFlag an IORING_SETUP_* bit
     * @return whether the ring has it
     */
    public boolean hasFlag(int setupFlag) {
        return (setupFlags & setupFlag) != 0;
    }

    /**
     * The wanted setup flags this kernel refused.
     *
     * @return their names, e.g. [NO_SQARRAY] on a 6.1 kernel
     */
    public List<String> refusedFlags() {
        return refused;
    }

    /**
     * The features the kernel reported.
     *
     * @return IORING_FEAT_* bits
     */
    public int features() {
        return features;
    }

    /**
     * The SQ size.
     *
     * @return SQ entries, as the kernel set them up
     */
    public int sqEntries() {
        return sqEntries;
    }

    /**
     * The CQ size.
     *
     * @return CQ entries, as the kernel set them up
     */
    public int cqEntries() {
        return cqEntries;
    }

    /**
     * How the opcode probe went.
     *
     * @return 0 when IORING_REGISTER_PROBE answered; EINVAL when the kernel (before 5.6) has none
     */
    public int probeErrno() {
        return probeErrno;
    }

    /**
     * The errno of the first io_uring_enter this ring's kernel refused for good (see
     * {@link #isRefusal}), or 0. From then on the SQEs queued cannot reach the kernel: the owner
     * fails the ops waiting on them.
     *
     * @return a positive errno, or 0
     */
    public int enterRefusal() {
        return enterRefusal;
    }

    /**
     * Whether this kernel has an opcode.
     *
     * @param opcode an IORING_OP_*
     * @return whether IORING_REGISTER_PROBE reported it as supported
     */
    public boolean supports(int opcode) {
        return opcode >= 0 && opcode < 256 && supportedOps[opcode];
    }

    // ---------------------------------------------------------------- submission

    /**
     * SQEs filled and not yet consumed by the kernel.
     *
     * @return how many
     */
    public int pendingSubmissions() {
        return sqTail - kernelSqHead();
    }

    /**
     * The kernel's SQ head (acquire: pairs with its release after consuming SQEs). Counting from
     * it rather than from what we published keeps SQEs an enter refused (EBUSY, EAGAIN) pending.
     */
    private int kernelSqHead() {
        return (int) INT.getAcquire(sqRing, sqHeadOff);
    }

    /**
     * The ring's SQE cursor on a fresh, zeroed entry, or null when the SQ is full (submit, then
     * try again). Fill it with the {@link Sqe} prep methods; it stays valid until the next call.
     * The kernel's head is read with acquire: it pairs with the kernel's release after it
     * consumed an SQE.
     *
     * @return the cursor, or null
     * @throws IllegalStateException after {@link #close()}
     */
    public Sqe nextSqe() {
        if (closed) throw new IllegalStateException("io_uring ring fd " + fd + " is closed");
        int head = (int) INT.getAcquire(sqRing, sqHeadOff);
        if (sqTail - head >= sqEntries) {
            return null;
        }
        sqe.reset(Sqe.SIZE * (sqTail & sqMask));
        sqTail++;
        return sqe;
    }

    /**
     * Publishes the filled SQEs and enters the kernel once: submits them and, with
     * {@code getEvents}, runs deferred task work so completions reach the CQ.
     *
     * @param getEvents whether to pass IORING_ENTER_GETEVENTS
     * @return the io_uring_enter result (submitted count) or -errno; 0 without a syscall when
     *     there is nothing to do
     */
    public int submit(boolean getEvents) {
        int toSubmit = sqTail - kernelSqHead();
        if (toSubmit == 0 && !getEvents) return 0;
        publishTail();
        return enter(toSubmit, 0, getEvents ? IORING_ENTER_GETEVENTS : 0, MemorySegment.NULL, 0);
    }

    /** Publishes the SQ tail: release pairs with the kernel's acquire of the tail. */
    private void publishTail() {
        if (sqPublished != sqTail) {
            INT.setRelease(sqRing, sqTailOff, sqTail);
            sqPublished = sqTail;
        }
    }

    /**
     * Submits pending SQEs and waits for at least {@code minComplete} completions, optionally
     * with a timeout (EXT_ARG). The uring backend's only blocking call.
     *
     * @param minComplete completions to wait for
     * @param timeoutNanos negative: no timeout
     * @return the io_uring_enter result (submitted count) or -errno (-ETIME: timed out; -EINTR:
     *     a signal)
     */
    public int submitAndWait(int minComplete, long timeoutNanos) {
        int toSubmit = sqTail - kernelSqHead();
        publishTail();
        int flags = IORING_ENTER_GETEVENTS;
        if (timeoutNanos >= 0) {
            MemorySegment ts = timespec(timeoutNanos);
            MemorySegment arg = extArg();
            arg.set(ValueLayout.JAVA_LONG, EXT_ARG_TS, ts.address());
            return enter(toSubmit, minComplete, flags | IORING_ENTER_EXT_ARG, arg, GETEVENTS_ARG.byteSize());
        }
        return enter(toSubmit, minComplete, flags, MemorySegment.NULL, 0);
    }

    private MemorySegment ts, ext;

    private MemorySegment timespec(long nanos) {
        if (ts == null) ts = arena.allocate(KERNEL_TIMESPEC);
        ts.set(ValueLayout.JAVA_LONG, 0, nanos / 1_000_000_000L);
        ts.set(ValueLayout.JAVA_LONG, 8, nanos % 1_000_000_000L);
        return ts;
    }

    private MemorySegment extArg() {
        if (ext == null) ext = arena.allocate(GETEVENTS_ARG);
        return ext;
    }

    private int enter(int toSubmit, int minComplete, int flags, MemorySegment arg, long argSize) {
        int rc;
        do {
            rc = enterSyscall(toSubmit, minComplete, flags, arg, argSize);
        } while (rc == -Errno.EINTR && minComplete == 0);
        if (isRefusal(rc) && enterRefusal == 0) {
            enterRefusal = -rc;
            // Once per ring: every later enter would say the same.
            LOG.log(System.Logger.Level.WARNING, "io_uring ring fd " + fd + ": " + enterRefusedMessage(-rc)
                    + "; its pending ops fail with this errno");
        }
        return rc;
    }

    // ---------------------------------------------------------------- completion

    /**
     * Whether the CQ holds completions (a shared-memory read, no syscall).
     *
     * @return whether a reap would hand something over
     */
    public boolean hasCompletions() {
        return cqHead != (int) INT.getAcquire(cqRing, cqTailOff);
    }

    /**
     * Whether the kernel holds overflowed completions that only io_uring_enter flushes.
     *
     * @return whether IORING_SQ_CQ_OVERFLOW is set
     */
    public boolean cqOverflowed() {
        return ((int) INT.getAcquire(sqRing, sqFlagsOff) & IORING_SQ_CQ_OVERFLOW) != 0;
    }

    /**
     * The shared SQ flags word, read with acquire: IORING_SQ_TASKRUN says task work waits to
     * run (with TASKRUN_FLAG), IORING_SQ_CQ_OVERFLOW that completions overflowed.
     *
     * @return IORING_SQ_* bits
     */
    public int sqFlags() {
        return (int) INT.getAcquire(sqRing, sqFlagsOff);
    }

    /** Receives completions from {@link #reap}. */
    @FunctionalInterface
    public interface CompletionHandler {
        /**
         * One completion.
         *
         * @param userData the user_data of the op's SQE
         * @param res the op's result: a count, or -errno
         * @param flags IORING_CQE_F_* bits
         */
        void onCompletion(long userData, int res, int flags);
    }

    /**
     * Hands every completion in the CQ to {@code handler}, then releases the slots; flushes an
     * overflow (IORING_SQ_CQ_OVERFLOW) with io_uring_enter and reaps again, so no completion is
     * ever lost. Only the ring's owner reaps (docs/ring.md).
     *
     * @param handler receives each completion
     * @return how many completions were handed over
     */
    public int reap(CompletionHandler handler) {
        int total = 0;
        while (true) {
            int tail = (int) INT.getAcquire(cqRing, cqTailOff);
            while (cqHead != tail) {
                long at = cqesOff + CQE_SIZE * (cqHead & cqMask);
                long userData = cqRing.get(ValueLayout.JAVA_LONG, at + CQE_USER_DATA);
                int res = cqRing.get(ValueLayout.JAVA_INT, at + CQE_RES);
                int flags = cqRing.get(ValueLayout.JAVA_INT, at + CQE_FLAGS);
                cqHead++;
                // Release the slot before the handler runs: it may submit and wait re-entrantly.
                INT.setRelease(cqRing, cqHeadOff, cqHead);
                total++;
                handler.onCompletion(userData, res, flags);
                if (closed) {
                    return total; // a handler closed the ring: its memory is gone
                }
                tail = (int) INT.getAcquire(cqRing, cqTailOff);
            }
            if (closed || !cqOverflowed()) {
                return total;
            }
            if (isRefusal(submit(true))) {
                return total; // the overflow cannot be flushed: the owner sees enterRefusal()
            }
        }
    }

    // ---------------------------------------------------------------- registered resources

    /** The ring fd's index in the registering thread's table (IORING_REGISTER_RING_FDS), or -1. */
    private int registeredRingIndex = -1;
    /** The thread that registered it: the index means nothing to any other (the table is per task). */
    private Thread registeredRingOwner;

    /** io_uring_enter with the registered index on its thread, else the plain fd. */
    private int enterSyscall(int toSubmit, int minComplete, int flags, MemorySegment arg, long argSize) {
        if (registeredRingIndex >= 0 && Thread.currentThread() == registeredRingOwner) {
            return IoUringAbi.enter(registeredRingIndex, toSubmit, minComplete, flags | IORING_ENTER_REGISTERED_RING, arg, argSize);
        }
        return IoUringAbi.enter(fd, toSubmit, minComplete, flags, arg, argSize);
    }

    /**
     * Registers the ring fd in the calling thread's io_uring table (IORING_REGISTER_RING_FDS,
     * Linux 5.18), so that io_uring_enter from this thread skips the fd lookup (liburing's
     * io_uring_register_ring_fd). Enters from any other thread go on using the plain fd.
     * {@link #close()} unregisters it; it must then run on the same thread, as the table is the
     * thread's (a ring closed elsewhere stays pinned by the entry until the thread ends).
     *
     * @return 0, or -errno (EINVAL before 5.18): the plain fd is then used, which always works
     * @throws IllegalStateException when already registered, or after close
     */
    public int registerRingFd() {
        if (closed) throw new IllegalStateException("io_uring ring fd " + fd + " is closed");
        if (registeredRingIndex >= 0) throw new IllegalStateException("the ring fd is registered already");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment up = a.allocate(RSRC_UPDATE);
            up.set(ValueLayout.JAVA_INT, off(RSRC_UPDATE, "offset"), -1); // the kernel picks the slot
            up.set(ValueLayout.JAVA_LONG, off(RSRC_UPDATE, "data"), fd);
            int rc = IoUringAbi.register(fd, IORING_REGISTER_RING_FDS, up, 1);
            if (rc < 0) return rc;
            if (rc != 1) return -Errno.EINVAL;
            registeredRingIndex = up.get(ValueLayout.JAVA_INT, off(RSRC_UPDATE, "offset"));
            registeredRingOwner = Thread.currentThread();
            return 0;
        }
    }

    /**
     * Whether io_uring_enter from the calling thread passes the registered index.
     *
     * @return true after a successful {@link #registerRingFd()} on this thread
     */
    public boolean usesRegisteredRingFd() {
        return registeredRingIndex >= 0 && Thread.currentThread() == registeredRingOwner;
    }

    private void unregisterRingFd() {
        if (registeredRingIndex < 0) return;
        if (Thread.currentThread() != registeredRingOwner) {
            LOG.log(System.Logger.Level.WARNING, "io_uring ring fd " + fd + " closed off the thread that registered it: "
                    + "its registration pins the ring until thread \"" + registeredRingOwner.getName() + "\" ends");
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment up = a.allocate(RSRC_UPDATE);
            up.set(ValueLayout.JAVA_INT, off(RSRC_UPDATE, "offset"), registeredRingIndex);
            IoUringAbi.register(fd, IORING_UNREGISTER_RING_FDS, up, 1);
        }
        registeredRingIndex = -1;
    }

    /**
     * IORING_REGISTER_IOWQ_MAX_WORKERS (Linux 5.15): caps the io-wq workers of this ring's
     * calling thread; 0 leaves a limit as it is. The limits also apply to threads that submit
     * to the ring later.
     *
     * @param bounded most workers for bounded work (regular files, block devices), or 0
     * @param unbounded most workers for unbounded work (sockets, pipes), or 0
     * @return {bounded, unbounded} as they were before (0 when the thread has no io-wq yet)
     * @throws java.io.UncheckedIOException wrapping the ErrnoException of a refusal
     */
    public int[] ioWqMaxWorkers(int bounded, int unbounded) {
        if (bounded < 0 || unbounded < 0) {
            throw new IllegalArgumentException("io-wq limits " + bounded + ", " + unbounded + ": negative");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment counts = a.allocate(ValueLayout.JAVA_INT, 2);
            counts.setAtIndex(ValueLayout.JAVA_INT, 0, bounded);
            counts.setAtIndex(ValueLayout.JAVA_INT, 1, unbounded);
            int rc = IoUringAbi.register(fd, IORING_REGISTER_IOWQ_MAX_WORKERS, counts, 2);
            if (rc < 0) {
                throw new java.io.UncheckedIOException(new dev.tevent4j.linux.ErrnoException(
                        "io_uring_register(IORING_REGISTER_IOWQ_MAX_WORKERS)", -rc));
            }
            return new int[] {counts.getAtIndex(ValueLayout.JAVA_INT, 0), counts.getAtIndex(ValueLayout.JAVA_INT, 1)};
        }
    }

    /**
     * IORING_REGISTER_BUFFERS: pins {@code count} buffers described by an iovec array; the ring
     * has one buffer table, so a second registration fails with EBUSY.
     *
     * @param iovecs {@code count} {@code struct iovec}s
     * @param count how many
     * @return 0 or -errno (ENOMEM past RLIMIT_MEMLOCK, EBUSY when a table exists)
     */
    public int registerBuffers(MemorySegment iovecs, int count) {
        return IoUringAbi.register(fd, IORING_REGISTER_BUFFERS, iovecs, count);
    }

    /**
     * IORING_UNREGISTER_BUFFERS: drops the buffer table (the kernel unpins the pages once no op
     * uses them).
     *
     * @return 0 or -errno (ENXIO when there is none)
     */
    public int unregisterBuffers() {
        return IoUringAbi.register(fd, IORING_UNREGISTER_BUFFERS, MemorySegment.NULL, 0);
    }

    /**
     * IORING_REGISTER_FILES: a file table of {@code count} slots from an int array, -1 for an
     * empty slot; a second table fails with EBUSY.
     *
     * @param fds {@code count} ints
     * @param count how many slots
     * @return 0 or -errno (EMFILE past RLIMIT_NOFILE)
     */
    public int registerFiles(MemorySegment fds, int count) {
        return IoUringAbi.register(fd, IORING_REGISTER_FILES, fds, count);
    }

    /**
     * IORING_REGISTER_FILES_UPDATE: sets one slot of the file table; -1 empties it. An op in
     * flight on the old file keeps its own reference until it completes.
     *
     * @param slot the slot
     * @param file the fd to put there (the kernel takes its own reference), or -1
     * @return 1 or -errno (EBADF for an fd not open)
     */
    public int updateFile(int slot, int file) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT);
            fds.set(ValueLayout.JAVA_INT, 0, file);
            MemorySegment up = a.allocate(RSRC_UPDATE);
            up.set(ValueLayout.JAVA_INT, off(RSRC_UPDATE, "offset"), slot);
            up.set(ValueLayout.JAVA_LONG, off(RSRC_UPDATE, "data"), fds.address());
            return IoUringAbi.register(fd, IORING_REGISTER_FILES_UPDATE, up, 1);
        }
    }

    /**
     * IORING_UNREGISTER_FILES: drops the file table and its references.
     *
     * @return 0 or -errno (ENXIO when there is none)
     */
    public int unregisterFiles() {
        return IoUringAbi.register(fd, IORING_UNREGISTER_FILES, MemorySegment.NULL, 0);
    }

    // ---------------------------------------------------------------- personalities

    /**
     * IORING_REGISTER_PERSONALITY: registers the credentials of the calling thread (its uids,
     * gids, groups and capabilities as they are now: Linux keeps credentials per thread) so
     * that an SQE carrying the returned id ({@link Sqe#personality}) runs with them. They stay
     * registered until {@link #unregisterPersonality} or the ring's close.
     *
     * @return the id (1..65535), or -errno
     */
    public int registerPersonality() {
        if (closed) throw new IllegalStateException("io_uring ring fd " + fd + " is closed");
        return IoUringAbi.register(fd, IoUringAbi.IORING_REGISTER_PERSONALITY, MemorySegment.NULL, 0);
    }

    /**
     * IORING_UNREGISTER_PERSONALITY. SQEs already submitted with the id keep its credentials;
     * one submitted later fails with EINVAL.
     *
     * @param id what {@link #registerPersonality()} returned
     * @return 0, or -errno (EINVAL for an id not registered)
     */
    public int unregisterPersonality(int id) {
        if (closed) throw new IllegalStateException("io_uring ring fd " + fd + " is closed");
        return IoUringAbi.register(fd, IoUringAbi.IORING_UNREGISTER_PERSONALITY, MemorySegment.NULL, id);
    }

    /**
     * IORING_REGISTER_EVENTFD: the kernel signals the eventfd on each posted completion.
     *
     * @param eventFd an eventfd
     * @return 0 or -errno
     */
    public int registerEventFd(int eventFd) {
        MemorySegment arg = arena.allocate(ValueLayout.JAVA_INT);
        arg.set(ValueLayout.JAVA_INT, 0, eventFd);
        return IoUringAbi.register(fd, IORING_REGISTER_EVENTFD, arg, 1);
    }

    /** Unmaps the rings and closes the ring fd, which cancels what is still in flight. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        unregisterRingFd();
        Libc.munmap(sqes, sqesSize);
        Libc.munmap(sqRing, sqRingSize);
        if (cqRingSize != 0) Libc.munmap(cqRing, cqRingSize);
        Libc.close(fd);
        arena.close();
    }

    @Override
    public String toString() {
        return "Ring[fd " + fd + ", sq " + sqEntries + ", cq " + cqEntries + ", refused " + refused + "]";
    }
}
