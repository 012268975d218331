package dev.tevent4j.internal;

import dev.tevent4j.spi.RegisteredTable;
import dev.tevent4j.RegisteredBuffers;
import dev.tevent4j.Request;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.spi.IoArgs;
import dev.tevent4j.spi.LoopServices;
import dev.tevent4j.spi.RegisteredArgs;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The thread pool's {@link RegisteredBuffers}: the same page-aligned memory as on io_uring, read
 * and written with the pool's plain read and write (preadv2/pwritev2) on slices of it. Nothing
 * is pinned, so RLIMIT_MEMLOCK does not apply here. The same rule for close: refused while an op
 * is in flight, so a worker never writes into freed memory.
 */
final class PoolRegisteredBuffers extends RegisteredTable implements RegisteredBuffers, RegisteredUse {
    private final ThreadPoolAsyncIo io;
    private final LoopServices loop;
    private final int count, size;
    /** Shared: workers read and write it. */
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;

    PoolRegisteredBuffers(ThreadPoolAsyncIo io, LoopServices loop, int count, int size) {
        super(loop, "registered buffers");
        this.io = io;
        this.loop = loop;
        this.count = count;
        this.size = size;
        try {
            memory = allocate(arena, count, size);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** The table's memory; ENOMEM (as the kernel's) rather than an OutOfMemoryError when there is none. */
    private static MemorySegment allocate(Arena arena, int count, int size) {
        long bytes = (long) count * size;
        try {
            return arena.allocate(bytes, RegisteredArgs.PAGE);
        } catch (OutOfMemoryError e) {
            throw new UncheckedIOException(new ErrnoException("allocate " + bytes + " bytes of registered buffers", Errno.ENOMEM));
        }
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public MemorySegment buffer(int index) {
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("buffer index " + index + " is not in 0.." + (count - 1));
        }
        checkOpen();
        return memory.asSlice((long) index * size, size);
    }

    @Override
    public Request<Integer> read(int fd, int index, int length, long offset) {
        MemorySegment target = slice(fd, index, length);
        return io.using(this, () -> io.read(fd, target, offset));
    }

    @Override
    public Request<Integer> write(int fd, int index, int length, long offset) {
        MemorySegment source = slice(fd, index, length);
        return io.using(this, () -> io.write(fd, source, offset));
    }

    private MemorySegment slice(int fd, int index, int length) {
        loop.checkOwnerAndOpen();
        IoArgs.fd(fd, "fd");
        RegisteredArgs.bufferOp(index, length, count, size);
        checkOpen();
        return memory.asSlice((long) index * size, length);
    }

    /** Frees the memory; the loop's close calls it after the pool drained every op. */
    @Override
    protected void released() {
        arena.close();
        io.buffersClosed(this);
    }

    @Override
    public String toString() {
        return "RegisteredBuffers[threadpool, " + count + " x " + size + " bytes, " + inFlight() + " ops in flight"
                + (isClosed() ? ", closed]" : "]");
    }
}
