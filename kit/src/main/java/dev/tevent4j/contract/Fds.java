package dev.tevent4j.contract;

import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real kernel objects for the contract tests: pipes, socketpairs, loopback TCP, fd counting. */
public final class Fds {
    private Fds() {}

    private static int check(long rc, String what) {
        if (rc < 0) throw new IllegalStateException(what + " failed: " + Errno.name((int) -rc));
        return (int) rc;
    }

    /** A non-blocking AF_UNIX stream socketpair. */
    public static int[] socketpair() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            check(Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0, fds), "socketpair");
            return new int[] {fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4)};
        }
    }

    /** A blocking AF_UNIX stream socketpair (ops on it wait instead of failing with EAGAIN). */
    public static int[] blockingSocketpair() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            check(Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, fds), "socketpair");
            return new int[] {fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4)};
        }
    }

    /** A non-blocking pipe: [read end, write end]. */
    public static int[] pipe() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            check(Libc.pipe2(fds, Libc.O_NONBLOCK | Libc.O_CLOEXEC), "pipe2");
            return new int[] {fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4)};
        }
    }

    /** A connected loopback TCP pair: [client, accepted server side], both non-blocking. */
    public static int[] tcpPair() {
        try (Arena a = Arena.ofConfined()) {
            int listener = check(Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0), "socket");
            try {
                MemorySegment addr = Libc.sockaddrIn(a, Libc.INADDR_LOOPBACK, 0);
                check(Libc.bind(listener, addr, (int) addr.byteSize()), "bind");
                check(Libc.listen(listener, 8), "listen");
                MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
                len.set(ValueLayout.JAVA_INT, 0, (int) addr.byteSize());
                check(Libc.getsockname(listener, addr, len), "getsockname");
                int client = check(Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0), "socket");
                check(Libc.connect(client, addr, (int) addr.byteSize()), "connect");
                int server = check(Libc.accept4(listener, MemorySegment.NULL, MemorySegment.NULL,
                        Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC), "accept4");
                setNonBlocking(client);
                Libc.setIntOption(client, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1, a);
                Libc.setIntOption(server, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1, a);
                return new int[] {client, server};
            } finally {
                Libc.close(listener);
            }
        }
    }

    private static void setNonBlocking(int fd) {
        int flags = check(Libc.fcntl(fd, Libc.F_GETFL, 0), "fcntl(F_GETFL)");
        check(Libc.fcntl(fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK), "fcntl(F_SETFL)");
    }

    /** A blocking pipe: [read end, write end]; ops on it wait instead of failing with EAGAIN. */
    public static int[] blockingPipe() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            check(Libc.pipe2(fds, Libc.O_CLOEXEC), "pipe2");
            return new int[] {fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4)};
        }
    }

    /** Writes bytes; returns what the kernel took (or -errno). */
    public static long write(int fd, byte... bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, bytes.length);
            return Libc.write(fd, buf, bytes.length);
        }
    }

    /** Reads up to max bytes; returns them, or null on EAGAIN; throws on another error. */
    public static byte[] read(int fd, int max) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(max);
            long n = Libc.read(fd, buf, max);
            if (n == -Errno.EAGAIN) return null;
            check(n, "read");
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** Reads and returns -errno or the count, for tests that expect an error. */
    public static long readResult(int fd, int max) {
        try (Arena a = Arena.ofConfined()) {
            return Libc.read(fd, a.allocate(max), max);
        }
    }


    /**
     * A non-blocking TCP socket whose connect to a loopback port nobody listens on has failed:
     * the kernel holds ECONNREFUSED in SO_ERROR (a pending socket error) once the RST arrived.
     */
    public static int refusedConnect() {
        try (Arena a = Arena.ofConfined()) {
            int probe = check(Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0), "socket");
            MemorySegment addr = Libc.sockaddrIn(a, Libc.INADDR_LOOPBACK, 0);
            int port;
            try {
                check(Libc.bind(probe, addr, (int) addr.byteSize()), "bind");
                MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
                len.set(ValueLayout.JAVA_INT, 0, (int) addr.byteSize());
                check(Libc.getsockname(probe, addr, len), "getsockname");
                port = Libc.port(addr);
            } finally {
                Libc.close(probe); // bound but never listening: the port now refuses connections
            }
            int fd = check(Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0), "socket");
            int rc = Libc.connect(fd, Libc.sockaddrIn(a, Libc.INADDR_LOOPBACK, port), (int) addr.byteSize());
            if (rc != -Errno.EINPROGRESS && rc != -Errno.ECONNREFUSED) {
                Libc.close(fd);
                throw new IllegalStateException("connect to closed port " + port + " gave " + rc);
            }
            return fd;
        }
    }

    /** getsockopt(SO_ERROR): the pending socket error (cleared by reading it), 0 if none. */
    public static int soError(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, 4);
            check(Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ERROR, v, len), "getsockopt(SO_ERROR)");
            return v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Reads until EAGAIN or EOF; returns how many bytes were read. */
    public static long drain(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(4096);
            long total = 0;
            while (true) {
                long n = Libc.read(fd, buf, buf.byteSize());
                if (n <= 0) return total;
                total += n;
            }
        }
    }

    /** SO_LINGER {on, 0}: the next close sends RST instead of FIN. */
    public static void lingerZero(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment l = a.allocate(Libc.LINGER);
            l.set(ValueLayout.JAVA_INT, 0, 1);
            l.set(ValueLayout.JAVA_INT, 4, 0);
            check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, l, (int) l.byteSize()), "setsockopt(SO_LINGER)");
        }
    }

    /** Closes with RST: SO_LINGER 0 then close. */
    public static void reset(int fd) {
        lingerZero(fd);
        close(fd);
    }

    public static void close(int fd) {
        Libc.close(fd);
    }

    public static void shutdown(int fd, int how) {
        check(Libc.shutdown(fd, how), "shutdown");
    }

    /** Fills a blocking or non-blocking socket's send buffer until it is full (MSG_DONTWAIT). */
    public static long fillSocket(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(65536);
            long total = 0;
            while (true) {
                long n = Libc.send(fd, buf, buf.byteSize(), Libc.MSG_DONTWAIT);
                if (n < 0) return total;
                total += n;
            }
        }
    }

    /** Fills the socket's send buffer until the kernel refuses more. */
    public static long fill(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(65536);
            long total = 0;
            while (true) {
                long n = Libc.write(fd, buf, buf.byteSize());
                if (n < 0) return total;
                total += n;
            }
        }
    }

    /** How many fds this process has open, from /proc/self/fd. */
    public static int openFdCount() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether fd is open in this process. */
    public static boolean isOpen(int fd) {
        return Files.exists(Path.of("/proc/self/fd/" + fd));
    }
}
