package dev.tevent4j.linux;

import dev.tevent4j.io.ErrnoException;

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
    public static final int MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;
    public static final int INADDR_LOOPBACK = 0x7f000001;

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
}
