package dev.tevent4j;

import java.lang.foreign.MemorySegment;

/**
 * A table of file slots registered with the kernel (io_uring's IORING_REGISTER_FILES): an op
 * on a slot (IOSQE_FIXED_FILE) skips the fd lookup and the file reference count that a plain
 * fd costs per op. Made by {@link AsyncIo#registerFiles}, all slots empty.
 *
 * <p>The table does not own the fds put in it: the caller still closes them. While an fd is in
 * a slot the kernel holds its own reference to the file, so closing the fd does not close the
 * file (a socket's peer sees no end of file) until the slot is {@link #remove removed} or the
 * table closed. The thread pool emulates that with a duplicate of the fd per slot
 * (F_DUPFD_CLOEXEC), closed when the slot is emptied and no op uses it any more.
 *
 * <p>An op on an empty slot fails with EBADF, as io_uring's does; a slot outside the table is
 * refused at the call with {@link IllegalArgumentException}. An op resolves its slot when it is
 * issued: on io_uring when the loop submits (the end of the iteration), on the thread pool at
 * the call; so an op started just before {@link #remove} of its slot in the same handler may
 * get EBADF on io_uring and the file on the pool. io_uring allows one file table per ring: a
 * second open {@link AsyncIo#registerFiles} fails with {@link IllegalStateException}. Loop
 * thread only.
 */
public interface RegisteredFiles extends AutoCloseable {
    /**
     * The number of slots.
     *
     * @return 1 to 2^20 (and at most RLIMIT_NOFILE)
     */
    int capacity();

    /**
     * Puts {@code fd} in the lowest empty slot (IORING_REGISTER_FILES_UPDATE).
     *
     * @param fd an open fd; the caller keeps it and still closes it
     * @return the slot
     * @throws IllegalArgumentException for a negative fd or one that is not open (EBADF)
     * @throws IllegalStateException when every slot is taken, after {@link #close()}, or off the
     *     loop thread
     */
    int add(int fd);

    /**
     * Empties a slot; an op in flight on it keeps the file until it completes. Emptying an empty
     * slot does nothing.
     *
     * @param slot 0 to {@code capacity() - 1}
     * @throws IllegalArgumentException for a slot out of range
     * @throws IllegalStateException after {@link #close()}, or off the loop thread
     */
    void remove(int slot);

    /**
     * Whether a slot holds a file.
     *
     * @param slot 0 to {@code capacity() - 1}
     * @return whether it does
     * @throws IllegalArgumentException for a slot out of range
     */
    boolean isSet(int slot);

    /**
     * As {@link AsyncIo#read}, on the file in {@code slot}. Counts as {@link AsyncIo.Op#FIXED_FILES}.
     *
     * @param slot the slot
     * @param buf native memory read into
     * @param offset the file offset, or -1 for the file position
     * @return the request; EBADF for an empty slot
     * @throws IllegalArgumentException for a slot out of range or a bad buffer
     * @throws IllegalStateException after {@link #close()}, off the loop thread, or while the
     *     loop closes
     */
    Request<Integer> read(int slot, MemorySegment buf, long offset);

    /**
     * As {@link AsyncIo#write}, on the file in {@code slot}.
     *
     * @param slot the slot
     * @param buf native memory written from
     * @param offset the file offset, or -1 for the file position
     * @return the request; EBADF for an empty slot
     * @throws IllegalArgumentException for a slot out of range or a bad buffer
     * @throws IllegalStateException as {@link #read}
     */
    Request<Integer> write(int slot, MemorySegment buf, long offset);

    /**
     * As {@link AsyncIo#send}, on the socket in {@code slot}; MSG_NOSIGNAL is added.
     *
     * @param slot the slot
     * @param buf native memory sent
     * @param flags MSG_* flags
     * @return the request; EBADF for an empty slot
     * @throws IllegalArgumentException for a slot out of range or a bad buffer
     * @throws IllegalStateException as {@link #read}
     */
    Request<Integer> send(int slot, MemorySegment buf, int flags);

    /**
     * As {@link AsyncIo#recv}, on the socket in {@code slot}.
     *
     * @param slot the slot
     * @param buf native memory received into
     * @param flags MSG_* flags
     * @return the request; EBADF for an empty slot
     * @throws IllegalArgumentException for a slot out of range or a bad buffer
     * @throws IllegalStateException as {@link #read}
     */
    Request<Integer> recv(int slot, MemorySegment buf, int flags);

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
     * Unregisters the table (IORING_UNREGISTER_FILES), dropping its references; another table
     * may be registered after. The caller's fds stay open. Idempotent.
     *
     * @throws IllegalStateException while an op on the table is in flight, or off the loop thread
     */
    @Override
    void close();
}
