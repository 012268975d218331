package dev.tevent4j.internal;

import dev.tevent4j.spi.RegisteredBufferTable;
import dev.tevent4j.Request;
import dev.tevent4j.spi.LoopServices;

import java.lang.foreign.MemorySegment;

/**
 * The thread pool's {@link dev.tevent4j.RegisteredBuffers}: the same page-aligned memory as on io_uring, read
 * and written with the pool's plain read and write (preadv2/pwritev2) on slices of it. Nothing
 * is pinned, so RLIMIT_MEMLOCK does not apply here. The same rule for close: refused while an op
 * is in flight, so a worker never writes into freed memory.
 */
final class PoolRegisteredBuffers extends RegisteredBufferTable implements RegisteredUse {
    private final ThreadPoolAsyncIo io;

    PoolRegisteredBuffers(ThreadPoolAsyncIo io, LoopServices loop, int count, int size) {
        super(loop, count, size);
        this.io = io;
    }

    @Override
    public Request<Integer> read(int fd, int index, int length, long offset) {
        MemorySegment target = opTarget(fd, index, length);
        return io.using(this, () -> io.read(fd, target, offset));
    }

    @Override
    public Request<Integer> write(int fd, int index, int length, long offset) {
        MemorySegment source = opTarget(fd, index, length);
        return io.using(this, () -> io.write(fd, source, offset));
    }

    /** Frees the memory; the loop's close calls it after the pool drained every op. */
    @Override
    protected void released() {
        freeMemory();
        io.buffersClosed(this);
    }

    @Override
    protected String kind() {
        return "threadpool";
    }
}
