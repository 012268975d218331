package dev.tevent4j;

import java.lang.foreign.MemorySegment;

/** Receives the data of a {@link AsyncIo#recvMultishot} stream, on the loop thread. */
@FunctionalInterface
public interface RecvHandler {
    /**
     * One receive's data. The buffer is the caller's from now on: give it back with
     * {@link BufferRing#recycle(int)} once done with {@code data} (now or later). A handler that
     * throws is reported to the loop's uncaught-exception handler, its buffer is recycled for it
     * (unless it did so itself) and the stream goes on.
     *
     * @param data the buffer, sliced to the bytes received (at least one)
     * @param bufferId the buffer's id in its ring, for {@link BufferRing#recycle(int)}
     */
    void onData(MemorySegment data, int bufferId);
}
