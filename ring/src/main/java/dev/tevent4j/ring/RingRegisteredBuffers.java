package dev.tevent4j.ring;

import dev.tevent4j.spi.RegisteredBufferTable;
import dev.tevent4j.Request;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.LoopServices;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link dev.tevent4j.RegisteredBuffers} on an io_uring ring (IORING_REGISTER_BUFFERS): one page-aligned
 * native allocation cut into {@code count} buffers, each one iovec of the registration. Ops are
 * READ_FIXED / WRITE_FIXED slots of the {@link RingAsyncIo}, counted here until their slot is
 * released, so the memory is unregistered and freed only when the kernel cannot write it.
 */
final class RingRegisteredBuffers extends RegisteredBufferTable {
    private final RingAsyncIo io;
    private final Ring ring;

    RingRegisteredBuffers(RingAsyncIo io, LoopServices loop, Ring ring, int count, int size) {
        super(loop, count, size);
        this.io = io;
        this.ring = ring;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment iov = scratch.allocate(Libc.IOVEC, count);
            long step = Libc.IOVEC.byteSize();
            for (int i = 0; i < count; i++) {
                iov.set(ValueLayout.JAVA_LONG, i * step, memory().address() + (long) i * size);
                iov.set(ValueLayout.JAVA_LONG, i * step + 8, size);
            }
            int rc = ring.registerBuffers(iov, count);
            if (rc == -Errno.EBUSY) {
                throw new IllegalStateException("the ring has a buffer table already (registered by another user of the ring)");
            }
            if (rc < 0) throw new UncheckedIOException(new ErrnoException("io_uring_register(IORING_REGISTER_BUFFERS)", -rc));
        } catch (RuntimeException | Error e) {
            freeMemory();
            throw e;
        }
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
        MemorySegment target = opTarget(fd, index, length);
        return io.fixedBufferOp(reading, this, fd, target.address(), length, offset, index);
    }

    /** Unregisters and frees; the loop's close calls it after the AsyncIo drained every op. */
    @Override
    protected void released() {
        ring.unregisterBuffers();
        freeMemory();
        io.buffersClosed(this);
    }

    @Override
    protected String kind() {
        return "io_uring";
    }
}
