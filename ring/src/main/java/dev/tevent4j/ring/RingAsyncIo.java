package dev.tevent4j.ring;

import dev.tevent4j.Request;
import dev.tevent4j.AsyncIo;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.IoArgs;
import dev.tevent4j.spi.LoopServices;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.tevent4j.ring.IoUringAbi.*;

/**
 * AsyncIo on an io_uring {@link Ring}. Each op takes a slot; its SQE's user_data is the slot
 * index in the low 32 bits and the slot's generation in the high 32, so a completion finds its
 * op with one array load and a stale completion (of a slot since reused) is recognised and
 * dropped. Slots, their native scratch (iovecs, msghdr, paths) and the free list are reused:
 * after warm-up an op allocates only its {@link Request}.
 *
 * <p>SQEs are only filled here; the backend that owns the ring submits them once per loop
 * iteration, just before it waits, and calls {@link #reap()} after.
 */
public final class RingAsyncIo implements AsyncIo {
    private static final int SCRATCH = 512;
    private static final long INTERNAL = 0xFFFF_FFFFL;
    /**
     * User_data bit 63 is never set by this class (generations are kept to 31 bits): a backend
     * that shares the ring (the native uring backend's polls) tags its own SQEs with it, and
     * {@link #reap()} hands such completions to the {@code foreign} handler instead.
     */
    public static final long FOREIGN_BIT = 1L << 63;

    private final LoopServices loop;
    private final Ring ring;
    private final Arena arena = Arena.ofConfined();
    private final Ring.CompletionHandler onCompletion = this::complete;
    /** Receives the completions tagged {@link #FOREIGN_BIT}; null drops them. */
    private final Ring.CompletionHandler foreign;
    private Slot[] slots = new Slot[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;
    private int inFlight;
    private boolean closed;
    /** Set while close cancels and drains: new ops would keep the drain waiting. */
    private boolean draining;

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

        Slot(int index) {
            this.index = index;
        }

        @Override
        public boolean test(Request<Integer> r) {
            if (r == request) cancel(this, generation);
            return false; // completes later: ECANCELED if the cancel won
        }
    }

    public RingAsyncIo(LoopServices loop, Ring ring) {
        this(loop, ring, null);
    }

    /**
     * An AsyncIo on a ring whose owner also submits SQEs of its own, tagged with
     * {@link #FOREIGN_BIT}: every reap here (the loop-close drain included) routes their
     * completions to {@code foreign}, so none is lost whoever reaps.
     */
    public RingAsyncIo(LoopServices loop, Ring ring, Ring.CompletionHandler foreign) {
        this.loop = loop;
        this.ring = ring;
        this.foreign = foreign;
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
        };
    }

    /** Ops submitted or waiting to be, whose completion has not been reaped. */
    public int inFlight() {
        return inFlight;
    }

    /** Hands every completion in the CQ to its request. No syscall unless the CQ overflowed. */
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
        s.request = loop.newOpRequest();
        s.request.setCancelFn(s);
        return s;
    }

    private void releaseSlot(Slot s) {
        // 31 bits: bit 63 of user_data stays clear (FOREIGN_BIT belongs to the ring's owner).
        s.generation = (s.generation + 1) & 0x7FFF_FFFF;
        s.request = null;
        s.keepAlive = null;
        s.op = null;
        free[freeCount++] = s.index;
    }

    private MemorySegment scratch(Slot s, long bytes) {
        if (bytes > SCRATCH) {
            return Arena.ofAuto().allocate(bytes, 8);
        }
        if (s.scratch == null) s.scratch = arena.allocate(SCRATCH, 8);
        return s.scratch;
    }

    private static long userData(Slot s) {
        return ((long) s.generation << 32) | s.index;
    }

    /** A zeroed SQE; submits to make room when the SQ is full. -1: io_uring_enter is refused. */
    private long sqe() {
        if (ring.enterRefusal() != 0) return -1;
        long at = ring.nextSqe();
        if (at < 0) {
            // Refused: the ops in flight are failed by the ring's owner (it checks after its enter).
            if (Ring.isRefusal(ring.submit(false))) return -1;
            at = ring.nextSqe();
            if (at < 0) throw new IllegalStateException("io_uring SQ stays full after submitting");
        }
        return at;
    }

    /** Fills the common SQE fields and counts the op in flight. */
    private Request<Integer> submit(Slot s, byte opcode, int fd, long addr, int len, long off, int opFlags) {
        Request<Integer> r = s.request; // fill releases the slot when it fails the request
        fill(s, opcode, fd, addr, len, off, opFlags);
        return r;
    }

    /**
     * Like {@link #submit}, returning the SQE's offset for the fields only some ops use; -1 when
     * io_uring_enter is refused, the request then failed (its callback runs next iteration).
     */
    private long fill(Slot s, byte opcode, int fd, long addr, int len, long off, int opFlags) {
        long at;
        try {
            at = sqe();
        } catch (IllegalStateException full) {
            Request<Integer> r = s.request;
            releaseSlot(s);
            r.error(full);
            throw full;
        }
        if (at < 0) {
            // The ring's io_uring_enter is refused for good: an SQE would never run.
            Request<Integer> r = s.request;
            Op op = s.op;
            releaseSlot(s);
            r.postError(refused(op, ring.enterRefusal()));
            return -1;
        }
        MemorySegment q = ring.sqes();
        q.set(ValueLayout.JAVA_BYTE, at + SQE_OPCODE, opcode);
        q.set(ValueLayout.JAVA_INT, at + SQE_FD, fd);
        q.set(ValueLayout.JAVA_LONG, at + SQE_ADDR, addr);
        q.set(ValueLayout.JAVA_INT, at + SQE_LEN, len);
        q.set(ValueLayout.JAVA_LONG, at + SQE_OFF, off);
        q.set(ValueLayout.JAVA_INT, at + SQE_OP_FLAGS, opFlags);
        q.set(ValueLayout.JAVA_LONG, at + SQE_USER_DATA, userData(s));
        inFlight++;
        loop.ioStarted();
        return at;
    }

    /** An ASYNC_CANCEL of our own (its completion is ignored). */
    private void submitCancel(long target, int cancelFlags) {
        long at = sqe();
        if (at < 0) return; // enter refused: nothing can be cancelled, the ops were failed
        MemorySegment q = ring.sqes();
        q.set(ValueLayout.JAVA_BYTE, at + SQE_OPCODE, IORING_OP_ASYNC_CANCEL);
        q.set(ValueLayout.JAVA_INT, at + SQE_FD, -1);
        q.set(ValueLayout.JAVA_LONG, at + SQE_ADDR, target);
        q.set(ValueLayout.JAVA_INT, at + SQE_OP_FLAGS, cancelFlags);
        q.set(ValueLayout.JAVA_LONG, at + SQE_USER_DATA, INTERNAL);
    }

    private void cancel(Slot s, int generation) {
        if (s.generation != generation || s.request == null || closed) return;
        submitCancel(userData(s), 0);
    }

    /**
     * Handles one completion reaped from the ring: a backend that reaps the shared ring itself
     * hands over every CQE without {@link #FOREIGN_BIT}. Stale ones (a reused slot) are dropped.
     */
    public void complete(long userData, int res, int flags) {
        if ((userData & FOREIGN_BIT) != 0) {
            if (foreign != null) foreign.onCompletion(userData, res, flags);
            return;
        }
        int index = (int) userData;
        if ((userData & INTERNAL) == INTERNAL) return; // our own cancel requests
        Slot s = index < used ? slots[index] : null;
        if (s == null || s.generation != (int) (userData >>> 32) || s.request == null) return;
        if (s.op == Op.SEND_ZC) {
            if ((flags & IORING_CQE_F_NOTIF) == 0) {
                s.zeroCopyResult = res;
                if ((flags & IORING_CQE_F_MORE) != 0) return; // the buffer is still the kernel's
            } else {
                res = s.zeroCopyResult;
            }
        }
        Request<Integer> r = s.request;
        Op op = s.op;
        releaseSlot(s);
        inFlight--;
        loop.ioFinished();
        loop.completeOp(r, op, res);
    }

    /**
     * Fails every op in flight with an {@link ErrnoException} naming {@code errno}: the ring's
     * owner calls it when io_uring_enter is refused for good (a seccomp filter's EPERM or
     * ENOSYS), as no completion can come any more and the requests would otherwise hang. A
     * completion that still arrives for one of them is stale and dropped.
     */
    public void failInFlight(int errno) {
        for (int i = 0; i < used; i++) {
            Slot s = slots[i];
            if (s.request == null) continue;
            Request<Integer> r = s.request;
            Op op = s.op;
            releaseSlot(s);
            inFlight--;
            loop.ioFinished();
            if (r.isInProgress()) r.error(refused(op, errno));
        }
    }

    private static ErrnoException refused(Op op, int errno) {
        return new ErrnoException("io_uring_enter for " + op.name().toLowerCase(java.util.Locale.ROOT), errno);
    }

    // ---------------------------------------------------------------- ops

    @Override
    public Request<Integer> nop() {
        return submit(takeSlot(Op.NOP), IORING_OP_NOP, -1, 0, 0, 0, 0);
    }

    @Override
    public Request<Integer> read(int fd, MemorySegment buf, long offset) {
        return oneBuffer(Op.READ, IORING_OP_READ, fd, buf, offset, 0);
    }

    @Override
    public Request<Integer> write(int fd, MemorySegment buf, long offset) {
        return oneBuffer(Op.WRITE, IORING_OP_WRITE, fd, buf, offset, 0);
    }

    private MemorySegment iovecs(Slot s, MemorySegment[] bufs, long extra) {
        MemorySegment mem = scratch(s, extra + Libc.IOVEC.byteSize() * bufs.length);
        MemorySegment iov = mem.asSlice(extra, Libc.IOVEC.byteSize() * bufs.length);
        IoArgs.fillIovecs(iov, bufs);
        return mem;
    }

    /** The ops on one buffer: addr/len are the buffer, which the slot keeps until completion. */
    private Request<Integer> oneBuffer(Op op, byte opcode, int fd, MemorySegment buf, long offset, int opFlags) {
        IoArgs.fd(fd, "fd");
        int len = IoArgs.length(IoArgs.buffer(buf, "buf").byteSize(), "buf");
        Slot s = takeSlot(op);
        s.keepAlive = buf;
        s.zeroCopyResult = 0;
        return submit(s, opcode, fd, buf.address(), len, offset, opFlags);
    }

    @Override
    public Request<Integer> readv(int fd, MemorySegment[] bufs, long offset) {
        return vectored(Op.READV, IORING_OP_READV, fd, bufs, offset);
    }

    @Override
    public Request<Integer> writev(int fd, MemorySegment[] bufs, long offset) {
        return vectored(Op.WRITEV, IORING_OP_WRITEV, fd, bufs, offset);
    }

    private Request<Integer> vectored(Op op, byte opcode, int fd, MemorySegment[] bufs, long offset) {
        IoArgs.fd(fd, "fd");
        MemorySegment[] copy = IoArgs.buffers(bufs, "bufs").clone();
        Slot s = takeSlot(op);
        MemorySegment mem = iovecs(s, copy, 0);
        s.keepAlive = new Object[] {copy, mem};
        return submit(s, opcode, fd, mem.address(), copy.length, offset, 0);
    }

    @Override
    public Request<Integer> fsync(int fd) {
        IoArgs.fd(fd, "fd");
        return submit(takeSlot(Op.FSYNC), IORING_OP_FSYNC, fd, 0, 0, 0, 0);
    }

    @Override
    public Request<Integer> fdatasync(int fd) {
        IoArgs.fd(fd, "fd");
        return submit(takeSlot(Op.FDATASYNC), IORING_OP_FSYNC, fd, 0, 0, 0, IORING_FSYNC_DATASYNC);
    }

    @Override
    public Request<Integer> send(int fd, MemorySegment buf, int flags) {
        return oneBuffer(Op.SEND, IORING_OP_SEND, fd, buf, 0, flags | Libc.MSG_NOSIGNAL);
    }

    @Override
    public Request<Integer> recv(int fd, MemorySegment buf, int flags) {
        return oneBuffer(Op.RECV, IORING_OP_RECV, fd, buf, 0, flags);
    }

    @Override
    public Request<Integer> sendmsg(int fd, MemorySegment[] bufs, int flags) {
        return msg(Op.SENDMSG, IORING_OP_SENDMSG, fd, bufs, flags | Libc.MSG_NOSIGNAL);
    }

    @Override
    public Request<Integer> recvmsg(int fd, MemorySegment[] bufs, int flags) {
        return msg(Op.RECVMSG, IORING_OP_RECVMSG, fd, bufs, flags);
    }

    private Request<Integer> msg(Op op, byte opcode, int fd, MemorySegment[] bufs, int flags) {
        IoArgs.fd(fd, "fd");
        MemorySegment[] copy = IoArgs.buffers(bufs, "bufs").clone();
        Slot s = takeSlot(op);
        long hdr = Libc.MSGHDR.byteSize();
        MemorySegment mem = iovecs(s, copy, hdr);
        MemorySegment msg = mem.asSlice(0, hdr);
        IoArgs.fillMsghdr(msg, mem.asSlice(hdr), copy.length);
        s.keepAlive = new Object[] {copy, mem};
        return submit(s, opcode, fd, msg.address(), 1, 0, flags);
    }

    @Override
    public Request<Integer> splice(int fdIn, long offIn, int fdOut, long offOut, int len, int flags) {
        IoArgs.fd(fdIn, "fdIn");
        IoArgs.fd(fdOut, "fdOut");
        if (len < 0) throw new IllegalArgumentException("len " + len + " is negative");
        Slot s = takeSlot(Op.SPLICE);
        // splice: fd = fd_out, off = off_out, addr = splice_off_in, splice_fd_in = fd_in; -1 = no offset
        Request<Integer> r = s.request;
        long at = fill(s, IORING_OP_SPLICE, fdOut, offIn < 0 ? -1L : offIn, len, offOut < 0 ? -1L : offOut, flags);
        if (at >= 0) ring.sqes().set(ValueLayout.JAVA_INT, at + SQE_SPLICE_FD_IN, fdIn);
        return r;
    }

    @Override
    public Request<Integer> sendZeroCopy(int fd, MemorySegment buf, int flags) {
        return oneBuffer(Op.SEND_ZC, IORING_OP_SEND_ZC, fd, buf, 0, flags | Libc.MSG_NOSIGNAL);
    }

    private MemorySegment path(Slot s, String path, long reserve) {
        byte[] utf8 = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MemorySegment mem = scratch(s, reserve + utf8.length + 1);
        MemorySegment.copy(utf8, 0, mem, ValueLayout.JAVA_BYTE, reserve, utf8.length);
        mem.set(ValueLayout.JAVA_BYTE, reserve + utf8.length, (byte) 0);
        return mem;
    }

    @Override
    public Request<Integer> openat(int dirfd, String path, int flags, int mode) {
        if (path == null) throw new NullPointerException("path is null");
        Slot s = takeSlot(Op.OPENAT);
        MemorySegment p = path(s, path, 0);
        s.keepAlive = p;
        return submit(s, IORING_OP_OPENAT, dirfd, p.address(), mode, 0, flags | Libc.O_CLOEXEC);
    }

    @Override
    public Request<Integer> close(int fd) {
        IoArgs.fd(fd, "fd");
        return submit(takeSlot(Op.CLOSE), IORING_OP_CLOSE, fd, 0, 0, 0, 0);
    }

    @Override
    public Request<Integer> statx(int dirfd, String path, int flags, int mask, MemorySegment statxBuf) {
        if (path == null) throw new NullPointerException("path is null");
        IoArgs.buffer(statxBuf, "statxBuf");
        if (statxBuf.byteSize() < Libc.STATX_SIZE_BYTES) {
            throw new IllegalArgumentException("statxBuf has " + statxBuf.byteSize() + " bytes; struct statx needs 256");
        }
        Slot s = takeSlot(Op.STATX);
        MemorySegment p = path(s, path, 0);
        s.keepAlive = new Object[] {p, statxBuf};
        // statx: addr = path, len = mask, off (addr2) = the struct statx buffer
        return submit(s, IORING_OP_STATX, dirfd, p.address(), mask, statxBuf.address(), flags);
    }

    // ---------------------------------------------------------------- close

    /**
     * Loop close: ask the kernel to cancel every op (ASYNC_CANCEL_ANY) and wait until each has
     * completed, so no buffer is released while the kernel may still use it.
     */
    private void cancelAndDrain() {
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
