package dev.tevent4j.internal;

import dev.tevent4j.BufferRing;
import dev.tevent4j.spi.LoopServices;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The thread pool's {@link BufferRing}: the same buffers and ownership rule as io_uring's
 * provided buffer ring, as a plain free list of slices of one native allocation. A multishot
 * receive takes a buffer only once its socket is readable, and gives it back at once when the
 * recv found nothing. Freed at the loop's close, after the streams were drained.
 */
final class PoolBufferRing implements BufferRing {
    private final LoopServices loop;
    private final int count, size;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffers;
    /** Free ids, taken from the end. */
    private final int[] free;
    private int freeCount;
    private final boolean[] lent;
    private boolean closed;

    PoolBufferRing(LoopServices loop, int count, int size) {
        if (count < 1 || count > 32768 || Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("count " + count + " is not a power of two from 1 to 32768");
        }
        if (size < 1) throw new IllegalArgumentException("size " + size + " is not positive");
        this.loop = loop;
        this.count = count;
        this.size = size;
        buffers = arena.allocate((long) count * size, 64);
        free = new int[count];
        lent = new boolean[count];
        // Handed out from id 0 upwards, as the kernel takes a fresh ring's entries.
        for (int i = 0; i < count; i++) free[i] = count - 1 - i;
        freeCount = count;
        loop.atClose(LoopServices.CloseStage.DRAIN_IO, this::close);
    }

    /** The loop whose AsyncIo made it. */
    LoopServices owner() {
        return loop;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int bufferSize() {
        return size;
    }

    @Override
    public int available() {
        return freeCount;
    }

    /** A free buffer's id, now lent; -1 when none is free. */
    int take() {
        if (closed || freeCount == 0) return -1;
        int id = free[--freeCount];
        lent[id] = true;
        return id;
    }

    /** Buffer {@code id}, whole. */
    MemorySegment buffer(int id) {
        return buffers.asSlice((long) id * size, size);
    }

    /** Buffer {@code id}'s first {@code length} bytes. */
    MemorySegment slice(int id, int length) {
        return buffers.asSlice((long) id * size, length);
    }

    boolean isLent(int id) {
        return id >= 0 && id < count && lent[id];
    }

    /** Puts lent buffer {@code id} back (the AsyncIo's own returns: no owner check). */
    void giveBack(int id) {
        if (closed || !isLent(id)) return;
        lent[id] = false;
        free[freeCount++] = id;
    }

    @Override
    public void recycle(int bufferId) {
        if (closed) return;
        loop.checkOwnerAndOpen();
        if (bufferId < 0 || bufferId >= count) {
            throw new IllegalArgumentException("buffer id " + bufferId + " is not in 0.." + (count - 1));
        }
        if (!lent[bufferId]) throw new IllegalStateException("buffer " + bufferId + " is not lent: recycled twice?");
        giveBack(bufferId);
    }

    private void close() {
        if (closed) return;
        closed = true;
        arena.close();
    }

    @Override
    public String toString() {
        return "BufferRing[threadpool, " + count + " x " + size + " bytes, " + freeCount + " free]";
    }
}
