package dev.tevent4j;

import java.lang.foreign.MemorySegment;

/**
 * A table of equal-sized native buffers registered with the kernel once, so that each read or
 * write into them skips pinning and mapping the pages (io_uring's IORING_OP_READ_FIXED and
 * WRITE_FIXED). Made by {@link AsyncIo#registerBuffers}; the memory belongs to the library
 * (page aligned, from an arena the AsyncIo controls) and is freed by {@link #close()} or the
 * loop's close. On the thread pool the same buffers are read and written with pread/pwrite,
 * with the same results and errnos.
 *
 * <p>Memory safety: a buffer is never freed while an op may still write into it. {@link #close()}
 * refuses with {@link IllegalStateException} while an op on the table is in flight (cancel the
 * ops and wait for their completions first); the loop's close drains every op, then closes the
 * table. A segment from {@link #buffer} fails on access once the table is closed.
 *
 * <p>io_uring allows one buffer table per ring: while one is open on a loop, another
 * {@link AsyncIo#registerBuffers} fails with {@link IllegalStateException}. Loop thread only.
 */
public interface RegisteredBuffers extends AutoCloseable {
    /**
     * The number of buffers.
     *
     * @return 1 to 16384
     */
    int count();

    /**
     * The size of each buffer.
     *
     * @return bytes, 1 to 2^30
     */
    int size();

    /**
     * Buffer {@code index}, whole: fill it before a {@link #write}, read it after a {@link #read}.
     *
     * @param index 0 to {@code count() - 1}
     * @return a segment of {@link #size()} bytes, valid until the table is closed
     * @throws IllegalArgumentException for an index out of range
     * @throws IllegalStateException after {@link #close()}
     */
    MemorySegment buffer(int index);

    /**
     * pread(2) of up to {@code length} bytes into the start of buffer {@code index}
     * (IORING_OP_READ_FIXED); completes with the count read, 0 at end of file. Cancel and
     * deadlines behave as for {@link AsyncIo#read}. Counts as {@link AsyncIo.Op#READ_FIXED}.
     *
     * @param fd the file, socket or pipe
     * @param index the buffer
     * @param length bytes to read, 1 to {@link #size()}
     * @param offset the file offset, or -1 for the file position
     * @return the request
     * @throws IllegalArgumentException for a negative fd, an index or length out of range
     * @throws IllegalStateException after {@link #close()}, off the loop thread, or while the
     *     loop closes
     */
    Request<Integer> read(int fd, int index, int length, long offset);

    /**
     * pwrite(2) of the first {@code length} bytes of buffer {@code index}
     * (IORING_OP_WRITE_FIXED); completes with the count written (may be short). Counts as
     * {@link AsyncIo.Op#WRITE_FIXED}.
     *
     * @param fd the file, socket or pipe
     * @param index the buffer
     * @param length bytes to write, 1 to {@link #size()}
     * @param offset the file offset, or -1 for the file position
     * @return the request
     * @throws IllegalArgumentException for a negative fd, an index or length out of range
     * @throws IllegalStateException after {@link #close()}, off the loop thread, or while the
     *     loop closes
     */
    Request<Integer> write(int fd, int index, int length, long offset);

    /**
     * Ops on this table whose completion has not arrived yet.
     *
     * @return how many
     */
    int inFlight();

    /**
     * Whether {@link #close()} ran (or the loop closed).
     *
     * @return whether the table is closed
     */
    boolean isClosed();

    /**
     * Unregisters the table (IORING_UNREGISTER_BUFFERS) and frees its memory; another table may
     * be registered after. Idempotent.
     *
     * @throws IllegalStateException while an op on the table is in flight, or off the loop thread
     */
    @Override
    void close();
}
