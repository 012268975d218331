package dev.tevent4j.internal;

import dev.tevent4j.FdEvent;
import dev.tevent4j.IoCompletion;
import dev.tevent4j.IoHandle;
import dev.tevent4j.IoLink;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.Request;
import dev.tevent4j.AsyncIo;
import dev.tevent4j.Msg;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.FileArgs;
import dev.tevent4j.spi.IoArgs;
import dev.tevent4j.spi.LoopServices;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * AsyncIo for the epoll backend: a bounded pool of worker threads doing the syscall, the result
 * handed back through the loop's executor (Samba's pthreadpool_tevent). Threads are created on
 * demand and leave after 30 s idle.
 *
 * <p>A worker is only given work that can proceed, as io_uring does with its inline issue and
 * poll arming: an op on a pipe, socket or other pollable fd is tried without waiting
 * (MSG_DONTWAIT, RWF_NOWAIT, SPLICE_F_NONBLOCK); on EAGAIN the job comes back to the loop, which
 * waits for readiness with one of its own FdEvents and then hands the job to a worker again. So
 * peers that never read or never send hold no worker, and a bad fd fails at once (a read of a
 * pipe's write end gives EBADF). Regular files and block devices are not pollable: a read that
 * would wait for the disk runs as the plain blocking call on the worker, which always finishes.
 * As on io_uring, an op on an O_NONBLOCK pipe or socket waits for readiness; MSG_DONTWAIT (or
 * SPLICE_F_NONBLOCK for splice) asks for EAGAIN instead.
 *
 * <p>Cancelling (by {@link Request#cancel()}, a deadline or the loop's close) takes a job out
 * of a readiness wait or the pool's queue at once; a job already in a syscall finishes it first.
 * Either way the request completes only after no worker touches its buffers any more.
 * Limit: openat of a FIFO without O_NONBLOCK, or fsync on a hung mount, blocks its worker
 * until it returns, and close waits for it.
 */
final class ThreadPoolAsyncIo implements AsyncIo {
    private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final Loop loop;
    private final ThreadPoolExecutor pool;
    private final int threads;
    /** Jobs started and not yet completed on the loop; touched only by the loop thread. */
    private final Set<Job> inFlight = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean draining;
    /** The chain ops join while it is open; one per AsyncIo, reused. */
    private final PoolLink link = new PoolLink();
    /** Set while an {@link IoHandle} starts its op: the job then belongs to it, not to a new Request. */
    private Handle handleTarget;

    /** @param threads the pool's size (LoopOptions.ioWqBoundedWorkers); 0 for the default */
    ThreadPoolAsyncIo(Loop loop, int threads) {
        this.loop = loop;
        this.threads = threads > 0 ? threads : THREADS;
        int id = POOL_IDS.incrementAndGet();
        AtomicInteger threadIds = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "tevent4j-io-" + id + "-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        pool = new ThreadPoolExecutor(this.threads, this.threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        loop.atClose(LoopServices.CloseStage.DRAIN_IO, this::cancelAndDrain);
    }

    @Override
    public String kind() {
        return "threadpool";
    }

    @Override
    public boolean supports(Op op) {
        return op != null;
    }

    /** The syscall of one op, made without waiting for readiness where the op can wait. */
    @FunctionalInterface
    private interface Attempt {
        /** @return the syscall's result or -errno; -EAGAIN when the fd is not ready */
        long run();
    }

    /** One op: runs on workers (one or more attempts), waits for readiness and completes on the loop. */
    private final class Job implements Runnable {
        final Op op;
        /** The op's request; null for an op of {@link #handle}. */
        final Request<Integer> request;
        final Handle handle;
        /** The fd an EAGAIN waits on and the FdEvent flags it waits for; -1: EAGAIN is the answer. */
        int waitFd;
        int waitFlags;
        /** Keeps buffers and scratch memory reachable until the op is over. */
        final Object keepAlive;
        final Attempt attempt;
        /** The blocking form, for a regular file whose non-waiting attempt met a page-cache miss. */
        final Attempt blocking;
        /** Written by the loop thread, read by the worker: a cancelled job makes no further attempt. */
        volatile boolean cancelled;
        /** Written by the worker before it hands the job back through the executor (which publishes it). */
        long result = -Errno.ECANCELED; // a job of a chain that never ran
        /** Links (loop thread only): the op after it in its chain, and whether a failure here cancels that one. */
        Job chainNext, chainPrev;
        boolean softLink;
        /** Marked by {@link IoLink#quiet()}: a cancel of the op after it cancels this one too, as on the ring. */
        boolean quiet;
        /** What a whole transfer is, for the kernel's rule that a short one breaks a soft link; -1: no such rule. */
        long requested = -1;
        /** The link timeout in nanoseconds (0: none), its timer once the job runs, and whether it fired. */
        long linkTimeoutNanos;
        TimerEvent linkTimer;
        boolean timedOut;
        /** A cancel the caller asked for (not its link timeout's): an ECANCELED then stays one. */
        boolean cancelRequested;
        Throwable failure;
        /** Loop thread only: the readiness wait in progress, or null. */
        FdEvent readiness;
        boolean finished;
        final Runnable afterAttempt = this::afterAttempt;
        /** registered resources: the table the op uses, told when it finishes; or null. */
        final RegisteredUse use = claimUse();

        Job(Op op, int waitFd, int waitFlags, Object keepAlive, Attempt attempt, Attempt blocking) {
            this.op = op;
            this.waitFd = waitFd;
            this.waitFlags = waitFlags;
            this.keepAlive = keepAlive;
            this.attempt = attempt;
            this.blocking = blocking;
            this.handle = handleTarget;
            this.request = handle == null ? loop.newOpRequest() : null;
            if (handle != null) handle.taken(this);
        }

        /** On a worker: one attempt, then back to the loop. */
        @Override
        public void run() {
            try {
                long res = cancelled ? -Errno.ECANCELED : attempt.run();
                if (res == -Errno.EAGAIN && blocking != null && !cancelled && !pollable(waitFd)) {
                    res = blocking.run(); // a page-cache miss on a file: the disk always answers
                }
                if (res == -Errno.EAGAIN && (op == Op.SPLICE || op == Op.TEE) && waitFd >= 0) {
                    chooseSpliceWait();
                }
                result = res;
            } catch (Throwable t) {
                // Never lose a completion: a failing worker still completes the request.
                failure = t;
                result = -Errno.EIO;
            }
            try {
                loop.executor().execute(afterAttempt);
            } catch (RejectedExecutionException closed) {
                // The loop is closing: cancelAndDrain completes this job on the loop thread.
            }
        }

        /** On the loop: complete, or wait for readiness and try again. */
        void afterAttempt() {
            if (finished) return;
            if (result == -Errno.EAGAIN && waitFd >= 0 && failure == null && !cancelled && !draining) {
                awaitReadiness();
            } else {
                finish(cancelled && result == -Errno.EAGAIN ? -Errno.ECANCELED : result);
            }
        }

        private void awaitReadiness() {
            try {
                readiness = loop.addFd(waitFd, waitFlags, (e, fired) -> {
                    e.close();
                    readiness = null;
                    if (cancelled) finish(-Errno.ECANCELED);
                    else dispatch(this);
                });
            } catch (IllegalArgumentException notPollable) {
                finish(-Errno.EAGAIN); // the fd cannot be waited on: the non-blocking answer stands
            }
        }

        /**
         * io_uring's splice (measured on 6.18): with an O_NONBLOCK end it answers EAGAIN, with
         * both ends blocking it waits. We wait on the loop instead, on whichever end is not ready: the
         * input for data, or the output for room.
         */
        private void chooseSpliceWait() {
            SpliceJob s = (SpliceJob) keepAlive;
            boolean inputEmpty = !ready(s.fdIn, Libc.POLLIN);
            int end = inputEmpty ? s.fdIn : s.fdOut;
            waitFd = s.callerNonBlocking ? -1 : end;
            waitFlags = inputEmpty ? FdEvent.READ : FdEvent.WRITE | FdEvent.ERROR;
        }

        /** Loop thread: a cancel, a deadline or the loop's close. */
        void cancel() {
            // The ring cannot reach an op queued behind a quiet one, so it cancels that one too: so do we.
            if (chainPrev != null && chainPrev.quiet && !chainPrev.finished) {
                chainPrev.cancelRequested = cancelRequested;
                chainPrev.cancel();
            }
            cancelled = true;
            if (readiness != null) {
                readiness.close();
                readiness = null;
                // Completes from the next iteration, as a cancelled ring op does: never inside cancel().
                try {
                    loop.executor().execute(() -> finish(-Errno.ECANCELED));
                } catch (RejectedExecutionException closing) {
                    finish(-Errno.ECANCELED);
                }
            }
        }

        void finish(long res) {
            if (finished) return;
            finished = true;
            if (readiness != null) {
                readiness.close();
                readiness = null;
            }
            if (linkTimer != null) {
                linkTimer.cancel();
                linkTimer = null;
            }
            if (timedOut && !cancelRequested && res == -Errno.ECANCELED) res = -Errno.ETIME;
            inFlight.remove(this);
            loop.ioFinished();
            if (use != null) use.opEnded();
            if (handle != null) {
                handle.released();
                handle.deliver(failure != null ? -Errno.EIO : (int) res);
            } else if (failure != null) {
                if (request.isInProgress()) request.error(failure);
            } else {
                loop.completeOp(request, op, res);
            }
            if (chainNext != null) chainGoesOn(this, res);
        }

        /** Starts the op on a worker, its link timeout counting from now. */
        void run(ThreadPoolAsyncIo io) {
            if (linkTimeoutNanos > 0 && !cancelled) {
                linkTimer = loop.addTimer(java.time.Duration.ofNanos(linkTimeoutNanos), (t, now) -> {
                    linkTimer = null;
                    if (finished) return;
                    timedOut = true;
                    cancel();
                });
            }
            io.dispatch(this);
        }
    }

    /** The two ends of a splice, kept with the job to choose what an EAGAIN waits for. */
    private static final class SpliceJob {
        final int fdIn, fdOut;
        final MemorySegment offIn, offOut;
        /** Whether the caller made an end O_NONBLOCK (the last attempt's reading, on the worker). */
        boolean callerNonBlocking;

        SpliceJob(int fdIn, int fdOut, MemorySegment offIn, MemorySegment offOut) {
            this.fdIn = fdIn;
            this.fdOut = fdOut;
            this.offIn = offIn;
            this.offOut = offOut;
        }

        /**
         * One splice that never waits: SPLICE_F_NONBLOCK covers the pipe, but a blocking socket
         * end still blocks inside splice (measured on 6.18: pipe -> full blocking socket sleeps),
         * so such an end is made O_NONBLOCK for the call and restored after.
         */
        long spliceOnce(long len, int flags) {
            int inFl = Libc.fcntl(fdIn, Libc.F_GETFL, 0);
            if (inFl < 0) return inFl;
            int outFl = Libc.fcntl(fdOut, Libc.F_GETFL, 0);
            if (outFl < 0) return outFl;
            callerNonBlocking = ((inFl | outFl) & Libc.O_NONBLOCK) != 0;
            boolean setIn = (inFl & Libc.O_NONBLOCK) == 0, setOut = (outFl & Libc.O_NONBLOCK) == 0;
            if (setIn) Libc.fcntl(fdIn, Libc.F_SETFL, inFl | Libc.O_NONBLOCK);
            if (setOut) Libc.fcntl(fdOut, Libc.F_SETFL, outFl | Libc.O_NONBLOCK);
            try {
                return Libc.splice(fdIn, offIn, fdOut, offOut, len, flags | Libc.SPLICE_F_NONBLOCK);
            } finally {
                if (setIn) Libc.fcntl(fdIn, Libc.F_SETFL, inFl);
                if (setOut) Libc.fcntl(fdOut, Libc.F_SETFL, outFl);
            }
        }
    }

    /**
     * A send, and with MSG_WAITALL (the caller's, or a quiet link's) the progress of one that
     * sends on until all is sent, as io_uring's does; send(2) itself ignores the flag.
     */
    private static final class SendAll {
        final int fd, flags;
        final MemorySegment buf, view;
        /** Set on the loop thread before the job runs (the executor hand-off publishes it). */
        boolean waitAll;
        /** Worker-only; the executors order the attempts, as connect's state is. */
        long sent;

        SendAll(int fd, MemorySegment buf, MemorySegment view, int flags) {
            this.fd = fd;
            this.buf = buf;
            this.view = view;
            this.flags = flags;
        }

        long attempt() {
            if (!waitAll) return Libc.send(fd, view, view.byteSize(), flags);
            while (sent < view.byteSize()) {
                long n = Libc.send(fd, view.asSlice(sent), view.byteSize() - sent, flags);
                if (n < 0) return n == -Errno.EAGAIN || sent == 0 ? n : sent;
                sent += n;
            }
            return sent;
        }
    }

    /** Whether a readiness wait makes sense for {@code fd}: not a regular file, directory or block device. */
    private static boolean pollable(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment stx = a.allocate(Libc.STATX_SIZE_BYTES, 8);
            if (Libc.statx(fd, a.allocateFrom(""), Libc.AT_EMPTY_PATH, Libc.STATX_TYPE, stx) < 0) return true;
            int type = stx.get(ValueLayout.JAVA_SHORT, Libc.STATX_MODE_OFFSET) & Libc.S_IFMT;
            return type != Libc.S_IFREG && type != Libc.S_IFDIR && type != Libc.S_IFBLK;
        }
    }

    /** A zero-timeout poll(2): whether {@code fd} has {@code events} (or an error or hangup) now. */
    private static boolean ready(int fd, short events) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pfd = a.allocate(Libc.POLLFD);
            pfd.set(ValueLayout.JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, events);
            return Libc.poll(pfd, 1, 0) != 0;
        }
    }

    private void dispatch(Job job) {
        try {
            pool.execute(job);
        } catch (RejectedExecutionException closing) {
            job.finish(-Errno.ECANCELED);
        }
    }

    private Request<Integer> start(Op op, int waitFd, int waitFlags, Object keepAlive, Attempt attempt, Attempt blocking) {
        return start(op, waitFd, waitFlags, keepAlive, attempt, blocking, -1);
    }

    /** @param requested the whole transfer (a shorter one breaks a soft link), -1 when no such rule applies */
    private Request<Integer> start(Op op, int waitFd, int waitFlags, Object keepAlive, Attempt attempt, Attempt blocking,
                                   long requested) {
        loop.checkOwnerAndOpen();
        if (draining || pool.isShutdown()) {
            throw new IllegalStateException("the event loop is closing: no new AsyncIo op");
        }
        Job job = new Job(op, waitFd, waitFlags, keepAlive, attempt, blocking);
        job.requested = requested;
        if (job.request != null) {
            job.request.setCancelFn(r -> {
                job.cancelRequested = true;
                job.cancel();
                return false; // completes later, with ECANCELED unless the syscall had already run
            });
        }
        inFlight.add(job);
        loop.ioStarted();
        if (link.open) link.joined(job);
        else job.run(this);
        return job.request;
    }

    /** An op that never waits for readiness (files, paths, fds that are always ready). */
    private Request<Integer> start(Op op, Object keepAlive, Attempt call) {
        return start(op, -1, 0, keepAlive, call, null);
    }

    /** A socket op: waits for readiness on EAGAIN unless {@code flags} has MSG_DONTWAIT. */
    private Request<Integer> startSocketOp(Op op, int fd, int flags, int waitFlags, Object keepAlive, Attempt attempt) {
        boolean dontWait = (flags & Libc.MSG_DONTWAIT) != 0;
        return start(op, dontWait ? -1 : fd, waitFlags, keepAlive, attempt, null);
    }

    private static final int IN = FdEvent.READ;
    /** A writer also wakes on an error or hangup (tevent drops WRITE-only waiters of an fd in error). */
    private static final int OUT = FdEvent.WRITE | FdEvent.ERROR;

    @Override
    public Request<Integer> nop() {
        return start(Op.NOP, null, () -> 0);
    }

    @Override
    public Request<Integer> read(int fd, MemorySegment buf, long offset) {
        IoArgs.fd(fd, "fd");
        IoArgs.buffer(buf, "buf");
        return readOrWrite(Op.READ, fd, new MemorySegment[] {buf}, offset, IN);
    }

    @Override
    public Request<Integer> write(int fd, MemorySegment buf, long offset) {
        IoArgs.fd(fd, "fd");
        IoArgs.buffer(buf, "buf");
        return readOrWrite(Op.WRITE, fd, new MemorySegment[] {buf}, offset, OUT);
    }

    @Override
    public Request<Integer> readv(int fd, MemorySegment[] bufs, long offset) {
        IoArgs.fd(fd, "fd");
        return readOrWrite(Op.READV, fd, IoArgs.buffers(bufs, "bufs").clone(), offset, IN);
    }

    @Override
    public Request<Integer> writev(int fd, MemorySegment[] bufs, long offset) {
        IoArgs.fd(fd, "fd");
        return readOrWrite(Op.WRITEV, fd, IoArgs.buffers(bufs, "bufs").clone(), offset, OUT);
    }

    /** preadv2/pwritev2 with RWF_NOWAIT first; the blocking form only for a file's disk wait. */
    private Request<Integer> readOrWrite(Op op, int fd, MemorySegment[] bufs, long offset, int waitFlags) {
        MemorySegment iov = IoArgs.iovecs(Arena.ofAuto(), bufs);
        int n = bufs.length;
        long off = offset < 0 ? -1 : offset;
        boolean reading = op == Op.READ || op == Op.READV;
        Attempt nowait = reading ? () -> Libc.preadv2(fd, iov, n, off, Libc.RWF_NOWAIT)
                : () -> Libc.pwritev2(fd, iov, n, off, Libc.RWF_NOWAIT);
        Attempt blocking = reading ? () -> Libc.preadv2(fd, iov, n, off, 0) : () -> Libc.pwritev2(fd, iov, n, off, 0);
        short event = reading ? Libc.POLLIN : Libc.POLLOUT;
        Attempt attempt = () -> {
            long r = nowait.run();
            if (r != -Errno.EOPNOTSUPP) return r;
            // No RWF_NOWAIT here (file writes, ttys, inotify): a file goes plain; a pollable fd
            // goes plain once it is ready, else the loop waits for it first.
            return !pollable(fd) || ready(fd, event) ? blocking.run() : -Errno.EAGAIN;
        };
        return start(op, fd, waitFlags, new Object[] {bufs, iov}, attempt, blocking, link.open ? IoArgs.totalLength(bufs) : -1);
    }

    @Override
    public Request<Integer> fsync(int fd) {
        IoArgs.fd(fd, "fd");
        return start(Op.FSYNC, null, () -> Libc.fsync(fd));
    }

    @Override
    public Request<Integer> fdatasync(int fd) {
        IoArgs.fd(fd, "fd");
        return start(Op.FDATASYNC, null, () -> Libc.fdatasync(fd));
    }

    @Override
    public Request<Integer> send(int fd, MemorySegment buf, int flags) {
        IoArgs.fd(fd, "fd");
        IoArgs.buffer(buf, "buf");
        MemorySegment view = IoArgs.kernelView(buf);
        SendAll send = new SendAll(fd, buf, view, flags | Libc.MSG_NOSIGNAL | Libc.MSG_DONTWAIT);
        send.waitAll = (flags & Libc.MSG_WAITALL) != 0;
        return start(Op.SEND, (flags & Libc.MSG_DONTWAIT) != 0 ? -1 : fd, OUT, send, send::attempt, null,
                send.waitAll ? view.byteSize() : -1);
    }

    @Override
    public Request<Integer> recv(int fd, MemorySegment buf, int flags) {
        IoArgs.fd(fd, "fd");
        IoArgs.buffer(buf, "buf");
        MemorySegment view = IoArgs.kernelView(buf);
        int f = flags | Libc.MSG_DONTWAIT;
        if ((flags & Libc.MSG_WAITALL) == 0) {
            return start(Op.RECV, (flags & Libc.MSG_DONTWAIT) != 0 ? -1 : fd, IN, buf,
                    () -> Libc.recv(fd, view, view.byteSize(), f), null, -1);
        }
        // MSG_WAITALL: io_uring receives on until the buffer is full, the peer is done or it fails.
        long[] got = {0}; // worker-only, ordered by the executors as connect's state is
        Attempt all = () -> {
            while (got[0] < view.byteSize()) {
                long n = Libc.recv(fd, view.asSlice(got[0]), view.byteSize() - got[0], f);
                if (n == 0) return got[0];
                if (n < 0) return n == -Errno.EAGAIN || got[0] == 0 ? n : got[0];
                got[0] += n;
            }
            return got[0];
        };
        return start(Op.RECV, (flags & Libc.MSG_DONTWAIT) != 0 ? -1 : fd, IN, buf, all, null, view.byteSize());
    }

    @Override
    public Request<Integer> sendmsg(int fd, MemorySegment[] bufs, int flags) {
        return msg(Op.SENDMSG, fd, bufs, flags | Libc.MSG_NOSIGNAL, OUT);
    }

    @Override
    public Request<Integer> recvmsg(int fd, MemorySegment[] bufs, int flags) {
        return msg(Op.RECVMSG, fd, bufs, flags, IN);
    }

    private Request<Integer> msg(Op op, int fd, MemorySegment[] bufs, int flags, int waitFlags) {
        IoArgs.fd(fd, "fd");
        Arena a = Arena.ofAuto();
        MemorySegment iov = IoArgs.iovecs(a, IoArgs.buffers(bufs, "bufs").clone());
        MemorySegment msg = a.allocate(Libc.MSGHDR);
        IoArgs.fillMsghdr(msg, iov, bufs.length);
        int nowait = flags | Libc.MSG_DONTWAIT;
        Attempt call = op == Op.SENDMSG ? () -> Libc.sendmsg(fd, msg, nowait) : () -> Libc.recvmsg(fd, msg, nowait);
        long requested = (flags & Libc.MSG_WAITALL) != 0 ? IoArgs.totalLength(bufs) : -1;
        return start(op, (flags & Libc.MSG_DONTWAIT) != 0 ? -1 : fd, waitFlags, new Object[] {bufs.clone(), iov, msg}, call,
                null, requested);
    }

    @Override
    public Request<Integer> splice(int fdIn, long offIn, int fdOut, long offOut, int len, int flags) {
        IoArgs.fd(fdIn, "fdIn");
        IoArgs.fd(fdOut, "fdOut");
        if (len < 0) throw new IllegalArgumentException("len " + len + " is negative");
        Arena a = Arena.ofAuto();
        MemorySegment in = offIn < 0 ? MemorySegment.NULL : a.allocate(ValueLayout.JAVA_LONG);
        MemorySegment out = offOut < 0 ? MemorySegment.NULL : a.allocate(ValueLayout.JAVA_LONG);
        if (offIn >= 0) in.set(ValueLayout.JAVA_LONG, 0, offIn);
        if (offOut >= 0) out.set(ValueLayout.JAVA_LONG, 0, offOut);
        boolean dontWait = (flags & Libc.SPLICE_F_NONBLOCK) != 0;
        SpliceJob ends = new SpliceJob(fdIn, fdOut, in, out);
        return start(Op.SPLICE, dontWait ? -1 : fdIn, IN, ends, () -> ends.spliceOnce(len, flags), null, len);
    }

    @Override
    public Request<Integer> sendZeroCopy(int fd, MemorySegment buf, int flags) {
        IoArgs.fd(fd, "fd");
        IoArgs.buffer(buf, "buf");
        MemorySegment view = IoArgs.kernelView(buf);
        int f = flags | Libc.MSG_NOSIGNAL | Libc.MSG_DONTWAIT;
        // send(2) copies: the buffer is free again as soon as it returns.
        return startSocketOp(Op.SEND_ZC, fd, flags, OUT, buf, () -> Libc.send(fd, view, view.byteSize(), f));
    }

    @Override
    public Request<Integer> openat(int dirfd, String path, int flags, int mode) {
        Checks.notNull(path, "path");
        MemorySegment p = Arena.ofAuto().allocateFrom(path);
        return start(Op.OPENAT, p, () -> Libc.openat(dirfd, p, flags | Libc.O_CLOEXEC, mode));
    }

    @Override
    public Request<Integer> close(int fd) {
        IoArgs.fd(fd, "fd");
        return start(Op.CLOSE, null, () -> Libc.close(fd));
    }

    @Override
    public Request<Integer> statx(int dirfd, String path, int flags, int mask, MemorySegment statxBuf) {
        Checks.notNull(path, "path");
        IoArgs.buffer(statxBuf, "statxBuf");
        if (statxBuf.byteSize() < Libc.STATX_SIZE_BYTES) {
            throw new IllegalArgumentException("statxBuf has " + statxBuf.byteSize() + " bytes; struct statx needs 256");
        }
        MemorySegment p = Arena.ofAuto().allocateFrom(path);
        MemorySegment view = IoArgs.kernelView(statxBuf);
        return start(Op.STATX, new Object[] {p, statxBuf}, () -> Libc.statx(dirfd, p, flags, mask, view));
    }

    // ---------------------------------------------------------------- files and messages

    @Override
    public Request<Integer> sendmsg(int fd, Msg msg, int flags) {
        return message(Op.SENDMSG, fd, msg, flags | Libc.MSG_NOSIGNAL, OUT);
    }

    @Override
    public Request<Integer> recvmsg(int fd, Msg msg, int flags) {
        return message(Op.RECVMSG, fd, msg, flags | Libc.MSG_CMSG_CLOEXEC, IN);
    }

    /**
     * Emulated: sendmsg(2) copies, so the buffers are free when it returns, as the ring's
     * notification says. Sockets io_uring has no zero-copy for fail as there (EOPNOTSUPP).
     */
    @Override
    public Request<Integer> sendmsgZeroCopy(int fd, Msg msg, int flags) {
        return message(Op.SENDMSG_ZC, fd, msg, flags | Libc.MSG_NOSIGNAL, OUT);
    }

    /**
     * 0 when {@code fd} is a socket io_uring can send zero-copy on (the kernel marks only TCP and
     * UDP sockets SOCK_SUPPORT_ZC); else -ENOTSOCK, -EOPNOTSUPP or -EBADF, as io_uring answers.
     */
    private static int zeroCopyCapable(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment value = a.allocate(ValueLayout.JAVA_INT), len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, 4);
            int rc = Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_PROTOCOL, value, len);
            if (rc < 0) return rc;
            int protocol = value.get(ValueLayout.JAVA_INT, 0);
            return protocol == Libc.IPPROTO_TCP || protocol == Libc.IPPROTO_UDP ? 0 : -Errno.EOPNOTSUPP;
        }
    }

    private Request<Integer> message(Op op, int fd, Msg msg, int flags, int waitFlags) {
        IoArgs.fd(fd, "fd");
        FileArgs.msg(msg);
        if (op == Op.RECVMSG) msg.resetForReceive(); // on the loop thread, before a worker sees it
        MemorySegment header = IoArgs.kernelView(msg.header()); // a worker may not touch a confined segment
        int nowait = flags | Libc.MSG_DONTWAIT;
        Attempt call = switch (op) {
            case RECVMSG -> () -> Libc.recvmsg(fd, header, nowait);
            case SENDMSG_ZC -> () -> {
                int capable = zeroCopyCapable(fd);
                return capable < 0 ? capable : Libc.sendmsg(fd, header, nowait);
            };
            default -> () -> Libc.sendmsg(fd, header, nowait);
        };
        return startSocketOp(op, fd, flags, waitFlags, msg, call);
    }

    @Override
    public Request<Integer> openat2(int dirfd, String path, int flags, int mode, long resolve) {
        MemorySegment p = Arena.ofAuto().allocateFrom(FileArgs.path(path, "path"));
        long f = Integer.toUnsignedLong(flags | Libc.O_CLOEXEC), m = Integer.toUnsignedLong(mode);
        return start(Op.OPENAT2, p, () -> Libc.openat2(dirfd, p, f, m, resolve, Arena.ofAuto()));
    }

    @Override
    public Request<Integer> unlinkat(int dirfd, String path, int flags) {
        MemorySegment p = Arena.ofAuto().allocateFrom(FileArgs.path(path, "path"));
        // io_uring refuses any flag but AT_REMOVEDIR; unlinkat(2) does too (EINVAL)
        return start(Op.UNLINKAT, p, () -> Libc.unlinkat(dirfd, p, flags));
    }

    @Override
    public Request<Integer> renameat(int oldDirfd, String oldPath, int newDirfd, String newPath, int flags) {
        Arena a = Arena.ofAuto();
        MemorySegment from = a.allocateFrom(FileArgs.path(oldPath, "oldPath"));
        MemorySegment to = a.allocateFrom(FileArgs.path(newPath, "newPath"));
        return start(Op.RENAMEAT, new Object[] {from, to}, () -> Libc.renameat2(oldDirfd, from, newDirfd, to, flags));
    }

    @Override
    public Request<Integer> mkdirat(int dirfd, String path, int mode) {
        MemorySegment p = Arena.ofAuto().allocateFrom(FileArgs.path(path, "path"));
        return start(Op.MKDIRAT, p, () -> Libc.mkdirat(dirfd, p, mode));
    }

    @Override
    public Request<Integer> fgetxattr(int fd, String name, MemorySegment value) {
        IoArgs.fd(fd, "fd");
        MemorySegment n = Arena.ofAuto().allocateFrom(FileArgs.path(name, "name"));
        long size = IoArgs.length(IoArgs.buffer(value, "value").byteSize(), "value");
        MemorySegment view = IoArgs.kernelView(value);
        return start(Op.FGETXATTR, new Object[] {n, value}, () -> Libc.fgetxattr(fd, n, view, size));
    }

    @Override
    public Request<Integer> fsetxattr(int fd, String name, MemorySegment value, int flags) {
        IoArgs.fd(fd, "fd");
        MemorySegment n = Arena.ofAuto().allocateFrom(FileArgs.path(name, "name"));
        long size = IoArgs.length(IoArgs.buffer(value, "value").byteSize(), "value");
        MemorySegment view = IoArgs.kernelView(value);
        return start(Op.FSETXATTR, new Object[] {n, value}, () -> Libc.fsetxattr(fd, n, view, size, flags));
    }

    @Override
    public Request<Integer> fadvise(int fd, long offset, long len, int advice) {
        IoArgs.fd(fd, "fd");
        FileArgs.fadviseRange(offset, len);
        return start(Op.FADVISE, null, () -> Libc.fadvise(fd, offset, len, advice));
    }

    @Override
    public Request<Integer> tee(int fdIn, int fdOut, int len, int flags) {
        IoArgs.fd(fdIn, "fdIn");
        IoArgs.fd(fdOut, "fdOut");
        FileArgs.count(len, "len");
        boolean dontWait = (flags & Libc.SPLICE_F_NONBLOCK) != 0;
        // The splice machinery: an EAGAIN waits on whichever pipe is not ready (see chooseSpliceWait).
        SpliceJob ends = new SpliceJob(fdIn, fdOut, MemorySegment.NULL, MemorySegment.NULL);
        return start(Op.TEE, dontWait ? -1 : fdIn, IN, ends, () -> teeOnce(ends, len, flags), null, len);
    }

    /** One tee that never waits: both ends are pipes, so SPLICE_F_NONBLOCK covers them. */
    private static long teeOnce(SpliceJob ends, int len, int flags) {
        int inFl = Libc.fcntl(ends.fdIn, Libc.F_GETFL, 0);
        if (inFl < 0) return inFl;
        int outFl = Libc.fcntl(ends.fdOut, Libc.F_GETFL, 0);
        if (outFl < 0) return outFl;
        ends.callerNonBlocking = ((inFl | outFl) & Libc.O_NONBLOCK) != 0;
        return Libc.tee(ends.fdIn, ends.fdOut, len, flags | Libc.SPLICE_F_NONBLOCK);
    }

    // ---------------------------------------------------------------- sockets

    @Override
    public Request<Integer> accept(int fd, int flags) {
        IoArgs.fd(fd, "fd");
        int f = flags | Libc.SOCK_CLOEXEC;
        // EAGAIN (no pending connection) waits for the listener to be readable, as io_uring does
        return start(Op.ACCEPT, fd, IN, null, () -> acceptOnce(fd, f), null);
    }

    /**
     * One accept4 that never waits: a blocking listener is made O_NONBLOCK for the call and
     * restored after (as {@link SpliceJob#spliceOnce} does), so a racing accept elsewhere cannot
     * park a worker or the loop thread.
     */
    private static long acceptOnce(int fd, int flags) {
        int fl = Libc.fcntl(fd, Libc.F_GETFL, 0);
        if (fl < 0) return fl;
        boolean set = (fl & Libc.O_NONBLOCK) == 0;
        if (set) Libc.fcntl(fd, Libc.F_SETFL, fl | Libc.O_NONBLOCK);
        try {
            return Libc.accept4(fd, MemorySegment.NULL, MemorySegment.NULL, flags);
        } finally {
            if (set) Libc.fcntl(fd, Libc.F_SETFL, fl);
        }
    }

    @Override
    public Request<Integer> connect(int fd, MemorySegment sockaddr) {
        IoArgs.fd(fd, "fd");
        int len = IoArgs.length(IoArgs.buffer(sockaddr, "sockaddr").byteSize(), "sockaddr");
        MemorySegment view = IoArgs.kernelView(sockaddr);
        // Worker-only state: each attempt is handed over through the executors, which order them.
        boolean[] started = {false};
        Attempt attempt = () -> {
            if (!started[0]) {
                started[0] = true;
                long r = connectOnce(fd, view, len);
                return r == -Errno.EINPROGRESS ? -Errno.EAGAIN : r; // in progress: wait for writable
            }
            if (!ready(fd, Libc.POLLOUT)) return -Errno.EAGAIN;
            int err = Libc.socketError(fd); // writable: connected, or the reason it failed
            return err == 0 ? 0 : -err;
        };
        return start(Op.CONNECT, fd, OUT, sockaddr, attempt, null);
    }

    /** One connect that never waits: a blocking socket is made O_NONBLOCK for the call. */
    private static long connectOnce(int fd, MemorySegment addr, int len) {
        int fl = Libc.fcntl(fd, Libc.F_GETFL, 0);
        if (fl < 0) return fl;
        boolean set = (fl & Libc.O_NONBLOCK) == 0;
        if (set) Libc.fcntl(fd, Libc.F_SETFL, fl | Libc.O_NONBLOCK);
        try {
            return Libc.connect(fd, addr, len);
        } finally {
            if (set) Libc.fcntl(fd, Libc.F_SETFL, fl);
        }
    }

    /** Multishot streams not yet completed; loop thread only. */
    private final Set<Stream> streams = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean streamsDrainHooked;

    /** Streams are drained by a close hook added before any buffer ring's, so before their memory goes. */
    private void hookStreamsDrain() {
        if (streamsDrainHooked) return;
        streamsDrainHooked = true;
        loop.atClose(LoopServices.CloseStage.DRAIN_IO, () -> {
            for (Stream st : new ArrayList<>(streams)) st.finish(-Errno.ECANCELED);
        });
    }

    @Override
    public Request<Integer> acceptMultishot(int fd, int flags, java.util.function.IntConsumer onAccepted) {
        IoArgs.fd(fd, "fd");
        Checks.notNull(onAccepted, "onAccepted");
        return new Stream(Op.ACCEPT_MULTISHOT, fd, flags | Libc.SOCK_CLOEXEC, onAccepted, null, null).start();
    }

    @Override
    public dev.tevent4j.BufferRing bufferRing(int count, int size) {
        loop.checkOwnerAndOpen();
        if (draining) throw new IllegalStateException("the event loop is closing: no new buffer ring");
        hookStreamsDrain();
        return new PoolBufferRing(loop, count, size);
    }

    @Override
    public Request<Integer> recvMultishot(int fd, dev.tevent4j.BufferRing ring, dev.tevent4j.RecvHandler handler) {
        IoArgs.fd(fd, "fd");
        Checks.notNull(handler, "handler");
        if (!(ring instanceof PoolBufferRing br) || !bufferRings(br)) {
            throw new IllegalArgumentException("the buffer ring was not made by this AsyncIo's bufferRing");
        }
        return new Stream(Op.RECV_MULTISHOT, fd, 0, null, handler, br).start();
    }

    /** Whether {@code br} is one of ours (it was made on our loop). */
    private boolean bufferRings(PoolBufferRing br) {
        return br.owner() == loop;
    }

    /** Most accepts one readiness callback makes, so one busy listener does not starve the loop. */
    private static final int ACCEPTS_PER_WAKEUP = 32;

    /**
     * A multishot op emulated on the loop thread: a readiness wait (one FdEvent, kept while the
     * stream lives) and, each time the socket is readable, calls that never wait (accept4 on a
     * listener made non-blocking for the call, recv with MSG_DONTWAIT into a buffer taken from
     * the {@link PoolBufferRing} only then). No worker is involved: nothing waits, and no other
     * thread ever writes a buffer. Completes as io_uring's multishot does: ECANCELED, ENOBUFS,
     * the socket's error, or 0 at a recv's end of file.
     */
    private final class Stream implements java.util.function.Predicate<Request<Integer>>, dev.tevent4j.FdHandler {
        final Op op;
        final int fd, flags;
        final java.util.function.IntConsumer onAccepted;
        final dev.tevent4j.RecvHandler onData;
        final PoolBufferRing buffers;
        final Request<Integer> request = loop.newOpRequest();
        FdEvent readiness;
        boolean finished;

        Stream(Op op, int fd, int flags, java.util.function.IntConsumer onAccepted,
               dev.tevent4j.RecvHandler onData, PoolBufferRing buffers) {
            this.op = op;
            this.fd = fd;
            this.flags = flags;
            this.onAccepted = onAccepted;
            this.onData = onData;
            this.buffers = buffers;
        }

        Request<Integer> start() {
            loop.checkOwnerAndOpen();
            dev.tevent4j.spi.LinkArgs.notMultishot(link.open);
            if (draining || pool.isShutdown()) throw new IllegalStateException("the event loop is closing: no new AsyncIo op");
            hookStreamsDrain();
            request.setCancelFn(this);
            streams.add(this);
            loop.ioStarted();
            int fl = Libc.fcntl(fd, Libc.F_GETFL, 0);
            if (fl < 0) {
                later(fl); // EBADF, as the ring's CQE would say
            } else {
                try {
                    readiness = loop.addFd(fd, FdEvent.READ, this);
                } catch (IllegalArgumentException notPollable) {
                    later(-Errno.ENOTSOCK);
                }
            }
            return request;
        }

        /** Completes from the next iteration, as a ring op does: never inside the call that started or cancelled it. */
        private void later(long res) {
            try {
                loop.executor().execute(() -> finish(res));
            } catch (RejectedExecutionException closing) {
                finish(res);
            }
        }

        @Override
        public boolean test(Request<Integer> r) {
            if (!finished && readiness != null) {
                readiness.close();
                readiness = null;
                later(-Errno.ECANCELED);
            }
            return false; // completes later, with ECANCELED
        }

        @Override
        public void onFd(FdEvent fde, int fired) {
            if (op == Op.ACCEPT_MULTISHOT) acceptSome();
            else recvOnce();
        }

        private void acceptSome() {
            for (int i = 0; i < ACCEPTS_PER_WAKEUP && !finished && readiness != null; i++) {
                long res = acceptOnce(fd, flags);
                if (res == -Errno.EAGAIN) return;
                if (res < 0) {
                    finish(res);
                    return;
                }
                try {
                    onAccepted.accept((int) res);
                } catch (RuntimeException | Error e) {
                    loop.reportUncaught(request, e);
                }
            }
        }

        private void recvOnce() {
            int id = buffers.take();
            if (id < 0) {
                finish(-dev.tevent4j.BufferRing.ENOBUFS); // readable and no buffer: as the kernel's buffer select
                return;
            }
            MemorySegment buf = buffers.buffer(id);
            long n = Libc.recv(fd, buf, buf.byteSize(), flags | Libc.MSG_DONTWAIT);
            if (n <= 0) {
                buffers.giveBack(id);
                if (n != -Errno.EAGAIN) finish(n); // 0: end of file
                return;
            }
            try {
                onData.onData(buffers.slice(id, (int) n), id);
            } catch (RuntimeException | Error e) {
                loop.reportUncaught(request, e);
                buffers.giveBack(id); // unless it recycled it itself
            }
        }

        void finish(long res) {
            if (finished) return;
            finished = true;
            if (readiness != null) {
                readiness.close();
                readiness = null;
            }
            streams.remove(this);
            loop.ioFinished();
            loop.completeOp(request, op, res);
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
        Checks.notNull(completion, "completion");
        return new Handle(completion);
    }

    /**
     * A job of a chain completed (its own request or handle first): the next one runs, or, when
     * a soft link breaks (a failure, or a short transfer where the kernel counts one as such),
     * every one left completes with ECANCELED, in order.
     */
    private void chainGoesOn(Job done, long res) {
        Job next = done.chainNext;
        done.chainNext = null;
        next.chainPrev = null;
        boolean broken = done.softLink && (res < 0 || (done.requested >= 0 && res < done.requested));
        if (!broken && !draining) {
            next.run(this);
            return;
        }
        next.finish(-Errno.ECANCELED); // finishing it cancels the ones after it in turn
    }

    /** The emulated chain: jobs are held back while it is built and run one by one from its close. */
    private final class PoolLink implements IoLink {
        boolean open;
        private boolean hard;
        private Job head, last;

        IoLink open(boolean hardLink) {
            loop.checkOwnerAndOpen();
            if (draining || pool.isShutdown()) throw new IllegalStateException("the event loop is closing: no new AsyncIo chain");
            dev.tevent4j.spi.LinkArgs.notOpen(open);
            open = true;
            hard = hardLink;
            head = last = null;
            return this;
        }

        void joined(Job job) {
            if (last != null) {
                last.chainNext = job;
                job.chainPrev = last;
                last.softLink = !hard;
            } else {
                head = job;
            }
            last = job;
        }

        private Job last(String what) {
            if (!open) throw new IllegalStateException("the chain is closed: " + what + " applies to an open chain");
            if (last == null) throw new IllegalStateException(what + ": no op was started in this chain yet");
            return last;
        }

        @Override
        public IoLink timeout(java.time.Duration limit) {
            long nanos = dev.tevent4j.spi.LinkArgs.timeout(limit);
            Job j = last("timeout");
            if (j.linkTimeoutNanos > 0) throw new IllegalStateException("the op started last has a link timeout already");
            j.linkTimeoutNanos = nanos;
            return this;
        }

        @Override
        public IoLink quiet() {
            Job j = last("quiet");
            dev.tevent4j.spi.LinkArgs.quiet(j.op, hard);
            // Emulated: a completion costs no syscall here, so the op completes as any other.
            j.quiet = true;
            if (j.keepAlive instanceof SendAll send) { // sends all or fails, as the ring's with MSG_WAITALL
                send.waitAll = true;
                j.requested = send.view.byteSize();
            }
            return this;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (!open) return;
            open = false;
            Job first = head;
            head = last = null;
            if (first != null) first.run(ThreadPoolAsyncIo.this);
        }
    }

    /** An {@link IoHandle} on the pool: its op's job is given to the handle instead of a new Request. */
    private final class Handle extends dev.tevent4j.spi.HandleOps {
        private Job job;

        Handle(IoCompletion completion) {
            super(ThreadPoolAsyncIo.this, loop, completion);
        }

        void taken(Job j) {
            job = j;
        }

        void released() {
            job = null;
        }

        @Override
        protected void enter() {
            if (job != null) throw new IllegalStateException("this IoHandle has an op in flight: one at a time");
            handleTarget = this;
        }

        @Override
        protected void exit() {
            handleTarget = null;
        }

        @Override
        public boolean busy() {
            return job != null;
        }

        @Override
        public void cancel() {
            Job j = job;
            if (j != null) {
                j.cancelRequested = true;
                j.cancel();
            }
        }

        @Override
        public String toString() {
            return "IoHandle[" + (job == null ? "free" : job.op + " in flight") + "]";
        }
    }

    // ---------------------------------------------------------------- registered resources

    /** The open tables, or null: one of each, as io_uring allows per ring. */
    private PoolRegisteredBuffers registeredBuffers;
    private PoolRegisteredFiles registeredFiles;
    private boolean registeredCloseHooked;
    /**
     * The table the next {@link Job} uses: set around a call of an op method by the tables
     * ({@link #using}), taken by the Job's constructor, so the plain ops' code serves them
     * unchanged. Loop thread only.
     */
    private RegisteredUse pendingUse;

    private RegisteredUse claimUse() {
        RegisteredUse u = pendingUse;
        pendingUse = null;
        if (u != null) u.opStarted();
        return u;
    }

    /** Runs {@code op} (one op method) with its Job using {@code use}. */
    Request<Integer> using(RegisteredUse use, java.util.function.Supplier<Request<Integer>> op) {
        pendingUse = use;
        try {
            return op.get();
        } finally {
            pendingUse = null; // an op refused before its Job was made uses nothing
        }
    }

    /** An op that completes with {@code -errno} from the pool, as the kernel answers it: EBADF for an empty slot. */
    Request<Integer> failingOp(RegisteredUse use, Op op, int errno) {
        return using(use, () -> start(op, null, () -> -errno));
    }

    @Override
    public dev.tevent4j.RegisteredBuffers registerBuffers(int count, int size) {
        checkCanRegister();
        dev.tevent4j.spi.RegisteredArgs.table(count, size);
        if (registeredBuffers != null) {
            throw new IllegalStateException("a RegisteredBuffers table is open on this loop: close it first (one per ring)");
        }
        registeredBuffers = new PoolRegisteredBuffers(this, loop, count, size);
        return registeredBuffers;
    }

    @Override
    public dev.tevent4j.RegisteredFiles registerFiles(int capacity) {
        checkCanRegister();
        dev.tevent4j.spi.RegisteredArgs.capacity(capacity);
        if (registeredFiles != null) {
            throw new IllegalStateException("a RegisteredFiles table is open on this loop: close it first (one per ring)");
        }
        registeredFiles = new PoolRegisteredFiles(this, loop, capacity);
        return registeredFiles;
    }

    private void checkCanRegister() {
        loop.checkOwnerAndOpen();
        if (draining || pool.isShutdown()) throw new IllegalStateException("the event loop is closing: no new registration");
        if (!registeredCloseHooked) {
            registeredCloseHooked = true;
            // Added after cancelAndDrain's hook (the constructor's), so it runs once no op is left.
            loop.atClose(LoopServices.CloseStage.DRAIN_IO, () -> {
                if (registeredBuffers != null) registeredBuffers.release();
                if (registeredFiles != null) registeredFiles.release();
            });
        }
    }

    void buffersClosed(PoolRegisteredBuffers table) {
        if (registeredBuffers == table) registeredBuffers = null;
    }

    void filesClosed(PoolRegisteredFiles table) {
        if (registeredFiles == table) registeredFiles = null;
    }

    /** Loop close: cancel what waits or has not run, wait for what runs, complete everything. */
    private void cancelAndDrain() {
        link.close();
        draining = true;
        for (Job j : new ArrayList<>(inFlight)) {
            j.cancelled = true;
            if (j.readiness != null) j.finish(-Errno.ECANCELED);
        }
        pool.shutdown();
        try {
            while (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                System.getLogger("dev.tevent4j").log(System.Logger.Level.WARNING,
                        "closing the loop: still waiting for " + pool.getActiveCount() + " blocking syscalls");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Every job has run (shutdown runs the queued ones, which see the cancel): finish them
        // here, since the loop will not run the completions they queued on its executor. Heads
        // of chains first: finishing one completes the rest of its chain, in order.
        for (Job j : new ArrayList<>(inFlight)) {
            if (j.chainPrev == null) j.finish(j.result == -Errno.EAGAIN ? -Errno.ECANCELED : j.result);
        }
        for (Job j : new ArrayList<>(inFlight)) {
            j.finish(j.result == -Errno.EAGAIN ? -Errno.ECANCELED : j.result);
        }
    }
}
