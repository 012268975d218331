package dev.tevent4j.samples;

import dev.tevent4j.linux.Libc;

/**
 * Several non-blocking SO_REUSEPORT listening sockets on one port, one per loop thread: the
 * kernel spreads new connections over them, so the loops share no accept queue or lock.
 *
 * @param fds  the listening sockets; each goes to one loop, which closes it
 * @param port the port they are bound to (the one picked when 0 was asked for)
 */
public record ReusePortSockets(int[] fds, int port) {
    /**
     * Opens {@code n} sockets on {@code port} (0: a free one); on failure closes those already
     * open.
     *
     * @throws PortInUseException when another socket, of this process or another, holds the port
     */
    public static ReusePortSockets open(int addressHostOrder, int port, int n) throws Exception {
        int[] fds = new int[n];
        java.util.Arrays.fill(fds, -1);
        try {
            // The first socket claims the port (or picks one for 0), refused if another socket
            // holds it; only then do the others join it through SO_REUSEPORT.
            fds[0] = Net.listenFirst(addressHostOrder, port);
            int bound = Net.localPort(fds[0]);
            for (int i = 1; i < n; i++) fds[i] = Net.listenJoining(addressHostOrder, bound);
            return new ReusePortSockets(fds, bound);
        } catch (Exception e) {
            for (int fd : fds) if (fd >= 0) Libc.close(fd);
            throw e;
        }
    }
}
