package dev.tevent4j.spi;

import dev.tevent4j.RegisteredBuffers;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The memory of {@link RegisteredBuffers}, the same on every AsyncIo: one page-aligned
 * allocation owned by the library, cut into {@code count} buffers of {@code size} bytes, and the
 * checks an op on it makes. Subclasses add how an op reaches the kernel (READ_FIXED on a ring,
 * a plain read on the pool) and what closing undoes.
 */
public abstract class RegisteredBufferTable extends RegisteredTable implements RegisteredBuffers {
    private final int count, size;
    /** Shared: the pool's workers read and write it. */
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;

    /**
     * Allocates the table's memory.
     *
     * @param loop whose thread uses and closes the table
     * @param count how many buffers (checked by the caller with {@link RegisteredArgs#table})
     * @param size the bytes of each
     * @throws UncheckedIOException with ENOMEM (as the kernel's) when the memory is not there
     */
    protected RegisteredBufferTable(LoopServices loop, int count, int size) {
        super(loop, "registered buffers");
        this.count = count;
        this.size = size;
        long bytes = (long) count * size;
        try {
            memory = arena.allocate(bytes, RegisteredArgs.PAGE);
        } catch (OutOfMemoryError e) {
            arena.close();
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
        RegisteredArgs.bufferIndex(index, count);
        checkOpen();
        return memory.asSlice((long) index * size, size);
    }

    /**
     * The checks of an op on buffer {@code index}: loop thread, fd, index, length, open table.
     *
     * @param fd the file
     * @param index the buffer
     * @param length the bytes the op moves
     * @return the first {@code length} bytes of the buffer
     */
    protected MemorySegment opTarget(int fd, int index, int length) {
        checkOwnerAndOpen();
        IoArgs.fd(fd, "fd");
        RegisteredArgs.bufferOp(index, length, count, size);
        checkOpen();
        return memory.asSlice((long) index * size, length);
    }

    /**
     * The whole table's memory (a ring registers it, buffer by buffer).
     *
     * @return the allocation
     */
    protected MemorySegment memory() {
        return memory;
    }

    /** Frees the memory: from {@link #released()}, or from a constructor that fails after this one. */
    protected void freeMemory() {
        arena.close();
    }

    /**
     * What {@link #toString()} names the AsyncIo by.
     *
     * @return e.g. "io_uring"
     */
    protected abstract String kind();

    @Override
    public String toString() {
        return "RegisteredBuffers[" + kind() + ", " + count + " x " + size + " bytes, " + inFlight() + " ops in flight"
                + (isClosed() ? ", closed]" : "]");
    }
}
