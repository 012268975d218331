package dev.tevent4j.epoll;

import dev.tevent4j.linux.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Bindings for {@code <sys/epoll.h>} in jextract's shape. Functions return the kernel
 * convention: a non-negative result, or {@code -errno}. Checked against the C header by
 * {@code EpollHeaderTest}.
 */
public final class Epoll {
    private Epoll() {}

    public static final int EPOLLIN = 0x001, EPOLLPRI = 0x002, EPOLLOUT = 0x004, EPOLLERR = 0x008,
            EPOLLHUP = 0x010, EPOLLRDHUP = 0x2000;
    public static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    public static final int EPOLL_CLOEXEC = 02000000;

    /** {@code struct epoll_event}: packed on x86_64, so {@code data} sits at offset 4. */
    public static final StructLayout EPOLL_EVENT = MemoryLayout.structLayout(
            JAVA_INT.withName("events"), JAVA_LONG_UNALIGNED.withName("data"));
    public static final long EVENTS_OFFSET = EPOLL_EVENT.byteOffset(MemoryLayout.PathElement.groupElement("events"));
    public static final long DATA_OFFSET = EPOLL_EVENT.byteOffset(MemoryLayout.PathElement.groupElement("data"));
    public static final long EVENT_SIZE = EPOLL_EVENT.byteSize();

    private static final MethodHandle CREATE1 = Native.withErrno("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CTL = Native.withErrno("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle WAIT = Native.withErrno("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    public static int epollCreate1(int flags) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) CREATE1.invokeExact(c, flags), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) CTL.invokeExact(c, epfd, op, fd, event), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((int) WAIT.invokeExact(c, epfd, events, maxEvents, timeoutMillis), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
