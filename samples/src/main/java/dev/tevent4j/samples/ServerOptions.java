package dev.tevent4j.samples;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The options every sample server takes (picocli mixin): backend, port, bind address, loop
 * thread count and the idle timeout. Only the defaults of the port and the idle timeout differ
 * between servers, so they are constructor arguments; picocli shows and restores the field's
 * initial value as the default.
 */
public final class ServerOptions {
    /** The idle timeout when a server does not choose one: nginx's range, at most 60 s. */
    public static final Timeout DEFAULT_IDLE = Timeout.ofSeconds(60);

    @Option(names = "--backend", description = "Event loop backend (default: -Dtevent4j.backend, else $TEVENT4J_BACKEND, else the default of `bin/tevent4j backends`).")
    String backend;
    @Option(names = "--port", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--bind", description = "IPv4 address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String bind = "127.0.0.1";
    @Option(names = "--threads", description = "Loop threads (default: the number of CPUs).")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--idle-timeout", paramLabel = "TIME", converter = Timeout.Converter.class,
            description = "Close a connection that has been idle (no request under way) this long: 500ms, 30s, 1m; 0 = never (default: ${DEFAULT-VALUE}).")
    Timeout idleTimeout;
    @Option(names = "--io", paramLabel = "fd|ring",
            description = "How to accept (and, in echo-server, read): fd = accept4/read on FdEvents, ring = multishot ops of the loop's AsyncIo (default: ring where the AsyncIo is io_uring, else fd).")
    IoMode io;

    /** The --io choice. */
    public enum IoMode { fd, ring }

    /** Whether to use the multishot ring path on {@code loop}: --io, else whether its AsyncIo is io_uring. */
    public boolean ringIo(dev.tevent4j.EventLoop loop) {
        if (io != null) return io == IoMode.ring;
        return "io_uring".equals(loop.io().kind()) && loop.io().supports(dev.tevent4j.AsyncIo.Op.ACCEPT_MULTISHOT)
                && loop.io().supports(dev.tevent4j.AsyncIo.Op.RECV_MULTISHOT);
    }

    /** Options whose --port defaults to {@code defaultPort} and --idle-timeout to {@link #DEFAULT_IDLE}. */
    public ServerOptions(int defaultPort) {
        this(defaultPort, DEFAULT_IDLE);
    }

    /** Options whose --port defaults to {@code defaultPort} and --idle-timeout to {@code defaultIdle}. */
    public ServerOptions(int defaultPort, Timeout defaultIdle) {
        this.port = defaultPort;
        this.idleTimeout = defaultIdle;
    }

    /** Validates backend, port and thread count (in that order); returns the backend to open. */
    public BackendChoice check() {
        BackendChoice be = BackendChoice.resolve(backend);
        Net.checkPort(port);
        if (threads < 1 || threads > 1024) throw new IllegalArgumentException("--threads must be 1..1024, got " + threads);
        return be;
    }

    /**
     * One SO_REUSEPORT listening socket per loop thread, on --bind and --port.
     *
     * @throws PortInUseException when another socket (of any process) holds the port
     */
    public ReusePortSockets listen() throws Exception {
        return ReusePortSockets.open(Net.ipv4(bind), port, threads);
    }

    /**
     * A timeout flag's value, in nanoseconds; 0 means none. Written and shown as nginx writes
     * times ({@code 500ms}, {@code 20s}, {@code 1m}) so that {@code --help} reads naturally.
     */
    public record Timeout(long nanos) {
        /** Longest accepted timeout: an hour; anything longer is as good as none and probably a typo. */
        static final long MAX_NANOS = TimeUnit.HOURS.toNanos(1);

        public Timeout {
            if (nanos < 0 || nanos > MAX_NANOS) throw new IllegalArgumentException("a timeout must be 0..1h, got " + nanos + " ns");
        }

        public static Timeout ofSeconds(long s) {
            return new Timeout(TimeUnit.SECONDS.toNanos(s));
        }

        public static Timeout ofMillis(long ms) {
            return new Timeout(TimeUnit.MILLISECONDS.toNanos(ms));
        }

        /** Whether the timeout is on (not 0). */
        public boolean enabled() {
            return nanos > 0;
        }

        /**
         * Parses {@code 250ms}, {@code 20s}, {@code 2m}, {@code 1h} or a bare number of seconds;
         * {@code 0} turns the timeout off.
         *
         * @throws IllegalArgumentException naming the text, for anything else or a value over 1h
         */
        public static Timeout parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            TimeUnit unit = TimeUnit.SECONDS;
            String digits = t;
            if (t.endsWith("ms")) { unit = TimeUnit.MILLISECONDS; digits = t.substring(0, t.length() - 2); }
            else if (t.endsWith("s")) digits = t.substring(0, t.length() - 1);
            else if (t.endsWith("m")) { unit = TimeUnit.MINUTES; digits = t.substring(0, t.length() - 1); }
            else if (t.endsWith("h")) { unit = TimeUnit.HOURS; digits = t.substring(0, t.length() - 1); }
            long n;
            try {
                n = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || !digits.chars().allMatch(Character::isDigit) || unit.toNanos(n) > MAX_NANOS) {
                throw new IllegalArgumentException("bad timeout '" + text + "': want 0..1h, e.g. 500ms, 20s, 1m");
            }
            return new Timeout(unit.toNanos(n));
        }

        /** As {@link #parse} reads it: whole seconds as {@code Ns}, else {@code Nms}. */
        @Override
        public String toString() {
            if (nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + "s";
            return TimeUnit.NANOSECONDS.toMillis(nanos) + "ms";
        }

        /** picocli's converter for timeout flags. */
        public static final class Converter implements ITypeConverter<Timeout> {
            @Override
            public Timeout convert(String value) {
                return parse(value);
            }
        }
    }
}
