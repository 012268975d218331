package dev.tevent4j.ring;

import dev.tevent4j.spi.RegisteredTable;
import dev.tevent4j.RegisteredBuffers;
import dev.tevent4j.Request;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.IoArgs;
import dev.tevent4j.spi.LoopServices;
import dev.tevent4j.spi.RegisteredArgs;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link RegisteredBuffers} on an io_uring ring (IORING_REGISTER_BUFFERS): one page-aligned
 * native allocation cut into {@code count} buffers, each one iovec of the registration. Ops are
 * READ_FIXED / WRITE_FIXED slots of the {@link RingAsyncIo}, counted here until their slot is
 * released, so the memory is unregistered and freed only when the kernel cannot write it.
 */
final class RingRegisteredBuffers extends RegisteredTable implements RegisteredBuffers, RegisteredUse {
    private final RingAsyncIo io;
    private final LoopServices loop;
    private final Ring ring;
    private final int count, size;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;

    RingRegisteredBuffers(RingAsyncIo io, LoopServices loop, Ring ring, int count, int size) {
        super(loop, "registered buffers");
        this.io = io;
        this.loop = loop;
        this.ring = ring;
        this.count = count;
        this.size = size;
        try {
            memory = allocate(arena, count, size);
            try (Arena scratch = Arena.ofConfined()) {
                MemorySegment iov = scratch.allocate(Libc.IOVEC, count);
                long step = Libc.IOVEC.byteSize();
                for (int i = 0; i < count; i++) {
                    iov.set(ValueLayout.JAVA_LONG, i * step, memory.address() + (long) i * size);
                    iov.set(ValueLayout.JAVA_LONG, i * step + 8, size);
                }
                int rc = ring.registerBuffers(iov, count);
                if (rc == -Errno.EBUSY) {
                    throw new IllegalStateException("the ring has a buffer table already (registered by another user of the ring)");
                }
                if (rc < 0) throw new UncheckedIOException(new ErrnoException("io_uring_register(IORING_REGISTER_BUFFERS)", -rc));
            }
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
        return op(true, fd, index, length, offset);
    }

    @Override
    public Request<Integer> write(int fd, int index, int length, long offset) {
        return op(false, fd, index, length, offset);
    }

    private Request<Integer> op(boolean reading, int fd, int index, int length, long offset) {
        loop.checkOwnerAndOpen();
        IoArgs.fd(fd, "fd");
        RegisteredArgs.bufferOp(index, length, count, size);
        checkOpen();
        return io.fixedBufferOp(reading, this, fd, memory.address() + (long) index * size, length, offset, index);
    }

    /** Unregisters and frees; the loop's close calls it after the AsyncIo drained every op. */
    @Override
    protected void released() {
        ring.unregisterBuffers();
        arena.close();
        io.buffersClosed(this);
    }

    @Override
    public String toString() {
        return "RegisteredBuffers[io_uring, " + count + " x " + size + " bytes, " + inFlight() + " ops in flight"
                + (isClosed() ? ", closed]" : "]");
    }
}
