package dev.tevent4j.internal;

import dev.tevent4j.spi.RegisteredFileTable;
import dev.tevent4j.AsyncIo;
import dev.tevent4j.Request;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.spi.LoopServices;

import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;

/**
 * The thread pool's {@link dev.tevent4j.RegisteredFiles}: a slot holds a duplicate of the caller's fd
 * (F_DUPFD_CLOEXEC), which is to the pool what the kernel's file reference is to io_uring: the
 * file stays open while it is in the table, whatever the caller does with its fd. A duplicate is
 * closed once its slot was emptied and no op uses it, so a worker never meets a reused number.
 */
final class PoolRegisteredFiles extends RegisteredFileTable implements RegisteredUse {
    private final ThreadPoolAsyncIo io;
    /** Slot -> its file; null for an empty slot. Made on first use up to the highest slot set. */
    private Entry[] slots = new Entry[0];

    /** One file in the table: the duplicate and the ops using it. */
    private final class Entry implements RegisteredUse {
        final int dup;
        int users;
        boolean removed;

        Entry(int dup) {
            this.dup = dup;
        }

        @Override
        public void opStarted() {
            users++;
            PoolRegisteredFiles.this.opStarted();
        }

        @Override
        public void opEnded() {
            users--;
            PoolRegisteredFiles.this.opEnded();
            if (removed && users == 0) Libc.close(dup);
        }

        void remove() {
            removed = true;
            if (users == 0) Libc.close(dup);
        }
    }

    PoolRegisteredFiles(ThreadPoolAsyncIo io, LoopServices loop, int capacity) {
        super(loop, capacity);
        this.io = io;
    }

    @Override
    protected boolean taken(int slot) {
        return slot < slots.length && slots[slot] != null;
    }

    @Override
    protected void fill(int slot, int fd) {
        int dup = Libc.fcntl(fd, Libc.F_DUPFD_CLOEXEC, 0);
        if (dup == -Errno.EBADF) throw new IllegalArgumentException("fd " + fd + " is not open (EBADF)");
        if (dup < 0) throw new UncheckedIOException(new ErrnoException("fcntl(F_DUPFD_CLOEXEC)", -dup));
        if (slot >= slots.length) {
            slots = java.util.Arrays.copyOf(slots, Math.min(capacity(), Math.max(slot + 1, slots.length * 2)));
        }
        slots[slot] = new Entry(dup);
    }

    @Override
    protected void empty(int slot) {
        Entry e = slots[slot];
        slots[slot] = null;
        e.remove();
    }

    @Override
    public Request<Integer> read(int slot, MemorySegment buf, long offset) {
        Entry e = entry(slot, buf);
        return e == null ? io.failingOp(this, AsyncIo.Op.READ, Errno.EBADF) : io.using(e, () -> io.read(e.dup, buf, offset));
    }

    @Override
    public Request<Integer> write(int slot, MemorySegment buf, long offset) {
        Entry e = entry(slot, buf);
        return e == null ? io.failingOp(this, AsyncIo.Op.WRITE, Errno.EBADF) : io.using(e, () -> io.write(e.dup, buf, offset));
    }

    @Override
    public Request<Integer> send(int slot, MemorySegment buf, int flags) {
        Entry e = entry(slot, buf);
        return e == null ? io.failingOp(this, AsyncIo.Op.SEND, Errno.EBADF) : io.using(e, () -> io.send(e.dup, buf, flags));
    }

    @Override
    public Request<Integer> recv(int slot, MemorySegment buf, int flags) {
        Entry e = entry(slot, buf);
        return e == null ? io.failingOp(this, AsyncIo.Op.RECV, Errno.EBADF) : io.using(e, () -> io.recv(e.dup, buf, flags));
    }

    /** The checks every op makes; the slot's entry, or null for an empty slot. */
    private Entry entry(int slot, MemorySegment buf) {
        checkOp(slot, buf);
        return slot < slots.length ? slots[slot] : null;
    }

    /** Closes every duplicate; the loop's close calls it after the pool drained every op. */
    @Override
    protected void released() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) slots[i].remove();
            slots[i] = null;
        }
        io.filesClosed(this);
    }

    @Override
    protected String kind() {
        return "threadpool";
    }
}
