package dev.tevent4j.internal;

import dev.tevent4j.Request;
import dev.tevent4j.io.AsyncIo;
import dev.tevent4j.io.ErrnoException;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** What both {@link AsyncIo} implementations share: argument checks and completion. */
public final class IoSupport {
    private IoSupport() {}

    public static MemorySegment buffer(MemorySegment buf, String name) {
        Checks.notNull(buf, name);
        if (!buf.isNative()) {
            throw new IllegalArgumentException(name + " is a heap segment: the kernel needs native memory "
                    + "(allocate it from an Arena)");
        }
        return buf;
    }

    /**
     * The same memory as a global segment: what the kernel gets is an address, and a worker
     * thread may not touch a segment of a confined arena. The caller keeps {@code buf} itself
     * reachable until the op completes.
     */
    public static MemorySegment kernelView(MemorySegment buf) {
        return MemorySegment.ofAddress(buf.address()).reinterpret(buf.byteSize());
    }

    public static MemorySegment[] buffers(MemorySegment[] bufs, String name) {
        Checks.notNull(bufs, name);
        if (bufs.length == 0) throw new IllegalArgumentException(name + " is empty");
        for (int i = 0; i < bufs.length; i++) buffer(bufs[i], name + "[" + i + "]");
        return bufs;
    }

    public static void fd(int fd, String name) {
        if (fd < 0) throw new IllegalArgumentException(name + " " + fd + " is negative");
    }

    public static int length(long byteSize, String name) {
        // The kernel's rw length is 32-bit; so is the Request's Integer result.
        if (byteSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " is " + byteSize + " bytes; at most " + Integer.MAX_VALUE + " per op");
        }
        return (int) byteSize;
    }

    /**
     * A new request for an op that is about to go to the kernel or a worker: its deadline will
     * cancel the op and wait for the op's completion (see {@link Request#setEndTime}).
     */
    public static Request<Integer> opRequest(Loop loop) {
        Request<Integer> r = Request.create(loop);
        RequestAccess.hooks().markOpRequest(r);
        return r;
    }

    /**
     * Completes {@code r} with its op's result: non-negative done, negative an errno failure,
     * except that an op cancelled because the request's deadline passed fails it with a
     * {@link TimeoutException}. Called only once the kernel or the worker is done with the op.
     */
    public static void complete(Request<Integer> r, AsyncIo.Op op, long res) {
        if (!r.isInProgress()) return;
        if (res == -Errno.ECANCELED && RequestAccess.hooks().deadlinePassed(r)) {
            r.error(new TimeoutException("request timed out; its " + name(op) + " was cancelled and has completed"));
        } else if (res < 0) {
            r.error(new ErrnoException(name(op), (int) -res));
        } else {
            r.done((int) res);
        }
    }

    private static String name(AsyncIo.Op op) {
        return op.name().toLowerCase(Locale.ROOT);
    }

    /** Fills an iovec array for {@code bufs}. */
    public static MemorySegment iovecs(SegmentAllocator alloc, MemorySegment[] bufs) {
        MemorySegment iov = alloc.allocate(Libc.IOVEC, bufs.length);
        fillIovecs(iov, bufs);
        return iov;
    }

    public static void fillIovecs(MemorySegment iov, MemorySegment[] bufs) {
        for (int i = 0; i < bufs.length; i++) {
            iov.set(ValueLayout.ADDRESS, i * Libc.IOVEC.byteSize(), bufs[i]);
            iov.set(ValueLayout.JAVA_LONG, i * Libc.IOVEC.byteSize() + 8, bufs[i].byteSize());
        }
    }

    /** Fills a msghdr pointing at {@code iov} with {@code count} entries. */
    public static void fillMsghdr(MemorySegment msg, MemorySegment iov, int count) {
        msg.fill((byte) 0);
        msg.set(ValueLayout.ADDRESS, 16, iov);
        msg.set(ValueLayout.JAVA_LONG, 24, count);
    }
}
