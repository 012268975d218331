package dev.tevent4j.smb;

import dev.tevent4j.Msg;
import dev.tevent4j.Request;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/**
 * Sends a connection's response frames on its non-blocking socket through the AsyncIo: SENDMSG
 * (SENDMSG_ZC in zc mode for large frames), then, for a READ in splice mode, the file's bytes
 * from file to pipe to socket with SPLICE. A full socket (EAGAIN, or a short send) waits for
 * the socket to be writable; a client that takes no byte for the send timeout is disconnected,
 * so it holds no thread and stalls no other client.
 */
final class Transmit {
    private static final int MSG_MORE = 0x8000, F_SETPIPE_SZ = 1031, PIPE_SIZE = 1 << 20, ZC_THRESHOLD = 1 << 16;

    private final SmbConnection c;
    private final long timeoutNanos;
    private TimerEvent timer;
    private long deadline;
    private boolean sending;
    private Runnable whenWritable;
    private int pipeRead = -1, pipeWrite = -1, pipeSize;

    Transmit(SmbConnection c) {
        this.c = c;
        this.timeoutNanos = c.server.options.sendTimeout.toNanos();
    }

    private record Pending(MemorySegment frame, SmbConnection.Splice tail, Runnable then) {}

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();

    /**
     * Sends {@code frame}, then {@code tail}'s file bytes if not null, then runs {@code then}.
     * Frames go out whole and in the order given: one sent while another is on the way waits.
     */
    void send(MemorySegment frame, SmbConnection.Splice tail, Runnable then) {
        if (sending) {
            queue.add(new Pending(frame, tail, then));
            return;
        }
        start(frame, tail, then);
    }

    private void start(MemorySegment frame, SmbConnection.Splice tail, Runnable then) {
        sending = true;
        progress();
        Runnable afterHead = tail == null ? () -> done(then) : () -> spliceChunk(tail.fileFd(), tail.offset(), tail.length(), then);
        sendBytes(frame, tail != null ? MSG_MORE : 0, afterHead);
    }

    /** One frame is out: the next queued one starts before {@code then} runs, so a frame {@code then} sends queues behind it. */
    private void done(Runnable then) {
        sending = false;
        Pending next = c.isClosing() ? null : queue.poll();
        if (next != null) start(next.frame(), next.tail(), next.then());
        then.run();
    }

    /** Whether a send waits for the socket to have room. */
    boolean waitsForRoom() {
        return whenWritable != null;
    }

    private void sendBytes(MemorySegment data, int flags, Runnable then) {
        boolean zc = c.server.options.mode == ReadMode.zc && data.byteSize() >= ZC_THRESHOLD;
        Request<Integer> r;
        Arena msgArena = null;
        if (zc) {
            msgArena = Arena.ofConfined(); // the ring's submitter is this thread; the kernel reads by address
            r = c.io.sendmsgZeroCopy(c.fd, Msg.allocate(msgArena, 0, 0, data), flags | Libc.MSG_NOSIGNAL);
        } else {
            r = c.io.sendmsg(c.fd, new MemorySegment[] {data}, flags | Libc.MSG_NOSIGNAL);
        }
        Arena toClose = msgArena;
        c.track(r, q -> {
            if (toClose != null) toClose.close();
            if (q.isError()) {
                if (errno(q) == Errno.EAGAIN) waitWritable(() -> sendBytes(data, flags, then));
                else c.close();
                return;
            }
            int n = q.result();
            if (n > 0) progress();
            if (n < data.byteSize()) waitWritable(() -> sendBytes(data.asSlice(n), flags, then));
            else then.run();
        }, q -> { if (toClose != null) toClose.close(); });
    }

    /** Moves up to a pipe's worth from the file into the pipe, then out to the socket. */
    private void spliceChunk(int fileFd, long offset, int remaining, Runnable then) {
        if (remaining == 0) {
            done(then);
            return;
        }
        if (pipeRead < 0 && !openPipe()) {
            c.close();
            return;
        }
        int n = Math.min(remaining, pipeSize);
        c.track(c.io.splice(fileFd, offset, pipeWrite, -1, n, 0), q -> {
            if (q.isError() || q.result() <= 0) { // the file shrank under the promised length: the frame cannot be finished
                c.close();
                return;
            }
            int got = q.result();
            drainPipe(got, () -> spliceChunk(fileFd, offset + got, remaining - got, then));
        });
    }

    private void drainPipe(int inPipe, Runnable then) {
        c.track(c.io.splice(pipeRead, -1, c.fd, -1, inPipe, 0), q -> {
            if (q.isError()) {
                if (errno(q) == Errno.EAGAIN) waitWritable(() -> drainPipe(inPipe, then));
                else c.close();
                return;
            }
            int n = q.result();
            if (n > 0) progress();
            if (n < inPipe) waitWritable(() -> drainPipe(inPipe - n, then));
            else then.run();
        });
    }

    private boolean openPipe() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            if (Libc.pipe2(fds, Libc.O_CLOEXEC) < 0) return false;
            pipeRead = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            pipeWrite = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            int size = Libc.fcntl(pipeWrite, F_SETPIPE_SZ, PIPE_SIZE);
            pipeSize = size > 0 ? size : 1 << 16; // the kernel may refuse more than its pipe-max-size
            return true;
        }
    }

    private void waitWritable(Runnable next) {
        whenWritable = next;
        c.rewatch();
    }

    /** The socket has room again. */
    void writable() {
        Runnable next = whenWritable;
        whenWritable = null;
        c.rewatch();
        if (next != null) next.run();
    }

    /** A byte went out (or a send began): the client has the send timeout again from now. */
    private void progress() {
        deadline = System.nanoTime() + timeoutNanos;
        if (timer == null) timer = c.loop.addTimerAt(deadline, (t, now) -> expired());
        else if (!timer.isActive()) timer.update(deadline);
    }

    private void expired() {
        if (!sending || c.isClosing()) return;
        long left = deadline - System.nanoTime();
        if (left > 0) {
            timer.update(deadline);
            return;
        }
        c.close(); // the client stopped reading
    }

    private static int errno(Request<?> q) {
        return q.cause() instanceof ErrnoException e ? e.errno() : -1;
    }

    void close() {
        queue.clear();
        if (timer != null) timer.cancel();
        if (pipeRead >= 0) {
            Libc.close(pipeRead);
            Libc.close(pipeWrite);
        }
    }
}
