package dev.tevent4j.smb;

import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A connection's statx buffers, allocated once from its arena and reused by every request. */
final class StatxBuffers {
    private final Arena arena;
    private MemorySegment one, batch;

    StatxBuffers(Arena arena) {
        this.arena = arena;
    }

    /** One buffer: a connection runs one statx at a time outside directory listings. */
    MemorySegment one() {
        if (one == null) one = arena.allocate(Libc.STATX_SIZE_BYTES, 8);
        return one;
    }

    /** {@code count} consecutive buffers for a directory listing's batch. */
    MemorySegment batch(int count) {
        if (batch == null || batch.byteSize() < count * Libc.STATX_SIZE_BYTES) batch = arena.allocate(count * Libc.STATX_SIZE_BYTES, 8);
        return batch;
    }
}
