package dev.tevent4j.spi;

import dev.tevent4j.linux.Msghdrs;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * Argument checks and kernel structures every {@link AsyncIo} implementation shares, so that
 * the ring and the thread pool refuse the same bad input with the same message.
 */
public final class IoArgs {
    private IoArgs() {}

    /** Returns {@code buf}, refusing null and heap segments (the kernel needs an address). */
    public static MemorySegment buffer(MemorySegment buf, String name) {
        if (buf == null) throw new NullPointerException(name + " is null");
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

    /** Returns {@code bufs}, refusing null, an empty array and any entry {@link #buffer} refuses. */
    public static MemorySegment[] buffers(MemorySegment[] bufs, String name) {
        if (bufs == null) throw new NullPointerException(name + " is null");
        if (bufs.length == 0) throw new IllegalArgumentException(name + " is empty");
        for (int i = 0; i < bufs.length; i++) buffer(bufs[i], name + "[" + i + "]");
        return bufs;
    }

    /** Refuses a negative fd. */
    public static void fd(int fd, String name) {
        if (fd < 0) throw new IllegalArgumentException(name + " " + fd + " is negative");
    }

    /** The byte count as the kernel's 32-bit length, refusing more than {@code Integer.MAX_VALUE}. */
    public static int length(long byteSize, String name) {
        // The kernel's rw length is 32-bit; so is the Request's Integer result.
        if (byteSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " is " + byteSize + " bytes; at most " + Integer.MAX_VALUE + " per op");
        }
        return (int) byteSize;
    }

    /** Fills an iovec array for {@code bufs} ({@link Msghdrs#iovecs}). */
    public static MemorySegment iovecs(SegmentAllocator alloc, MemorySegment[] bufs) {
        return Msghdrs.iovecs(alloc, bufs);
    }

    /** Writes one iovec per buffer into {@code iov} ({@link Msghdrs#fillIovecs}). */
    public static void fillIovecs(MemorySegment iov, MemorySegment[] bufs) {
        Msghdrs.fillIovecs(iov, bufs);
    }

    /** Fills a msghdr pointing at {@code iov} with {@code count} entries ({@link Msghdrs#fillMsghdr}). */
    public static void fillMsghdr(MemorySegment msg, MemorySegment iov, int count) {
        Msghdrs.fillMsghdr(msg, iov, count);
    }

    /**
     * The bytes of all of {@code bufs} together: a vectored op's whole transfer.
     *
     * @param bufs checked buffers
     * @return their total size
     */
    public static long totalLength(MemorySegment[] bufs) {
        long total = 0;
        for (MemorySegment b : bufs) total += b.byteSize();
        return total;
    }
}
