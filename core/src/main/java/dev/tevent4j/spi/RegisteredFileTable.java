package dev.tevent4j.spi;

import dev.tevent4j.RegisteredFiles;

import java.lang.foreign.MemorySegment;

/**
 * What {@link RegisteredFiles} is on every AsyncIo: {@code capacity} slots, the lowest empty one
 * taken by {@link #add}, and the checks every call makes. Subclasses say how a slot is filled
 * and emptied (a kernel table update on a ring, an fd duplicate on the pool) and how an op on a
 * slot reaches the kernel.
 */
public abstract class RegisteredFileTable extends RegisteredTable implements RegisteredFiles {
    private final int capacity;
    /** No slot below it is empty: where the search for an empty slot starts. */
    private int lowestEmpty;

    /**
     * An empty table.
     *
     * @param loop whose thread uses and closes the table
     * @param capacity its slots (checked by the caller with {@link RegisteredArgs#capacity})
     */
    protected RegisteredFileTable(LoopServices loop, int capacity) {
        super(loop, "registered files");
        this.capacity = capacity;
    }

    /**
     * Whether {@code slot} holds a file now.
     *
     * @param slot in 0..capacity-1
     * @return true when set
     */
    protected abstract boolean taken(int slot);

    /**
     * Puts {@code fd} in the empty {@code slot}.
     *
     * @param slot an empty slot
     * @param fd an open fd, checked non-negative
     * @throws IllegalArgumentException when {@code fd} is not open
     */
    protected abstract void fill(int slot, int fd);

    /**
     * Empties the set {@code slot}.
     *
     * @param slot a set slot
     */
    protected abstract void empty(int slot);

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int add(int fd) {
        checkOwnerAndOpen();
        IoArgs.fd(fd, "fd");
        checkOpen();
        int slot = lowestEmpty;
        while (slot < capacity && taken(slot)) slot++;
        if (slot == capacity) throw new IllegalStateException("all " + capacity + " slots of the registered files are taken");
        fill(slot, fd);
        lowestEmpty = slot + 1;
        return slot;
    }

    @Override
    public void remove(int slot) {
        checkOwnerAndOpen();
        RegisteredArgs.slot(slot, capacity);
        checkOpen();
        if (!taken(slot)) return;
        empty(slot);
        if (slot < lowestEmpty) lowestEmpty = slot;
    }

    @Override
    public boolean isSet(int slot) {
        RegisteredArgs.slot(slot, capacity);
        return !isClosed() && taken(slot);
    }

    /**
     * The checks of an op on a slot: loop thread, slot, buffer, open table.
     *
     * @param slot the slot
     * @param buf the op's buffer
     */
    protected void checkOp(int slot, MemorySegment buf) {
        checkOwnerAndOpen();
        RegisteredArgs.slot(slot, capacity);
        IoArgs.length(IoArgs.buffer(buf, "buf").byteSize(), "buf");
        checkOpen();
    }

    /**
     * What {@link #toString()} names the AsyncIo by.
     *
     * @return e.g. "io_uring"
     */
    protected abstract String kind();

    @Override
    public String toString() {
        return "RegisteredFiles[" + kind() + ", " + capacity + " slots, " + inFlight() + " ops in flight"
                + (isClosed() ? ", closed]" : "]");
    }
}
