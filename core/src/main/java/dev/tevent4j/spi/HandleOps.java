package dev.tevent4j.spi;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.IoCompletion;
import dev.tevent4j.IoHandle;
import dev.tevent4j.Msg;

import java.lang.foreign.MemorySegment;

/**
 * The part of an {@link IoHandle} every AsyncIo shares: each op is the AsyncIo op of the same
 * name, started between {@link #enter()} and {@link #exit()}, which tell the AsyncIo that the op
 * it is about to take belongs to this handle instead of a new Request. So the checks, flags and
 * results are those of the AsyncIo op, written once.
 */
public abstract class HandleOps implements IoHandle {
    private final AsyncIo io;
    private final LoopServices loop;
    private final IoCompletion completion;

    /**
     * A handle whose ops run on {@code io}.
     *
     * @param io the AsyncIo the ops are started on
     * @param loop where a completion that throws is reported
     * @param completion called with each op's result
     */
    protected HandleOps(AsyncIo io, LoopServices loop, IoCompletion completion) {
        this.io = io;
        this.loop = loop;
        this.completion = completion;
    }

    /**
     * Called before the op is started: refuses a second op in flight and marks the op to come
     * as this handle's.
     *
     * @throws IllegalStateException when an op is in flight
     */
    protected abstract void enter();

    /** Called after the op was started, or refused: the next op is no longer this handle's. */
    protected abstract void exit();

    /**
     * Hands an op's result to the completion; one that throws goes to the loop's handler.
     *
     * @param result the op's result, or -errno
     */
    public final void deliver(int result) {
        try {
            completion.onComplete(this, result);
        } catch (Throwable t) {
            loop.reportUncaught(this, t);
        }
    }

    @Override
    public final void nop() {
        enter();
        try { io.nop(); } finally { exit(); }
    }

    @Override
    public final void read(int fd, MemorySegment buf, long offset) {
        enter();
        try { io.read(fd, buf, offset); } finally { exit(); }
    }

    @Override
    public final void write(int fd, MemorySegment buf, long offset) {
        enter();
        try { io.write(fd, buf, offset); } finally { exit(); }
    }

    @Override
    public final void send(int fd, MemorySegment buf, int flags) {
        enter();
        try { io.send(fd, buf, flags); } finally { exit(); }
    }

    @Override
    public final void recv(int fd, MemorySegment buf, int flags) {
        enter();
        try { io.recv(fd, buf, flags); } finally { exit(); }
    }

    @Override
    public final void sendmsg(int fd, Msg msg, int flags) {
        enter();
        try { io.sendmsg(fd, msg, flags); } finally { exit(); }
    }

    @Override
    public final void recvmsg(int fd, Msg msg, int flags) {
        enter();
        try { io.recvmsg(fd, msg, flags); } finally { exit(); }
    }

    @Override
    public final void splice(int fdIn, long offIn, int fdOut, long offOut, int len, int flags) {
        enter();
        try { io.splice(fdIn, offIn, fdOut, offOut, len, flags); } finally { exit(); }
    }

    @Override
    public final void accept(int fd, int flags) {
        enter();
        try { io.accept(fd, flags); } finally { exit(); }
    }

    @Override
    public final void close(int fd) {
        enter();
        try { io.close(fd); } finally { exit(); }
    }
}
