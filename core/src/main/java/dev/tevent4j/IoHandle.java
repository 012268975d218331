package dev.tevent4j;

import java.lang.foreign.MemorySegment;

/**
 * A reusable op slot for the hot path: each op started on it completes by calling its
 * {@link IoCompletion} with the raw result, with no {@link Request} and, on the io_uring ring,
 * no allocation at all. One op at a time; start the next from the completion. Made by
 * {@link AsyncIo#handle(IoCompletion)}; ops join an open {@link IoLink} as any other.
 *
 * <p>The arguments and rules are those of the AsyncIo op of the same name (same checks, same
 * flags added, same results), except that a failure is a negative result instead of an
 * exception. Bad arguments still throw at the call, and the handle stays free. A completion
 * that throws is reported to the loop's uncaught-exception handler. When the loop closes, an op
 * in flight completes with -ECANCELED before close returns.
 */
public interface IoHandle {
    /** IORING_OP_NOP: completes with 0. */
    void nop();

    /**
     * read/pread into {@code buf}.
     *
     * @param fd the file
     * @param buf native memory, kept by the handle until the completion
     * @param offset the file offset, -1 for the file position
     */
    void read(int fd, MemorySegment buf, long offset);

    /**
     * write/pwrite from {@code buf}.
     *
     * @param fd the file
     * @param buf native memory
     * @param offset the file offset, -1 for the file position
     */
    void write(int fd, MemorySegment buf, long offset);

    /**
     * send(2), MSG_NOSIGNAL added.
     *
     * @param fd the socket
     * @param buf native memory
     * @param flags MSG_* flags
     */
    void send(int fd, MemorySegment buf, int flags);

    /**
     * recv(2).
     *
     * @param fd the socket
     * @param buf native memory
     * @param flags MSG_* flags
     */
    void recv(int fd, MemorySegment buf, int flags);

    /**
     * sendmsg(2) of a {@link Msg}.
     *
     * @param fd the socket
     * @param msg the message
     * @param flags MSG_* flags
     */
    void sendmsg(int fd, Msg msg, int flags);

    /**
     * recvmsg(2) into a {@link Msg}.
     *
     * @param fd the socket
     * @param msg the message
     * @param flags MSG_* flags
     */
    void recvmsg(int fd, Msg msg, int flags);

    /**
     * splice(2), as {@link AsyncIo#splice}.
     *
     * @param fdIn the fd read from
     * @param offIn its offset, -1 for none
     * @param fdOut the fd written to
     * @param offOut its offset, -1 for none
     * @param len at most this many bytes
     * @param flags SPLICE_F_* flags
     */
    void splice(int fdIn, long offIn, int fdOut, long offOut, int len, int flags);

    /**
     * accept4(2), SOCK_CLOEXEC added.
     *
     * @param fd the listening socket
     * @param flags SOCK_* flags
     */
    void accept(int fd, int flags);

    /**
     * close(2).
     *
     * @param fd the fd
     */
    void close(int fd);

    /** Whether an op is in flight (started, its completion not yet called). */
    boolean busy();

    /**
     * Asks to cancel the op in flight; it still completes, with -ECANCELED if the cancel won.
     * Nothing happens when the handle is free.
     */
    void cancel();
}
