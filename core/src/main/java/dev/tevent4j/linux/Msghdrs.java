package dev.tevent4j.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/** Writes {@code struct iovec} arrays and {@code struct msghdr}s (x86_64 layouts, see {@link Libc#IOVEC}). */
public final class Msghdrs {
    private Msghdrs() {}

    /**
     * An iovec array for {@code bufs}, allocated from {@code alloc}.
     *
     * @param alloc where the array lives
     * @param bufs the buffers, native
     * @return the iovec array
     */
    public static MemorySegment iovecs(SegmentAllocator alloc, MemorySegment[] bufs) {
        MemorySegment iov = alloc.allocate(Libc.IOVEC, bufs.length);
        fillIovecs(iov, bufs);
        return iov;
    }

    /**
     * Writes one iovec per buffer into {@code iov}.
     *
     * @param iov room for {@code bufs.length} iovecs
     * @param bufs the buffers, native
     */
    public static void fillIovecs(MemorySegment iov, MemorySegment[] bufs) {
        for (int i = 0; i < bufs.length; i++) {
            iov.set(ValueLayout.ADDRESS, i * Libc.IOVEC.byteSize(), bufs[i]);
            iov.set(ValueLayout.JAVA_LONG, i * Libc.IOVEC.byteSize() + 8, bufs[i].byteSize());
        }
    }

    /**
     * Zeroes {@code msg} and points it at {@code iov} with {@code count} entries.
     *
     * @param msg a {@code struct msghdr}
     * @param iov the iovec array
     * @param count its entries
     */
    public static void fillMsghdr(MemorySegment msg, MemorySegment iov, int count) {
        msg.fill((byte) 0);
        msg.set(ValueLayout.ADDRESS, 16, iov);
        msg.set(ValueLayout.JAVA_LONG, 24, count);
    }
}
