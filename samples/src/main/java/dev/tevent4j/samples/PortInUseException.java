package dev.tevent4j.samples;

import java.io.IOException;

/**
 * A server's port is held by another socket, of another process or of this one: the server
 * refuses to start rather than join it (see {@link Net#listenFirst}).
 */
public final class PortInUseException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int port;

    /** For {@code port} on the IPv4 address {@code addressHostOrder}, whose bind failed with EADDRINUSE. */
    public PortInUseException(int addressHostOrder, int port) {
        super("port " + port + " on " + Net.ipv4Text(addressHostOrder) + " is in use by another socket (bind: EADDRINUSE);"
                + " stop what listens there or choose another --port");
        this.port = port;
    }

    /** The port that was refused. */
    public int port() {
        return port;
    }
}
