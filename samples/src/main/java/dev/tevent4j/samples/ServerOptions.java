package dev.tevent4j.samples;

import picocli.CommandLine.Option;

/**
 * The options every sample server takes (picocli mixin): backend, port, bind address and loop
 * thread count. Only the default port differs between servers, so it is a constructor argument;
 * picocli shows and restores the field's initial value as the default.
 */
public final class ServerOptions {
    @Option(names = "--backend", description = "Event loop backend (default: the first of `bin/tevent4j backends`).")
    String backend;
    @Option(names = "--port", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--bind", description = "IPv4 address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String bind = "127.0.0.1";
    @Option(names = "--threads", description = "Loop threads (default: the number of CPUs).")
    int threads = Runtime.getRuntime().availableProcessors();

    /** Options whose --port defaults to {@code defaultPort}. */
    public ServerOptions(int defaultPort) {
        this.port = defaultPort;
    }

    /** Validates backend, port and thread count (in that order); returns the backend to open. */
    public String check() {
        String be = Net.checkBackend(backend);
        Net.checkPort(port);
        if (threads < 1 || threads > 1024) throw new IllegalArgumentException("--threads must be 1..1024, got " + threads);
        return be;
    }

    /** One SO_REUSEPORT listening socket per loop thread, on --bind and --port. */
    public ReusePortSockets listen() throws Exception {
        return ReusePortSockets.open(Net.ipv4(bind), port, threads);
    }
}
