package dev.tevent4j.ring;

import dev.tevent4j.spi.RegisteredTable;
import dev.tevent4j.RegisteredFiles;
import dev.tevent4j.Request;
import dev.tevent4j.AsyncIo;
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
 * {@link RegisteredFiles} on an io_uring ring: a sparse IORING_REGISTER_FILES table (every slot
 * -1), filled and emptied one slot at a time with IORING_REGISTER_FILES_UPDATE. The kernel holds
 * the file references; we only track which slots are set, to pick the lowest empty one.
 */
final class RingRegisteredFiles extends RegisteredTable implements RegisteredFiles, RegisteredUse {
    private final RingAsyncIo io;
    private final LoopServices loop;
    private final Ring ring;
    private final int capacity;
    private final boolean[] set;
    /** No slot below it is empty: where the search for an empty slot starts. */
    private int lowestEmpty;

    RingRegisteredFiles(RingAsyncIo io, LoopServices loop, Ring ring, int capacity) {
        super(loop, "registered files");
        this.io = io;
        this.loop = loop;
        this.ring = ring;
        this.capacity = capacity;
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
    public int capacity() {
        return capacity;
    }

    @Override
    public int add(int fd) {
        loop.checkOwnerAndOpen();
        IoArgs.fd(fd, "fd");
        checkOpen();
        int slot = lowestEmpty;
        while (slot < capacity && set[slot]) slot++;
        if (slot == capacity) throw new IllegalStateException("all " + capacity + " slots of the registered files are taken");
        int rc = ring.updateFile(slot, fd);
        if (rc == -Errno.EBADF) throw new IllegalArgumentException("fd " + fd + " is not open (EBADF)");
        if (rc < 0) throw new UncheckedIOException(new ErrnoException("io_uring_register(IORING_REGISTER_FILES_UPDATE)", -rc));
        set[slot] = true;
        lowestEmpty = slot + 1;
        return slot;
    }

    @Override
    public void remove(int slot) {
        loop.checkOwnerAndOpen();
        RegisteredArgs.slot(slot, capacity);
        checkOpen();
        if (!set[slot]) return;
        int rc = ring.updateFile(slot, -1);
        if (rc < 0) throw new UncheckedIOException(new ErrnoException("io_uring_register(IORING_REGISTER_FILES_UPDATE)", -rc));
        set[slot] = false;
        if (slot < lowestEmpty) lowestEmpty = slot;
    }

    @Override
    public boolean isSet(int slot) {
        RegisteredArgs.slot(slot, capacity);
        return !isClosed() && set[slot];
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
        loop.checkOwnerAndOpen();
        RegisteredArgs.slot(slot, capacity);
        IoArgs.length(IoArgs.buffer(buf, "buf").byteSize(), "buf");
        checkOpen();
        return io.fixedFileOp(op, this, slot, buf, offset, flags);
    }

    /** Unregisters (the kernel drops its references); the loop's close calls it after the drain. */
    @Override
    protected void released() {
        ring.unregisterFiles();
        io.filesClosed(this);
    }

    @Override
    public String toString() {
        return "RegisteredFiles[io_uring, " + capacity + " slots, " + inFlight() + " ops in flight" + (isClosed() ? ", closed]" : "]");
    }
}
