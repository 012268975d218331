package dev.tevent4j.linux;


import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Bindings for the parts of {@code <unistd.h>}, {@code <sys/socket.h>}, {@code <sys/eventfd.h>},
 * {@code <fcntl.h>} and {@code <netinet/in.h>} the runtime needs, written in jextract's shape.
 * Every function returns the kernel convention: a non-negative result, or {@code -errno}.
 * Constants and struct layouts are checked against the C headers by {@code LinuxHeadersTest}.
 */
public final class Libc {
    private Libc() {}

    // <fcntl.h>, <sys/eventfd.h>, <sys/socket.h> flags (x86_64 values).
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_TRUNC = 01000,
            O_NONBLOCK = 04000, O_CLOEXEC = 02000000, O_DIRECTORY = 0200000;
    public static final int EFD_NONBLOCK = 04000, EFD_CLOEXEC = 02000000;
    public static final int AF_UNIX = 1, AF_INET = 2, SOCK_STREAM = 1, SOCK_DGRAM = 2,
            SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    public static final int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_ERROR = 4, SO_SNDBUF = 7,
            SO_RCVBUF = 8, SO_LINGER = 13, SO_REUSEPORT = 15;
    public static final int IPPROTO_TCP = 6, TCP_NODELAY = 1;
    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    public static final int MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000;
    public static final int INADDR_LOOPBACK = 0x7f000001;
    public static final int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000;
    public static final int STATX_BASIC_STATS = 0x7ff, STATX_SIZE = 0x200;
    public static final int SPLICE_F_MOVE = 1, SPLICE_F_NONBLOCK = 2;
    public static final short POLLIN = 0x001, POLLOUT = 0x004, POLLERR = 0x008, POLLHUP = 0x010, POLLRDHUP = 0x2000;
    public static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, MAP_POPULATE = 0x8000;
    /** {@code preadv2}/{@code pwritev2} flag: fail with EAGAIN instead of waiting (pipes, sockets, page-cache misses). */
    public static final int RWF_NOWAIT = 0x8;
    public static final int F_GETFL = 3, F_SETFL = 4;
    public static final int O_NOFOLLOW = 0400000, O_PATH = 010000000;
    /** {@code <linux/openat2.h>} resolve flags. */
    public static final long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
            RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;
    /** {@code st_mode} file types ({@code <sys/stat.h>}). */
    public static final int S_IFMT = 0170000, S_IFREG = 0100000, S_IFDIR = 0040000, S_IFIFO = 0010000,
            S_IFSOCK = 0140000, S_IFBLK = 0060000, S_IFCHR = 0020000;
    public static final int STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_INO = 0x100;

    /** {@code struct iovec}. */
    public static final StructLayout IOVEC = MemoryLayout.structLayout(
            ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));
    /** {@code struct msghdr}. */
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4));
    /** {@code struct pollfd}. */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));
    /** {@code struct statx} is 256 bytes; the fields the runtime reads are at these offsets. */
    public static final long STATX_SIZE_BYTES = 256, STATX_MASK_OFFSET = 0, STATX_SIZE_OFFSET = 40, STATX_MODE_OFFSET = 28,
            STATX_INO_OFFSET = 32, STATX_DEV_MAJOR_OFFSET = 136, STATX_DEV_MINOR_OFFSET = 140;
    /** {@code struct open_how} ({@code <linux/openat2.h>}): flags, mode, resolve, all u64. */
    public static final StructLayout OPEN_HOW = MemoryLayout.structLayout(
            JAVA_LONG.withName("flags"), JAVA_LONG.withName("mode"), JAVA_LONG.withName("resolve"));

    /** {@code struct linger}. */
    public static final StructLayout LINGER = MemoryLayout.structLayout(
            JAVA_INT.withName("l_onoff"), JAVA_INT.withName("l_linger"));
    /** {@code struct sockaddr_in}; port and address in network byte order. */
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin_family"), JAVA_SHORT.withName("sin_port"),
            JAVA_INT.withName("sin_addr"), MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));

    private static final MethodHandle READ = Native.withErrno("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = Native.withErrno("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = Native.withErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PIPE2 = Native.withErrno("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SOCKETPAIR = Native.withErrno("socketpair", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EVENTFD = Native.withErrno("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SHUTDOWN = Native.withErrno("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = Native.withErrno("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = Native.withErrno("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SOCKET = Native.withErrno("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = Native.withErrno("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = Native.withErrno("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = Native.withErrno("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = Native.withErrno("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = Native.withErrno("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle OPEN = Native.withErrno("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    private static final MethodHandle PREAD = Native.withErrno("pread64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PWRITE = Native.withErrno("pwrite64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle READV = Native.withErrno("readv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WRITEV = Native.withErrno("writev", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle PREADV = Native.withErrno("preadv64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle PWRITEV = Native.withErrno("pwritev64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle FSYNC = Native.withErrno("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FDATASYNC = Native.withErrno("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SEND = Native.withErrno("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = Native.withErrno("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SENDMSG = Native.withErrno("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = Native.withErrno("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SPLICE = Native.withErrno("splice", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle OPENAT = Native.withErrno("openat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle STATX = Native.withErrno("statx", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle PREADV2 = Native.withErrno("preadv2", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle PWRITEV2 = Native.withErrno("pwritev2", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT));
    /** glibc 2.36 has no openat2 wrapper: syscall(SYS_openat2, dirfd, path, how, size). */
    private static final long SYS_OPENAT2 = 437;
    private static final MethodHandle SYSCALL4 = Native.withErrnoVariadic("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), 1);
    private static final MethodHandle FCNTL = Native.withErrnoVariadic("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle POLL = Native.withErrno("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MMAP = Native.withErrno("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = Native.withErrno("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    /** pread when offset >= 0, else read at the file position (io_uring's convention). */
    public static long pread(int fd, MemorySegment buf, long count, long offset) {
        if (offset < 0) return read(fd, buf, count);
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) PREAD.invokeExact(c, fd, buf, count, offset), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** pwrite when offset >= 0, else write at the file position. */
    public static long pwrite(int fd, MemorySegment buf, long count, long offset) {
        if (offset < 0) return write(fd, buf, count);
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) PWRITE.invokeExact(c, fd, buf, count, offset), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** preadv when offset >= 0, else readv. */
    public static long preadv(int fd, MemorySegment iov, int iovcnt, long offset) {
        MemorySegment c = Native.capture();
        try {
            long r = offset < 0 ? (long) READV.invokeExact(c, fd, iov, iovcnt) : (long) PREADV.invokeExact(c, fd, iov, iovcnt, offset);
            return Native.result(r, c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** pwritev when offset >= 0, else writev. */
    public static long pwritev(int fd, MemorySegment iov, int iovcnt, long offset) {
        MemorySegment c = Native.capture();
        try {
            long r = offset < 0 ? (long) WRITEV.invokeExact(c, fd, iov, iovcnt) : (long) PWRITEV.invokeExact(c, fd, iov, iovcnt, offset);
            return Native.result(r, c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * preadv2(2): offset -1 reads at the file position; {@link #RWF_NOWAIT} in {@code flags} makes
     * a read that would wait (an empty pipe or socket, a page-cache miss) fail with EAGAIN.
     */
    public static long preadv2(int fd, MemorySegment iov, int iovcnt, long offset, int flags) {
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) PREADV2.invokeExact(c, fd, iov, iovcnt, offset, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** pwritev2(2), as {@link #preadv2}. */
    public static long pwritev2(int fd, MemorySegment iov, int iovcnt, long offset, int flags) {
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) PWRITEV2.invokeExact(c, fd, iov, iovcnt, offset, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * openat2(2) with a {@code struct open_how} ({@link #OPEN_HOW}): {@code resolve} takes the
     * RESOLVE_* flags, e.g. {@link #RESOLVE_BENEATH} to refuse any path that leaves {@code dirfd}.
     */
    public static int openat2(int dirfd, MemorySegment path, long flags, long mode, long resolve, SegmentAllocator alloc) {
        MemorySegment how = alloc.allocate(OPEN_HOW);
        how.set(JAVA_LONG, 0, flags);
        how.set(JAVA_LONG, 8, mode);
        how.set(JAVA_LONG, 16, resolve);
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((long) SYSCALL4.invokeExact(c, SYS_OPENAT2, dirfd, path, how, OPEN_HOW.byteSize()), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * getsockopt(SO_ERROR): how a non-blocking connect reports its outcome.
     *
     * @param fd a socket
     * @return the pending error (a positive errno), 0 if none, or getsockopt's own errno
     */
    public static int socketError(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 4);
            int rc = getsockopt(fd, SOL_SOCKET, SO_ERROR, v, len);
            return rc < 0 ? -rc : v.get(JAVA_INT, 0);
        }
    }

    /** fcntl(2) with an int argument (F_GETFL, F_SETFL, ...). */
    public static int fcntl(int fd, int cmd, int arg) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) FCNTL.invokeExact(c, fd, cmd, arg), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int fsync(int fd) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) FSYNC.invokeExact(c, fd), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int fdatasync(int fd) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) FDATASYNC.invokeExact(c, fd), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static long send(int fd, MemorySegment buf, long count, int flags) {
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) SEND.invokeExact(c, fd, buf, count, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static long recv(int fd, MemorySegment buf, long count, int flags) {
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) RECV.invokeExact(c, fd, buf, count, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static long sendmsg(int fd, MemorySegment msghdr, int flags) {
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) SENDMSG.invokeExact(c, fd, msghdr, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static long recvmsg(int fd, MemorySegment msghdr, int flags) {
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) RECVMSG.invokeExact(c, fd, msghdr, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** @param offIn a loff_t holding the input offset, or NULL for the file position (same for offOut) */
    public static long splice(int fdIn, MemorySegment offIn, int fdOut, MemorySegment offOut, long len, int flags) {
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) SPLICE.invokeExact(c, fdIn, offIn, fdOut, offOut, len, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int openat(int dirfd, MemorySegment path, int flags, int mode) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) OPENAT.invokeExact(c, dirfd, path, flags, mode), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int statx(int dirfd, MemorySegment path, int flags, int mask, MemorySegment statxbuf) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) STATX.invokeExact(c, dirfd, path, flags, mask, statxbuf), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) POLL.invokeExact(c, fds, nfds, timeoutMillis), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** mmap; returns the mapping, or throws {@link IllegalStateException} naming the errno. */
    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset) {
        MemorySegment c = Native.capture();
        try {
            MemorySegment m = (MemorySegment) MMAP.invokeExact(c, MemorySegment.NULL, length, prot, flags, fd, offset);
            if (m.address() == -1L) {
                throw new IllegalStateException("mmap failed: " + Errno.name(Native.errno(c)));
            }
            return m.reinterpret(length);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int munmap(MemorySegment addr, long length) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) MUNMAP.invokeExact(c, addr, length), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static long read(int fd, MemorySegment buf, long count) {
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) READ.invokeExact(c, fd, buf, count), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static long write(int fd, MemorySegment buf, long count) {
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) WRITE.invokeExact(c, fd, buf, count), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int close(int fd) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) CLOSE.invokeExact(c, fd), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** @param fds two ints that receive the read and the write end */
    public static int pipe2(MemorySegment fds, int flags) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) PIPE2.invokeExact(c, fds, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) SOCKETPAIR.invokeExact(c, domain, type, protocol, fds), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int eventfd(int initval, int flags) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) EVENTFD.invokeExact(c, initval, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int shutdown(int fd, int how) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) SHUTDOWN.invokeExact(c, fd, how), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) SETSOCKOPT.invokeExact(c, fd, level, name, value, length), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** @param length an int holding the value buffer's size; receives the size written */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) GETSOCKOPT.invokeExact(c, fd, level, name, value, length), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int socket(int domain, int type, int protocol) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) SOCKET.invokeExact(c, domain, type, protocol), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int bind(int fd, MemorySegment addr, int length) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) BIND.invokeExact(c, fd, addr, length), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int listen(int fd, int backlog) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) LISTEN.invokeExact(c, fd, backlog), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int accept4(int fd, MemorySegment addr, MemorySegment length, int flags) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) ACCEPT4.invokeExact(c, fd, addr, length, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int connect(int fd, MemorySegment addr, int length) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) CONNECT.invokeExact(c, fd, addr, length), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int getsockname(int fd, MemorySegment addr, MemorySegment length) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) GETSOCKNAME.invokeExact(c, fd, addr, length), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int open(MemorySegment path, int flags, int mode) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) OPEN.invokeExact(c, path, flags, mode), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    // ---- small conveniences built on the bindings above ----

    /** Throws {@link ErrnoException} naming {@code call} when {@code ret} is negative. */
    public static long check(long ret, String call) throws ErrnoException {
        if (ret < 0) {
            throw new ErrnoException(call, (int) -ret);
        }
        return ret;
    }

    /** Sets an int-valued socket option. */
    public static int setIntOption(int fd, int level, int name, int value, SegmentAllocator alloc) {
        MemorySegment v = alloc.allocate(JAVA_INT);
        v.set(JAVA_INT, 0, value);
        return setsockopt(fd, level, name, v, 4);
    }

    /** Fills a {@code sockaddr_in} for an IPv4 address and port given in host order. */
    public static MemorySegment sockaddrIn(SegmentAllocator alloc, int addressHostOrder, int port) {
        MemorySegment sa = alloc.allocate(SOCKADDR_IN);
        sa.set(JAVA_SHORT, 0, (short) AF_INET);
        sa.set(JAVA_SHORT, 2, Short.reverseBytes((short) port));
        sa.set(JAVA_INT, 4, Integer.reverseBytes(addressHostOrder));
        return sa;
    }

    /** The port of a {@code sockaddr_in}, in host order. */
    public static int port(MemorySegment sockaddrIn) {
        return Short.toUnsignedInt(Short.reverseBytes(sockaddrIn.get(JAVA_SHORT, 2)));
    }

    // ---------------------------------------------------------------- files and messages

    /** {@code <linux/openat2.h>}: fail with EAGAIN unless the lookup can be done from the caches (Linux 5.12). */
    public static final long RESOLVE_CACHED = 0x20;
    /** unlinkat(2) flag: remove a directory (rmdir). */
    public static final int AT_REMOVEDIR = 0x200;
    /** renameat2(2) flags: fail with EEXIST if the new name exists; swap the two names. */
    public static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2;
    /** setxattr(2) flags: fail with EEXIST if the attribute exists; with ENODATA if it does not. */
    public static final int XATTR_CREATE = 1, XATTR_REPLACE = 2;
    /** posix_fadvise(2) advice. */
    public static final int POSIX_FADV_NORMAL = 0, POSIX_FADV_RANDOM = 1, POSIX_FADV_SEQUENTIAL = 2,
            POSIX_FADV_WILLNEED = 3, POSIX_FADV_DONTNEED = 4, POSIX_FADV_NOREUSE = 5;
    /** getsockopt(SOL_SOCKET) option: the socket's protocol (IPPROTO_TCP, IPPROTO_UDP, 0 for AF_UNIX). */
    public static final int SO_PROTOCOL = 38, IPPROTO_UDP = 17;
    /** Control message type of SOL_SOCKET: the data is an array of fds. */
    public static final int SCM_RIGHTS = 1;
    /** recvmsg flags: received fds get FD_CLOEXEC; out: the control data or the datagram was truncated. */
    public static final int MSG_CMSG_CLOEXEC = 0x40000000, MSG_CTRUNC = 0x8, MSG_TRUNC = 0x20;
    /** {@code struct cmsghdr} (cmsg_len is a size_t); its data starts at {@link #CMSG_HEADER_BYTES}. */
    public static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"), JAVA_INT.withName("cmsg_level"), JAVA_INT.withName("cmsg_type"));
    /** {@code CMSG_LEN(0)}: the header's size, already aligned to 8 on x86_64. */
    public static final long CMSG_HEADER_BYTES = 16;

    private static final MethodHandle UNLINKAT = Native.withErrno("unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RENAMEAT2 = Native.withErrno("renameat2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle MKDIRAT = Native.withErrno("mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FGETXATTR = Native.withErrno("fgetxattr", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle FSETXATTR = Native.withErrno("fsetxattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    /** posix_fadvise returns the error number itself and leaves errno alone. */
    private static final MethodHandle POSIX_FADVISE = Native.plain("posix_fadvise64", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle TEE = Native.withErrno("tee", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));

    /** unlinkat(2); {@code flags} 0 or {@link #AT_REMOVEDIR}. */
    public static int unlinkat(int dirfd, MemorySegment path, int flags) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) UNLINKAT.invokeExact(c, dirfd, path, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** renameat2(2); {@code flags} RENAME_* (0: plain renameat). */
    public static int renameat2(int oldDirfd, MemorySegment oldPath, int newDirfd, MemorySegment newPath, int flags) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) RENAMEAT2.invokeExact(c, oldDirfd, oldPath, newDirfd, newPath, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int mkdirat(int dirfd, MemorySegment path, int mode) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) MKDIRAT.invokeExact(c, dirfd, path, mode), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** fgetxattr(2): the value's length (with size 0, the size it needs), or -errno. */
    public static long fgetxattr(int fd, MemorySegment name, MemorySegment value, long size) {
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) FGETXATTR.invokeExact(c, fd, name, value, size), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int fsetxattr(int fd, MemorySegment name, MemorySegment value, long size, int flags) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) FSETXATTR.invokeExact(c, fd, name, value, size, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** posix_fadvise(2): 0 or -errno (the libc call returns the error number, not -1). */
    public static int fadvise(int fd, long offset, long len, int advice) {
        try {
            int error = (int) POSIX_FADVISE.invokeExact(fd, offset, len, advice);
            return -error;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** tee(2): duplicates up to {@code len} bytes of one pipe into another, consuming none. */
    public static long tee(int fdIn, int fdOut, long len, int flags) {
        MemorySegment c = Native.capture();
        try {
            return Native.result((long) TEE.invokeExact(c, fdIn, fdOut, len, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    // ---------------------------------------------------------------- sockets

    // ---------------------------------------------------------------- links and handles

    // ---------------------------------------------------------------- registered resources

    /** fcntl(2) command: duplicate to the lowest fd at or above the argument, with FD_CLOEXEC. */
    public static final int F_DUPFD_CLOEXEC = 1030;

}
