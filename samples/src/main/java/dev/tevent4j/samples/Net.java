package dev.tevent4j.samples;

import dev.tevent4j.linux.Errno;
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
     * The first listening socket of a group that shares a port through SO_REUSEPORT, bound so
     * that the port is refused when any other socket holds it. The bind is made WITHOUT
     * SO_REUSEPORT, which the kernel refuses with EADDRINUSE while any socket is bound to the
     * port, even one that set SO_REUSEPORT itself (a server of the same user would otherwise be
     * joined silently, and the two would split each other's connections). SO_REUSEPORT is set
     * after the bind and before listen: the kernel forms the reuseport group at listen, so the
     * sockets of {@link #listenJoining} still share the port with this one. SO_REUSEADDR lets a
     * restart bind over connections of the previous run still in TIME_WAIT. Non-blocking, so
     * that accept4 returns EAGAIN when drained.
     *
     * @param port the port, or 0 for a free one ({@link #localPort} says which)
     * @throws PortInUseException when another socket holds the port
     */
    public static int listenFirst(int addressHostOrder, int port) throws IOException {
        return listen(addressHostOrder, port, false);
    }

    /**
     * Another listening socket on the port of a {@link #listenFirst} socket: SO_REUSEPORT set
     * before the bind joins the group, and the kernel spreads new connections over the group's
     * sockets (no shared accept queue or lock, no thundering herd). Non-blocking.
     */
    public static int listenJoining(int addressHostOrder, int port) throws IOException {
        return listen(addressHostOrder, port, true);
    }

    private static int listen(int addressHostOrder, int port, boolean joining) throws IOException {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, 0);
        if (fd < 0) throw new ErrnoException("socket", -fd);
        try (Arena a = Arena.ofConfined()) {
            int rc = Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1, a);
            if (rc == 0 && joining) rc = Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1, a);
            if (rc < 0) throw new ErrnoException("setsockopt", -rc);
            MemorySegment sa = Libc.sockaddrIn(a, addressHostOrder, port);
            rc = Libc.bind(fd, sa, (int) sa.byteSize());
            if (!joining && rc < 0 && Errno.name(-rc).equals("EADDRINUSE")) throw new PortInUseException(addressHostOrder, port);
            if (rc < 0) throw new ErrnoException("bind to port " + port, -rc);
            if (!joining) {
                rc = Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1, a);
                if (rc < 0) throw new ErrnoException("setsockopt(SO_REUSEPORT)", -rc);
            }
            rc = Libc.listen(fd, 1024);
            if (rc < 0) throw new ErrnoException("listen", -rc);
            return fd;
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** "a.b.c.d" for an IPv4 address in host byte order. */
    static String ipv4Text(int addressHostOrder) {
        return (addressHostOrder >>> 24) + "." + (addressHostOrder >>> 16 & 0xff) + "." + (addressHostOrder >>> 8 & 0xff) + "." + (addressHostOrder & 0xff);
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
        return Libc.socketError(fd);
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
}
