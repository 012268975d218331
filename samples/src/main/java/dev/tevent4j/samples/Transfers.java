package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Request;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.io.EOFException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * File-to-socket transfers in the send/recv request style (docs/requests.md), shared by
 * fileserve and httpd. Each completes with the number of bytes sent. Sockets are blocking
 * (accepted without SOCK_NONBLOCK; the loop reads them with MSG_DONTWAIT), so a send through
 * the ring waits for room instead of failing with EAGAIN; {@link #pool}'s workers send with
 * MSG_DONTWAIT and leave the waiting to the loop.
 *
 * <p>Buffers must stay alive until the request completes, and a request completes only once
 * no op uses its buffers: callers take them from a {@link BufferPool} and give them back then.
 */
public final class Transfers {
    private Transfers() {}

    /** Sends {@code seg[0, len)} with as many {@code io().send} (or send-zc) calls as it takes. */
    public static Request<Long> sendAll(EventLoop loop, int sock, MemorySegment seg, long len, boolean zeroCopy) {
        Request<Long> req = Request.create(loop);
        new Object() {
            long sent;

            void next() {
                MemorySegment rest = seg.asSlice(sent, len - sent);
                Request<Integer> s = zeroCopy ? loop.io().sendZeroCopy(sock, rest, Libc.MSG_NOSIGNAL)
                        : loop.io().send(sock, rest, Libc.MSG_NOSIGNAL);
                s.onComplete(r -> {
                    if (!req.isInProgress()) return;
                    if (r.isError()) { req.error(r.cause()); return; }
                    sent += r.result();
                    if (sent < len) next(); else req.done(len);
                });
            }
        }.next();
        return req;
    }

    /**
     * file[off, off+len) to the socket: read a chunk into a buffer with {@code io().read}, send
     * it with {@code io().send} (or {@code sendZeroCopy}), repeat. The first {@code prefix}
     * bytes of {@code bufs[0]} (a reply header) go out with the first chunk.
     *
     * <p>With two buffers the read of chunk n+1 is in flight while chunk n is being sent, so
     * the ring round trips of reading and sending overlap; with one it is read, send, read...
     * Chunks fill the buffers in turn and go out in the same order: one read and one send at a
     * time (so short reads need no bookkeeping: the next read starts where this one ended), and
     * a buffer is read into again only after its send completed. On an error nothing new
     * starts, and the request fails only once the op still in flight has completed, so no
     * buffer is in use when the caller learns of it (and may drop the connection).
     */
    public static Request<Long> readSend(EventLoop loop, int file, long off, long len, MemorySegment[] bufs, int prefix,
                                         int sock, boolean zeroCopy) {
        Request<Long> req = Request.create(loop);
        new Object() {
            final int[] filled = new int[bufs.length]; // bytes waiting in each buffer; 0 = free
            int toRead, toSend; // buffer the next read fills, buffer the next send empties
            long read, sent; // file bytes read; bytes sent (header included)
            int pre = prefix; // header bytes in front of the next read (the first one only)
            boolean reading, sending;
            Throwable failed;

            void pump() {
                if (!req.isInProgress()) return;
                if (failed != null) {
                    if (!reading && !sending) req.error(failed);
                    return;
                }
                if (read == len && pre > 0) { filled[0] = pre; pre = 0; } // empty range: the header alone
                if (!reading && !sending && sent == prefix + len) { req.done(len); return; }
                if (!reading && read < len && filled[toRead] == 0) startRead();
                if (!sending && filled[toSend] > 0) startSend();
            }

            void startRead() {
                int b = toRead, at = pre;
                long want = Math.min(bufs[b].byteSize() - at, len - read);
                reading = true;
                loop.io().read(file, bufs[b].asSlice(at, want), off + read).onComplete(r -> {
                    reading = false;
                    if (r.isError()) fail(r.cause());
                    else if (r.result() == 0) fail(new EOFException("file shorter than the range (truncated?)"));
                    else {
                        filled[b] = at + r.result();
                        read += r.result();
                        pre = 0;
                        toRead = (b + 1) % bufs.length;
                    }
                    pump();
                });
            }

            void startSend() {
                int b = toSend;
                sending = true;
                sendAll(loop, sock, bufs[b], filled[b], zeroCopy).onComplete(s -> {
                    sending = false;
                    if (s.isError()) fail(s.cause());
                    else {
                        sent += filled[b];
                        filled[b] = 0;
                        toSend = (b + 1) % bufs.length;
                    }
                    pump();
                });
            }

            void fail(Throwable t) {
                if (failed == null) failed = t;
            }
        }.pump();
        return req;
    }

    /**
     * file[off, off+len) to the socket through a pipe: {@code io().splice} file -> pipe, then
     * pipe -> socket until the pipe is empty, repeat. The data never enters user space.
     */
    public static Request<Long> splice(EventLoop loop, int file, long off, long len, int pipeRead, int pipeWrite,
                                       int pipeSize, int sock) {
        Request<Long> req = Request.create(loop);
        new Object() {
            long done;

            void next() {
                if (done == len) { req.done(len); return; }
                int want = (int) Math.min(pipeSize, len - done);
                loop.io().splice(file, off + done, pipeWrite, -1, want, Libc.SPLICE_F_MOVE).onComplete(r -> {
                    if (!req.isInProgress()) return;
                    if (r.isError()) { req.error(r.cause()); return; }
                    int n = r.result();
                    if (n == 0) { req.error(new EOFException("file shorter than the range (truncated?)")); return; }
                    drain(n);
                });
            }

            void drain(int inPipe) {
                loop.io().splice(pipeRead, -1, sock, -1, inPipe, Libc.SPLICE_F_MOVE).onComplete(r -> {
                    if (!req.isInProgress()) return;
                    if (r.isError()) { req.error(r.cause()); return; }
                    int n = r.result();
                    done += n;
                    if (n < inPipe) drain(inPipe - n); else next();
                });
            }
        }.next();
        return req;
    }

    /**
     * Samba's pthreadpool way: worker threads pread the file and send each chunk (the header in
     * {@code buf[0, prefix)} first), and the result is posted back to the loop through its
     * thread-safe executor. A worker never waits for the peer: it sends with MSG_DONTWAIT, and
     * when the socket is full it hands the transfer back to the loop, which waits for room
     * ({@link RoomWait}) and then gives it to a worker again. So a client that does not read
     * holds its buffer, not a thread (with blocking sends, two such clients stopped every
     * reply on a two-worker pool).
     */
    public static Request<Long> pool(EventLoop loop, Executor workers, int file, long off, long len, MemorySegment buf,
                                     int prefix, int sock) {
        Request<Long> req = Request.create(loop);
        new PoolTransfer(req, workers, file, off, len, buf, prefix, sock).submit();
        return req;
    }

    /**
     * One {@link #pool} reply. Its state belongs to one side at a time, handed over through an
     * executor (which orders the memory): to a worker by {@link #submit}, back to the loop by
     * the loop's executor; so the buffer is never used by both.
     */
    private static final class PoolTransfer {
        private static final int MORE = 0, FULL = 1, DONE = 2; // a worker's outcome; <0 is -errno
        private static final long TRUNCATED = Long.MIN_VALUE;

        private final Request<Long> req;
        private final Executor workers, back;
        private final int file, sock;
        private final long off, len;
        private final MemorySegment buf;
        private final RoomWait room;
        private long read; // file bytes read so far
        private int pre; // header bytes in front of the next read (the first one only)
        private long pending, sent; // buf[sent, pending) is read and not yet sent
        private final Runnable onWorker = this::work;

        PoolTransfer(Request<Long> req, Executor workers, int file, long off, long len, MemorySegment buf, int prefix,
                     int sock) {
            this.req = req;
            this.workers = workers;
            this.back = req.loop().executor();
            this.file = file;
            this.off = off;
            this.len = len;
            this.buf = buf;
            this.pre = prefix;
            this.sock = sock;
            this.room = new RoomWait(req.loop(), sock, this::submit);
        }

        /** Loop thread (or the caller's): hands the transfer to a worker. */
        void submit() {
            if (!req.isInProgress()) return; // the loop closed and failed it
            try {
                workers.execute(onWorker);
            } catch (RuntimeException rejected) { // the pool is shutting down
                room.close();
                req.error(rejected);
            }
        }

        /** Worker thread: reads and sends until the range is sent, the socket is full, or an error. */
        private void work() {
            long outcome = step();
            try {
                back.execute(() -> onLoop(outcome));
            } catch (RuntimeException loopClosed) {
                // the loop is gone and failed the request; the buffer is no longer touched
            }
        }

        private long step() {
            while (true) {
                while (sent < pending) {
                    long s = Libc.send(sock, buf.asSlice(sent, pending - sent), pending - sent, Libc.MSG_NOSIGNAL | Libc.MSG_DONTWAIT);
                    if (s == -Errno.EINTR) continue;
                    if (s == -Errno.EAGAIN) return FULL;
                    if (s < 0) return s;
                    sent += s;
                }
                if (read == len && pre == 0) return DONE;
                long want = Math.min(buf.byteSize() - pre, len - read);
                long n = 0;
                if (want > 0) {
                    n = Libc.pread(file, buf.asSlice(pre, want), want, off + read);
                    if (n == -Errno.EINTR) continue;
                    if (n < 0) return n;
                    if (n == 0) return TRUNCATED;
                }
                pending = pre + n;
                sent = 0;
                read += n;
                pre = 0;
            }
        }

        /** Loop thread: what the worker's step came to. */
        private void onLoop(long outcome) {
            if (!req.isInProgress()) return;
            if (outcome == FULL) {
                room.arm();
                return;
            }
            room.close();
            if (outcome == DONE) req.done(len);
            else if (outcome == TRUNCATED) req.error(new EOFException("file shorter than the range (truncated?)"));
            else req.errno((int) -outcome);
        }
    }

    /**
     * Waits on the loop until a socket has room to send, then runs {@code then} (also on an
     * error or hangup: the next send reports it). One FdEvent (WRITE | ERROR), made on the
     * first wait and re-armed for the next ones; {@link #close()} removes it.
     *
     * <p>A peer that half-closed its side makes ERROR level-triggered for good, and the loop's
     * write-only rule then never reports WRITE alone; so after an ERROR without WRITE the
     * event is disarmed and {@code then} runs from a short timer instead: a half-closed peer
     * that does not read costs a send attempt every {@link #RETRY}, not a spinning loop.
     */
    private static final class RoomWait {
        private static final Duration RETRY = Duration.ofMillis(20);
        private final EventLoop loop;
        private final int sock;
        private final Runnable then;
        private FdEvent event;
        private TimerEvent retry;

        RoomWait(EventLoop loop, int sock, Runnable then) {
            this.loop = loop;
            this.sock = sock;
            this.then = then;
        }

        void arm() {
            if (event == null) event = loop.addFd(sock, FdEvent.WRITE | FdEvent.ERROR, this::onFd);
            else if (!event.isClosed()) event.setFlags(FdEvent.WRITE | FdEvent.ERROR);
        }

        private void onFd(FdEvent e, int flags) {
            e.setFlags(0);
            if ((flags & FdEvent.WRITE) != 0) {
                then.run();
                return;
            }
            if (retry == null) retry = loop.addTimer(RETRY, (t, now) -> then.run());
            else retry.update(System.nanoTime() + RETRY.toNanos());
        }

        void close() {
            if (event != null) event.close();
            if (retry != null) retry.cancel();
        }
    }

    // ---- pipes for splice

    /** fcntl's F_SETPIPE_SZ (Linux 2.6.35+, x86_64 value). */
    private static final int F_SETPIPE_SZ = 1031;

    /**
     * A pipe for splice: {@code [readFd, writeFd, size]}. Asks for a 1 MiB pipe (F_SETPIPE_SZ;
     * the default 64 KiB would cost 16 splice pairs per MiB); keeps the default if refused.
     */
    public static int[] pipe() throws ErrnoException {
        try (var a = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            int rc = Libc.pipe2(fds, Libc.O_CLOEXEC);
            if (rc < 0) throw new ErrnoException("pipe2", -rc);
            int r = fds.getAtIndex(ValueLayout.JAVA_INT, 0), w = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            int size = Libc.fcntl(w, F_SETPIPE_SZ, 1 << 20);
            return new int[] {r, w, size > 0 ? size : 65536};
        }
    }
}
