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

        // sockets (accept, connect, multishot)

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

    // ------------------------------------------------------------ sockets

    /** Whether the op works here: the ring asks IORING_REGISTER_PROBE; the pool supports all. */
    boolean supports(Op op);

    /** "io_uring" or "threadpool". */
    String kind();
}
