package dev.tevent4j.internal;

import dev.tevent4j.Request;
import dev.tevent4j.io.AsyncIo;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * AsyncIo for the epoll backend: a bounded pool of worker threads doing the blocking syscall,
 * the result handed back through the loop's executor (Samba's pthreadpool_tevent). Threads are
 * created on demand and leave after 30 s idle.
 *
 * <p>A worker never blocks in a syscall it cannot leave: it first waits for the fd with poll(2)
 * in 50 ms slices, checking for cancellation, so closing the loop always finishes; then it makes
 * the call non-blocking where it can. As with io_uring, an op on an O_NONBLOCK pipe or socket
 * waits for readiness instead of failing with EAGAIN; MSG_DONTWAIT asks for EAGAIN. Limit: a call
 * that blocks after its fd was reported ready (a large write to a blocking pipe whose reader
 * stalls, openat of a FIFO, fsync on a hung mount) cannot be interrupted, and close waits for it.
 */
final class ThreadPoolAsyncIo implements AsyncIo {
    private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final Loop loop;
    private final ThreadPoolExecutor pool;
    /** Jobs submitted and not yet completed on the loop; touched only by the loop thread. */
    private final Set<Job> inFlight = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    ThreadPoolAsyncIo(Loop loop) {
        this.loop = loop;
        int id = POOL_IDS.incrementAndGet();
        AtomicInteger threadIds = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "tevent4j-io-" + id + "-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        loop.addIoCloseHook(this::cancelAndDrain);
    }

    @Override
    public String kind() {
        return "threadpool";
    }

    @Override
    public boolean supports(Op op) {
        return op != null;
    }

    /** One op: runs on a worker, completes on the loop. */
    private final class Job implements Runnable {
        final Op op;
        final Request<Integer> request = Request.create(loop);
        final int waitFd;
        final short waitEvents;
        final LongSupplier syscall;
        /** Keeps buffers and scratch memory reachable until the op is over. */
        final Object keepAlive;
        volatile boolean cancelled;
        volatile long result;
        volatile Throwable failure;
        boolean finished;

        Job(Op op, int waitFd, short waitEvents, Object keepAlive, LongSupplier syscall) {
            this.op = op;
            this.waitFd = waitFd;
            this.waitEvents = waitEvents;
            this.keepAlive = keepAlive;
            this.syscall = syscall;
        }

        @Override
        public void run() {
            try {
                result = perform();
            } catch (Throwable t) {
                // Never lose a completion: a failing worker still completes the request.
                failure = t;
                result = -Errno.EIO;
            }
            try {
                loop.executor().execute(this::finish);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // The loop closed: cancelAndDrain completes this job from the loop thread.
            }
        }

        /**
         * io_uring's rule (measured on 6.18): an op on a pipe or socket waits for readiness even
         * when the fd is O_NONBLOCK; only MSG_DONTWAIT (a {@code waitFd} of -1) answers EAGAIN.
         */
        private long perform() {
            boolean wait = waitFd >= 0;
            while (true) {
                if (cancelled || (wait && !waitReady())) return -Errno.ECANCELED;
                long res = syscall.getAsLong();
                if (res != -Errno.EAGAIN || !wait) return res;
            }
        }

        /** poll(2) in short slices until ready; false if cancelled meanwhile. */
        private boolean waitReady() {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment pfd = a.allocate(Libc.POLLFD);
                pfd.set(ValueLayout.JAVA_INT, 0, waitFd);
                pfd.set(ValueLayout.JAVA_SHORT, 4, waitEvents);
                while (!cancelled) {
                    int n = Libc.poll(pfd, 1, 50);
                    if (n > 0 || (n < 0 && n != -Errno.EINTR)) return true;
                }
                return false;
            }
        }

        void finish() {
            if (finished) return;
            finished = true;
            inFlight.remove(this);
            loop.ioFinished();
            if (failure != null) {
                if (request.isInProgress()) request.error(failure);
            } else {
                IoSupport.complete(request, op, result);
            }
        }
    }

    /** A socket op: waits for readiness unless {@code flags} has MSG_DONTWAIT. */
    private Request<Integer> startSocketOp(Op op, int fd, int flags, short waitEvents, Object keepAlive, LongSupplier syscall) {
        boolean dontWait = (flags & Libc.MSG_DONTWAIT) != 0;
        return start(op, dontWait ? -1 : fd, waitEvents, keepAlive, syscall);
    }

    private Request<Integer> start(Op op, int waitFd, short waitEvents, Object keepAlive, LongSupplier syscall) {
        loop.checkOwnerAndOpen();
        if (pool.isShutdown()) {
            throw new IllegalStateException("the event loop is closing: no new AsyncIo op");
        }
        Job job = new Job(op, waitFd, waitEvents, keepAlive, syscall);
        job.request.setCancelFn(r -> {
            job.cancelled = true;
            return false; // completes later, with ECANCELED if the syscall had not started
        });
        inFlight.add(job);
        loop.ioStarted();
        pool.execute(job);
        return job.request;
    }

    private static final short IN = Libc.POLLIN, OUT = Libc.POLLOUT;

    @Override
    public Request<Integer> nop() {
        return start(Op.NOP, -1, (short) 0, null, () -> 0);
    }

    @Override
    public Request<Integer> read(int fd, MemorySegment buf, long offset) {
        IoSupport.fd(fd, "fd");
        IoSupport.buffer(buf, "buf");
        return start(Op.READ, fd, IN, buf, () -> Libc.pread(fd, IoSupport.kernelView(buf), buf.byteSize(), offset));
    }

    @Override
    public Request<Integer> write(int fd, MemorySegment buf, long offset) {
        IoSupport.fd(fd, "fd");
        IoSupport.buffer(buf, "buf");
        return start(Op.WRITE, fd, OUT, buf, () -> Libc.pwrite(fd, IoSupport.kernelView(buf), buf.byteSize(), offset));
    }

    @Override
    public Request<Integer> readv(int fd, MemorySegment[] bufs, long offset) {
        IoSupport.fd(fd, "fd");
        MemorySegment iov = IoSupport.iovecs(Arena.ofAuto(), IoSupport.buffers(bufs, "bufs").clone());
        return start(Op.READV, fd, IN, new Object[] {bufs.clone(), iov}, () -> Libc.preadv(fd, iov, bufs.length, offset));
    }

    @Override
    public Request<Integer> writev(int fd, MemorySegment[] bufs, long offset) {
        IoSupport.fd(fd, "fd");
        MemorySegment iov = IoSupport.iovecs(Arena.ofAuto(), IoSupport.buffers(bufs, "bufs").clone());
        return start(Op.WRITEV, fd, OUT, new Object[] {bufs.clone(), iov}, () -> Libc.pwritev(fd, iov, bufs.length, offset));
    }

    @Override
    public Request<Integer> fsync(int fd) {
        IoSupport.fd(fd, "fd");
        return start(Op.FSYNC, -1, (short) 0, null, () -> Libc.fsync(fd));
    }

    @Override
    public Request<Integer> fdatasync(int fd) {
        IoSupport.fd(fd, "fd");
        return start(Op.FDATASYNC, -1, (short) 0, null, () -> Libc.fdatasync(fd));
    }

    @Override
    public Request<Integer> send(int fd, MemorySegment buf, int flags) {
        IoSupport.fd(fd, "fd");
        IoSupport.buffer(buf, "buf");
        return startSocketOp(Op.SEND, fd, flags, OUT, buf, () -> Libc.send(fd, IoSupport.kernelView(buf), buf.byteSize(), flags | Libc.MSG_NOSIGNAL | Libc.MSG_DONTWAIT));
    }

    @Override
    public Request<Integer> recv(int fd, MemorySegment buf, int flags) {
        IoSupport.fd(fd, "fd");
        IoSupport.buffer(buf, "buf");
        return startSocketOp(Op.RECV, fd, flags, IN, buf, () -> Libc.recv(fd, IoSupport.kernelView(buf), buf.byteSize(), flags | Libc.MSG_DONTWAIT));
    }

    @Override
    public Request<Integer> sendmsg(int fd, MemorySegment[] bufs, int flags) {
        return msg(Op.SENDMSG, fd, bufs, flags | Libc.MSG_NOSIGNAL, OUT);
    }

    @Override
    public Request<Integer> recvmsg(int fd, MemorySegment[] bufs, int flags) {
        return msg(Op.RECVMSG, fd, bufs, flags, IN);
    }

    private Request<Integer> msg(Op op, int fd, MemorySegment[] bufs, int flags, short wait) {
        IoSupport.fd(fd, "fd");
        Arena a = Arena.ofAuto();
        MemorySegment iov = IoSupport.iovecs(a, IoSupport.buffers(bufs, "bufs").clone());
        MemorySegment msg = a.allocate(Libc.MSGHDR);
        IoSupport.fillMsghdr(msg, iov, bufs.length);
        int nowait = flags | Libc.MSG_DONTWAIT;
        LongSupplier call = op == Op.SENDMSG ? () -> Libc.sendmsg(fd, msg, nowait) : () -> Libc.recvmsg(fd, msg, nowait);
        return startSocketOp(op, fd, flags, wait, new Object[] {bufs.clone(), iov, msg}, call);
    }

    @Override
    public Request<Integer> splice(int fdIn, long offIn, int fdOut, long offOut, int len, int flags) {
        IoSupport.fd(fdIn, "fdIn");
        IoSupport.fd(fdOut, "fdOut");
        if (len < 0) throw new IllegalArgumentException("len " + len + " is negative");
        Arena a = Arena.ofAuto();
        MemorySegment in = offIn < 0 ? MemorySegment.NULL : a.allocate(ValueLayout.JAVA_LONG);
        MemorySegment out = offOut < 0 ? MemorySegment.NULL : a.allocate(ValueLayout.JAVA_LONG);
        if (offIn >= 0) in.set(ValueLayout.JAVA_LONG, 0, offIn);
        if (offOut >= 0) out.set(ValueLayout.JAVA_LONG, 0, offOut);
        return start(Op.SPLICE, fdIn, IN, new Object[] {in, out}, () -> Libc.splice(fdIn, in, fdOut, out, len, flags));
    }

    @Override
    public Request<Integer> sendZeroCopy(int fd, MemorySegment buf, int flags) {
        IoSupport.fd(fd, "fd");
        IoSupport.buffer(buf, "buf");
        // send(2) copies: the buffer is free again as soon as it returns.
        return startSocketOp(Op.SEND_ZC, fd, flags, OUT, buf, () -> Libc.send(fd, IoSupport.kernelView(buf), buf.byteSize(), flags | Libc.MSG_NOSIGNAL | Libc.MSG_DONTWAIT));
    }

    @Override
    public Request<Integer> openat(int dirfd, String path, int flags, int mode) {
        Checks.notNull(path, "path");
        MemorySegment p = Arena.ofAuto().allocateFrom(path);
        return start(Op.OPENAT, -1, (short) 0, p, () -> Libc.openat(dirfd, p, flags | Libc.O_CLOEXEC, mode));
    }

    @Override
    public Request<Integer> close(int fd) {
        IoSupport.fd(fd, "fd");
        return start(Op.CLOSE, -1, (short) 0, null, () -> Libc.close(fd));
    }

    @Override
    public Request<Integer> statx(int dirfd, String path, int flags, int mask, MemorySegment statxBuf) {
        Checks.notNull(path, "path");
        IoSupport.buffer(statxBuf, "statxBuf");
        if (statxBuf.byteSize() < Libc.STATX_SIZE_BYTES) {
            throw new IllegalArgumentException("statxBuf has " + statxBuf.byteSize() + " bytes; struct statx needs 256");
        }
        MemorySegment p = Arena.ofAuto().allocateFrom(path);
        return start(Op.STATX, -1, (short) 0, new Object[] {p, statxBuf}, () -> Libc.statx(dirfd, p, flags, mask, IoSupport.kernelView(statxBuf)));
    }

    /** Loop close: cancel what has not run, wait for what runs, complete everything. */
    private void cancelAndDrain() {
        for (Job j : inFlight) j.cancelled = true;
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
        // here, since the loop will not run the completions they queued on its executor.
        for (Job j : new ArrayList<>(inFlight)) {
            j.finish();
        }
    }
}
