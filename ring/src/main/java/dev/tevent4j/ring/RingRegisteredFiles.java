package dev.tevent4j.ring;

import dev.tevent4j.spi.RegisteredFileTable;
import dev.tevent4j.Request;
import dev.tevent4j.AsyncIo;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.LoopServices;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link dev.tevent4j.RegisteredFiles} on an io_uring ring: a sparse IORING_REGISTER_FILES table (every slot
 * -1), filled and emptied one slot at a time with IORING_REGISTER_FILES_UPDATE. The kernel holds
 * the file references; we only track which slots are set, to pick the lowest empty one.
 */
final class RingRegisteredFiles extends RegisteredFileTable {
    private final RingAsyncIo io;
    private final Ring ring;
    private final boolean[] set;

    RingRegisteredFiles(RingAsyncIo io, LoopServices loop, Ring ring, int capacity) {
        super(loop, capacity);
        this.io = io;
        this.ring = ring;
        this.set = new boolean[capacity];
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment fds = scratch.allocate(ValueLayout.JAVA_INT, capacity);
            fds.fill((byte) -1); // every int -1: an empty slot
            int rc = ring.registerFiles(fds, capacity);
            if (rc == -Errno.EBUSY) {
                throw new IllegalStateException("the ring has a file table already (registered by another user of the ring)");
            }
            if (rc < 0) throw new UncheckedIOException(new ErrnoException("io_uring_register(IORING_REGISTER_FILES)", -rc));
        }
    }

    @Override
    protected boolean taken(int slot) {
        return set[slot];
    }

    @Override
    protected void fill(int slot, int fd) {
        int rc = ring.updateFile(slot, fd);
        if (rc == -Errno.EBADF) throw new IllegalArgumentException("fd " + fd + " is not open (EBADF)");
        if (rc < 0) throw new UncheckedIOException(new ErrnoException("io_uring_register(IORING_REGISTER_FILES_UPDATE)", -rc));
        set[slot] = true;
    }

    @Override
    protected void empty(int slot) {
        int rc = ring.updateFile(slot, -1);
        if (rc < 0) throw new UncheckedIOException(new ErrnoException("io_uring_register(IORING_REGISTER_FILES_UPDATE)", -rc));
        set[slot] = false;
    }

    @Override
    public Request<Integer> read(int slot, MemorySegment buf, long offset) {
        return op(AsyncIo.Op.READ, slot, buf, offset, 0);
    }

    @Override
    public Request<Integer> write(int slot, MemorySegment buf, long offset) {
        return op(AsyncIo.Op.WRITE, slot, buf, offset, 0);
    }

    @Override
    public Request<Integer> send(int slot, MemorySegment buf, int flags) {
        return op(AsyncIo.Op.SEND, slot, buf, 0, flags | Libc.MSG_NOSIGNAL);
    }

    @Override
    public Request<Integer> recv(int slot, MemorySegment buf, int flags) {
        return op(AsyncIo.Op.RECV, slot, buf, 0, flags);
    }

    private Request<Integer> op(AsyncIo.Op op, int slot, MemorySegment buf, long offset, int flags) {
        checkOp(slot, buf);
        return io.fixedFileOp(op, this, slot, buf, offset, flags);
    }

    /** Unregisters (the kernel drops its references); the loop's close calls it after the drain. */
    @Override
    protected void released() {
        ring.unregisterFiles();
        io.filesClosed(this);
    }

    @Override
    protected String kind() {
        return "io_uring";
    }
}
