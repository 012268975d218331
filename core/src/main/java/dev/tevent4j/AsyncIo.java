package dev.tevent4j;

import dev.tevent4j.linux.ErrnoException;


import java.lang.foreign.MemorySegment;

/**
 * Asynchronous system calls for one loop, each returning a {@link Request} that completes on the
 * loop with the syscall's non-negative result, or fails with an {@link ErrnoException} naming
 * the errno. Two implementations behave the same: an io_uring ring ({@link #kind()}
 * "io_uring", hybrid and uring backends) and a bounded thread pool doing the blocking call
 * ("threadpool", the epoll backend, as Samba's pthreadpool_tevent).
 *
 * <p>Buffers are native {@link MemorySegment}s (a heap segment is refused); the runtime keeps
 * them reachable until the op completes, but the caller must not close their arena before then:
 * the kernel may still be writing. Offset -1 means "the file position", as in io_uring.
 * Non-blocking fds give EAGAIN as the plain syscall would.
 *
 * <p>{@code cancel()} on a request asks the kernel to cancel the op and returns false: the
 * request still completes later, failed with ECANCELED if the cancel won, so a buffer is never
 * released while the kernel may use it. Closing the loop cancels every op in flight and returns
 * only after each has completed.
 */
public interface AsyncIo {
    /** The operations, for {@link #supports}. */
    enum Op {
        NOP, READ, WRITE, READV, WRITEV, FSYNC, FDATASYNC, SEND, RECV, SENDMSG, RECVMSG, SPLICE, SEND_ZC, OPENAT, CLOSE, STATX,
        // files and messages (openat2, unlinkat, renameat, mkdirat, xattrs, fadvise, tee, msghdr ops)
        SENDMSG_ZC, OPENAT2, UNLINKAT, RENAMEAT, MKDIRAT, FGETXATTR, FSETXATTR, FADVISE, TEE,

        // sockets (accept, connect, multishot)
        ACCEPT, CONNECT, ACCEPT_MULTISHOT, RECV_MULTISHOT,

        // links and handles
        /** {@link IoLink#timeout}: IORING_OP_LINK_TIMEOUT. */
        LINK_TIMEOUT,
        /** {@link IoLink#quiet}: IOSQE_CQE_SKIP_SUCCESS (Linux 5.17). */
        QUIET,

        // registered resources (RegisteredBuffers' read and write, every op of RegisteredFiles)
        READ_FIXED, WRITE_FIXED, FIXED_FILES,

    }

    /** Completes with 0. */
    Request<Integer> nop();

    /** read/pread into {@code buf}; completes with the count read (0 at end of file). */
    Request<Integer> read(int fd, MemorySegment buf, long offset);

    /** write/pwrite from {@code buf}; completes with the count written (may be short). */
    Request<Integer> write(int fd, MemorySegment buf, long offset);

    Request<Integer> readv(int fd, MemorySegment[] bufs, long offset);

    Request<Integer> writev(int fd, MemorySegment[] bufs, long offset);

    Request<Integer> fsync(int fd);

    Request<Integer> fdatasync(int fd);

    Request<Integer> send(int fd, MemorySegment buf, int flags);

    Request<Integer> recv(int fd, MemorySegment buf, int flags);

    Request<Integer> sendmsg(int fd, MemorySegment[] bufs, int flags);

    Request<Integer> recvmsg(int fd, MemorySegment[] bufs, int flags);

    /** splice(2): one of the fds must be a pipe; offset -1 = no offset (pipes, sockets). */
    Request<Integer> splice(int fdIn, long offIn, int fdOut, long offOut, int len, int flags);

    /**
     * Zero-copy send; completes with the count sent only when the kernel no longer needs the
     * buffer (io_uring's second, notification completion). The thread pool sends with a copy.
     */
    Request<Integer> sendZeroCopy(int fd, MemorySegment buf, int flags);

    /** openat(2); completes with the new fd. */
    Request<Integer> openat(int dirfd, String path, int flags, int mode);

    Request<Integer> close(int fd);

    /** statx(2) into {@code statxBuf} (at least 256 bytes); completes with 0. */
    Request<Integer> statx(int dirfd, String path, int flags, int mask, MemorySegment statxBuf);

    // ------------------------------------------------------------ files and messages

    /**
     * sendmsg(2) of a {@link Msg}: its buffers, its destination address (if set) and its control
     * data (e.g. SCM_RIGHTS fds); MSG_NOSIGNAL is added. Completes with the count sent. Counts as
     * {@link Op#SENDMSG}.
     *
     * @param fd the socket
     * @param msg the message, unchanged until completion
     * @param flags MSG_* flags
     * @return the request
     */
    Request<Integer> sendmsg(int fd, Msg msg, int flags);

    /**
     * recvmsg(2) into a {@link Msg}: resets its name and control lengths to the capacities,
     * then the kernel fills the buffers, the sender's address, the control data and the flags.
     * MSG_CMSG_CLOEXEC is added (fds received get FD_CLOEXEC, as every fd tevent4j opens).
     * Completes with the count received. Counts as {@link Op#RECVMSG}.
     *
     * @param fd the socket
     * @param msg the message, untouched by the caller until completion
     * @param flags MSG_* flags
     * @return the request
     */
    Request<Integer> recvmsg(int fd, Msg msg, int flags);

    /**
     * Zero-copy sendmsg (IORING_OP_SENDMSG_ZC, Linux 6.1): completes with the count sent only
     * once the kernel no longer reads the message's buffers (the notification completion), so
     * they may be reused from the callback. The thread pool emulates it with a plain sendmsg(2),
     * which copies: same result, the buffers free as soon as it returns. Sockets without
     * zero-copy support (AF_UNIX) fail on the ring with EOPNOTSUPP.
     *
     * @param fd the socket
     * @param msg the message
     * @param flags MSG_* flags
     * @return the request
     */
    Request<Integer> sendmsgZeroCopy(int fd, Msg msg, int flags);

    /**
     * openat2(2): openat with a {@code struct open_how}, whose {@code resolve} restricts the
     * lookup: {@link dev.tevent4j.linux.Libc#RESOLVE_BENEATH} refuses with EXDEV any path that
     * leaves {@code dirfd} ("..", an absolute path, a symlink out), atomically with the open.
     * O_CLOEXEC is added. Completes with the new fd.
     *
     * @param dirfd the directory, or AT_FDCWD
     * @param path the path
     * @param flags O_* flags (unknown bits fail with EINVAL, unlike openat)
     * @param mode the mode of a created file; must be 0 without O_CREAT/O_TMPFILE (else EINVAL)
     * @param resolve RESOLVE_* flags
     * @return the request
     */
    Request<Integer> openat2(int dirfd, String path, int flags, int mode, long resolve);

    /**
     * unlinkat(2); completes with 0.
     *
     * @param dirfd the directory, or AT_FDCWD
     * @param path the name to remove
     * @param flags 0, or AT_REMOVEDIR to remove an empty directory
     * @return the request
     */
    Request<Integer> unlinkat(int dirfd, String path, int flags);

    /**
     * renameat2(2); completes with 0.
     *
     * @param oldDirfd the old name's directory, or AT_FDCWD
     * @param oldPath the old name
     * @param newDirfd the new name's directory, or AT_FDCWD
     * @param newPath the new name
     * @param flags 0, or RENAME_NOREPLACE / RENAME_EXCHANGE
     * @return the request
     */
    Request<Integer> renameat(int oldDirfd, String oldPath, int newDirfd, String newPath, int flags);

    /**
     * mkdirat(2); completes with 0.
     *
     * @param dirfd the parent, or AT_FDCWD
     * @param path the new directory
     * @param mode its mode (before the umask)
     * @return the request
     */
    Request<Integer> mkdirat(int dirfd, String path, int mode);

    /**
     * fgetxattr(2) into {@code value}; completes with the value's length. A zero-length value
     * (e.g. {@link MemorySegment#NULL}) asks for the length only. A missing attribute fails with
     * ENODATA, a value too small with ERANGE.
     *
     * @param fd the file
     * @param name the attribute, e.g. "user.mime_type"
     * @param value native memory the value is written to
     * @return the request
     */
    Request<Integer> fgetxattr(int fd, String name, MemorySegment value);

    /**
     * fsetxattr(2) to the whole of {@code value}; completes with 0.
     *
     * @param fd the file
     * @param name the attribute, e.g. "user.mime_type"
     * @param value the value's bytes, native
     * @param flags 0, XATTR_CREATE (EEXIST if present) or XATTR_REPLACE (ENODATA if absent)
     * @return the request
     */
    Request<Integer> fsetxattr(int fd, String name, MemorySegment value, int flags);

    /**
     * posix_fadvise(2); completes with 0.
     *
     * @param fd the file (a pipe fails with ESPIPE)
     * @param offset the start of the range
     * @param len its length, 0 to the end of the file; at most 2^32 - 1 (io_uring's field)
     * @param advice a POSIX_FADV_* value
     * @return the request
     */
    Request<Integer> fadvise(int fd, long offset, long len, int advice);

    /**
     * tee(2): copies up to {@code len} bytes from one pipe to another without consuming them.
     * Waits for data as {@link #splice} does; SPLICE_F_NONBLOCK asks for EAGAIN instead.
     * Completes with the count copied.
     *
     * @param fdIn the pipe read from
     * @param fdOut the pipe written to
     * @param len at most this many bytes
     * @param flags SPLICE_F_* flags
     * @return the request
     */
    Request<Integer> tee(int fdIn, int fdOut, int len, int flags);

    // ------------------------------------------------------------ sockets

    /**
     * accept4(2) on a listening socket; completes with the new fd. SOCK_CLOEXEC is always added
     * (as openat adds O_CLOEXEC). An O_NONBLOCK listener with no pending connection waits for
     * one, as io_uring does.
     *
     * @param fd the listening socket
     * @param flags SOCK_NONBLOCK and/or SOCK_CLOEXEC for the new fd
     * @return completes with the accepted fd
     */
    Request<Integer> accept(int fd, int flags);

    /**
     * connect(2); completes with 0 once connected. A non-blocking socket waits for the
     * connection (no EINPROGRESS): a refused one fails with ECONNREFUSED.
     *
     * @param fd the socket
     * @param sockaddr a native {@code struct sockaddr_*}, its byte size the address length;
     *     kept reachable until completion
     * @return completes with 0
     */
    Request<Integer> connect(int fd, MemorySegment sockaddr);

    /**
     * Multishot accept (io_uring's IORING_ACCEPT_MULTISHOT, Linux 5.19): one call, a stream of
     * accepted fds handed to {@code onAccepted} on the loop, each with SOCK_CLOEXEC added. The
     * request completes only when the stream ends: cancelled (ECANCELED, or a timeout for its
     * deadline) or an error of the listener. A handler that throws is reported to the loop's
     * uncaught-exception handler and the stream goes on. Fds accepted while the loop closes are
     * closed, as nobody can take them.
     *
     * @param fd the listening socket
     * @param flags SOCK_NONBLOCK and/or SOCK_CLOEXEC for the new fds
     * @param onAccepted takes each accepted fd, which is the caller's to close
     * @return fails when the stream ends; never completes with a value
     */
    Request<Integer> acceptMultishot(int fd, int flags, java.util.function.IntConsumer onAccepted);

    /**
     * A ring of {@code count} buffers of {@code size} bytes each for {@link #recvMultishot}; on
     * io_uring it is registered with the ring (IORING_REGISTER_PBUF_RING). Freed and
     * unregistered when the loop closes.
     *
     * @param count how many buffers: a power of two, 1 to 32768
     * @param size the bytes of each, at least 1
     * @return the ring, all buffers free
     * @throws IllegalArgumentException for a count or size out of range
     * @throws java.io.UncheckedIOException wrapping the ErrnoException of a refused registration
     */
    BufferRing bufferRing(int count, int size);

    /**
     * Multishot receive with provided buffers (IORING_RECV_MULTISHOT, Linux 6.0): each time
     * data arrives a free buffer of {@code ring} is filled and handed to {@code handler} with
     * its id; the caller recycles it. The request completes when the stream ends: with 0 at end
     * of file, failed with ECANCELED when cancelled, with {@link BufferRing#ENOBUFS} when data
     * arrived and no buffer was free (nothing was read: recycle, then call again to go on), or
     * with the socket's error. Data delivered before the end is never lost; data that arrives
     * while the loop closes is dropped and its buffer recycled.
     *
     * @param fd a connected stream socket
     * @param ring a buffer ring of this AsyncIo
     * @param handler takes each receive's data
     * @return completes with 0 at end of file, else fails
     */
    Request<Integer> recvMultishot(int fd, BufferRing ring, RecvHandler handler);

    // ------------------------------------------------------------ links and handles

    /**
     * Opens a soft-linked chain: the ops started from now until {@link IoLink#close()} run one
     * after another, a failure cancelling the rest (see {@link IoLink}).
     *
     * @return this AsyncIo's chain, open
     * @throws IllegalStateException when a chain is open already, off the loop thread, or when the loop is closing
     */
    IoLink link();

    /**
     * Opens a hard-linked chain: as {@link #link()}, but every op runs whatever the results of
     * the ops before it.
     *
     * @return this AsyncIo's chain, open
     * @throws IllegalStateException when a chain is open already, off the loop thread, or when the loop is closing
     */
    IoLink hardLink();

    /**
     * A reusable handle for ops that complete through {@code completion} instead of a Request:
     * the low-level path, which allocates nothing per op on the ring.
     *
     * @param completion called on the loop with each op's result
     * @return a free handle
     */
    IoHandle handle(IoCompletion completion);

    // ------------------------------------------------------------ registered resources

    /**
     * Registers {@code count} buffers of {@code size} bytes each, memory the library allocates
     * and owns (docs/asyncio.md, "Registered resources"); on io_uring IORING_REGISTER_BUFFERS.
     * Closed by {@link RegisteredBuffers#close()} or the loop's close.
     *
     * @param count how many buffers, 1 to 16384
     * @param size the bytes of each, 1 to 2^30
     * @return the table
     * @throws IllegalArgumentException for a count or size out of range
     * @throws IllegalStateException while another table of this AsyncIo is open, off the loop
     *     thread, or while the loop closes
     * @throws java.io.UncheckedIOException wrapping the ErrnoException of a refused registration
     *     (ENOMEM: more than RLIMIT_MEMLOCK allows)
     */
    RegisteredBuffers registerBuffers(int count, int size);

    /**
     * Registers a table of {@code capacity} empty file slots (docs/asyncio.md, "Registered
     * resources"); on io_uring IORING_REGISTER_FILES. Closed by {@link RegisteredFiles#close()}
     * or the loop's close.
     *
     * @param capacity how many slots, 1 to 2^20
     * @return the table
     * @throws IllegalArgumentException for a capacity out of range
     * @throws IllegalStateException while another table of this AsyncIo is open, off the loop
     *     thread, or while the loop closes
     * @throws java.io.UncheckedIOException wrapping the ErrnoException of a refused registration
     *     (EMFILE: more than RLIMIT_NOFILE)
     */
    RegisteredFiles registerFiles(int capacity);

    /** Whether the op works here: the ring asks IORING_REGISTER_PROBE; the pool supports all. */
    boolean supports(Op op);

    /** "io_uring" or "threadpool". */
    String kind();
}
