package dev.tevent4j.samples;

import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Socket set-up shared by the sample daemons: raw {@link Libc} calls, errors as exceptions. */
public final class Net {
    private Net() {}

    /** Parses an IPv4 address ("127.0.0.1", "0.0.0.0", "localhost") to host byte order. */
    public static int ipv4(String address) {
        try {
            InetAddress a = InetAddress.getByName(address);
            if (!(a instanceof Inet4Address)) throw new IllegalArgumentException("--bind: not an IPv4 address: " + address);
            byte[] b = a.getAddress();
            return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind: unknown address: " + address);
        }
    }

    /**
     * A listening TCP socket. {@code reusePort} sets SO_REUSEPORT so that several loops can each
     * own a socket on one port and let the kernel spread connections over them (no shared accept
     * lock, no thundering herd). {@code nonBlocking} makes accept4 return EAGAIN when drained.
     */
    public static int listen(int addressHostOrder, int port, boolean reusePort, boolean nonBlocking) throws IOException {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC | (nonBlocking ? Libc.SOCK_NONBLOCK : 0), 0);
        if (fd < 0) throw new ErrnoException("socket", -fd);
        try (Arena a = Arena.ofConfined()) {
            int rc = Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1, a);
            if (rc == 0 && reusePort) rc = Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1, a);
            if (rc < 0) throw new ErrnoException("setsockopt", -rc);
            MemorySegment sa = Libc.sockaddrIn(a, addressHostOrder, port);
            rc = Libc.bind(fd, sa, (int) sa.byteSize());
            if (rc < 0) throw new ErrnoException("bind to port " + port, -rc);
            rc = Libc.listen(fd, 1024);
            if (rc < 0) throw new ErrnoException("listen", -rc);
            return fd;
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** The local port a socket is bound to. */
    public static int localPort(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(Libc.SOCKADDR_IN);
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, (int) sa.byteSize());
            int rc = Libc.getsockname(fd, sa, len);
            if (rc < 0) throw new ErrnoException("getsockname", -rc);
            return Libc.port(sa);
        }
    }

    /** The pending error of a socket (SO_ERROR), 0 when none: how a non-blocking connect reports its outcome. */
    public static int soError(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, 4);
            int rc = Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ERROR, v, len);
            return rc < 0 ? -rc : v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Sets TCP_NODELAY: request/response traffic must not wait for Nagle. */
    public static void noDelay(int fd) {
        try (Arena a = Arena.ofConfined()) {
            Libc.setIntOption(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1, a);
        }
    }

    /** Validates a --port value (0 = ephemeral). */
    public static int checkPort(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        return port;
    }

    /** Validates a --backend value against {@code EventLoop.backends()}, with the list in the message. */
    public static String checkBackend(String backend) {
        var names = dev.tevent4j.EventLoop.backends();
        if (backend == null) return names.getFirst();
        if (!names.contains(backend)) {
            throw new IllegalArgumentException("--backend " + backend + " is not usable here; usable: " + String.join(", ", names));
        }
        return backend;
    }
}
