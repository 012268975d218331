package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * {@code bin/tevent4j echo-client}: N connections on one event loop, each sending M messages
 * one at a time (send, wait for the whole echo, check it, send the next). Prints round trips/s
 * and the latency percentiles from an HdrHistogram.
 */
@Command(name = "echo-client", mixinStandardHelpOptions = true,
        description = "Load client for echo-server: round trips/s and latency percentiles.")
public final class EchoClient implements Callable<Integer> {
    @Option(names = "--backend", description = "Event loop backend (default: -Dtevent4j.backend, else $TEVENT4J_BACKEND, else the default of `bin/tevent4j backends`).")
    String backend;
    @Option(names = "--host", description = "IPv4 address of the server (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;
    @Option(names = "--port", description = "Server port (default: ${DEFAULT-VALUE}).", defaultValue = "7777")
    int port;
    @Option(names = {"-c", "--connections"}, description = "Connections (default: ${DEFAULT-VALUE}).", defaultValue = "16")
    int connections;
    @Option(names = {"-n", "--messages"}, description = "Messages per connection (default: ${DEFAULT-VALUE}).", defaultValue = "10000")
    int messages;
    @Option(names = {"-s", "--size"}, description = "Message size in bytes (default: ${DEFAULT-VALUE}).", defaultValue = "64")
    int size;

    /** What a run measured. */
    public record Result(long roundTrips, double seconds, Histogram latencyNanos, int failedConnections, String backend) {
        public double perSecond() {
            return roundTrips / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        Result r = run();
        Histogram h = r.latencyNanos();
        System.out.printf("echo-client: %d round trips in %.3f s = %.0f round trips/s (%d connections x %d messages x %d B, backend %s)%n",
                r.roundTrips(), r.seconds(), r.perSecond(), connections, messages, size, r.backend());
        System.out.printf("latency us: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
        if (r.failedConnections() > 0) {
            System.err.printf("echo-client: %d connection(s) failed%n", r.failedConnections());
            return 1;
        }
        return 0;
    }

    /** Runs the load on a loop opened on the calling thread. */
    public Result run() throws IOException {
        BackendChoice be = BackendChoice.resolve(backend);
        Net.checkPort(port);
        if (connections < 1) throw new IllegalArgumentException("--connections must be >= 1, got " + connections);
        if (messages < 1) throw new IllegalArgumentException("--messages must be >= 1, got " + messages);
        if (size < 1 || size > 1 << 20) throw new IllegalArgumentException("--size must be 1..1048576, got " + size);
        int addr = Net.ipv4(host);
        Histogram h = new Histogram(3);
        try (EventLoop loop = be.open(); Arena arena = Arena.ofConfined()) {
            MemorySegment message = arena.allocate(size);
            for (int i = 0; i < size; i++) message.set(ValueLayout.JAVA_BYTE, i, (byte) ('a' + i % 26));
            MemorySegment sa = Libc.sockaddrIn(arena, addr, port);
            Client[] clients = new Client[connections];
            long t0 = System.nanoTime();
            for (int i = 0; i < connections; i++) clients[i] = new Client(loop, arena, sa, message, h);
            loop.run(); // until every connection closed its event
            double secs = (System.nanoTime() - t0) / 1e9;
            long total = 0;
            int failed = 0;
            for (Client c : clients) {
                total += c.done;
                if (c.error == null && c.done < messages) c.error = "connection ended after " + c.done + " messages";
                if (c.error != null) {
                    failed++;
                    if (failed == 1) System.err.println("echo-client: " + c.error);
                }
            }
            return new Result(total, secs, h, failed, loop.backendName());
        }
    }

    /** One connection's state machine: connecting, sending, reading the echo. */
    private final class Client {
        final int fd;
        final FdEvent fde;
        final MemorySegment message, echo;
        final Histogram h;
        boolean connected;
        long sent, got, sentAt;
        int done;
        String error;

        Client(EventLoop loop, Arena arena, MemorySegment sa, MemorySegment message, Histogram h) throws IOException {
            this.message = message;
            this.echo = arena.allocate(size);
            this.h = h;
            fd = Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) throw new dev.tevent4j.linux.ErrnoException("socket", -fd);
            int rc = Libc.connect(fd, sa, (int) sa.byteSize());
            if (rc < 0 && rc != -Errno.EINPROGRESS) {
                Libc.close(fd);
                throw new dev.tevent4j.linux.ErrnoException("connect to port " + port, -rc);
            }
            Net.noDelay(fd);
            // WRITE first: writable = connected (or failed, which the first write reports).
            fde = loop.addFd(fd, FdEvent.WRITE | FdEvent.ERROR, this::onFd);
            fde.setAutoClose(true);
        }

        private void fail(String what, long rc) {
            error = what + ": " + Errno.name((int) -rc);
            fde.close();
        }

        private void onFd(FdEvent e, int flags) {
            if ((flags & FdEvent.ERROR) != 0) { // tevent's TEVENT_FD_ERROR: refused, reset, hung up
                int err = Net.soError(fd);
                error = err != 0 ? "connection failed: " + Errno.name(err) : "connection hung up";
                e.close();
                return;
            }
            if ((flags & FdEvent.WRITE) != 0) {
                if (!connected) {
                    connected = true;
                    sent = 0;
                    sentAt = System.nanoTime();
                }
                long w = Libc.write(fd, message.asSlice(sent), size - sent);
                if (w == -Errno.EAGAIN) return;
                if (w < 0) { fail("write", w); return; }
                sent += w;
                if (sent == size) e.setFlags(FdEvent.READ | FdEvent.ERROR);
                return;
            }
            long n = Libc.read(fd, echo.asSlice(got), size - got);
            if (n == -Errno.EAGAIN) return;
            if (n == 0) { error = "server closed the connection"; e.close(); return; }
            if (n < 0) { fail("read", n); return; }
            got += n;
            if (got < size) return;
            long now = System.nanoTime();
            h.recordValue(now - sentAt);
            if (echo.mismatch(message) != -1) { error = "echo differs from the message"; e.close(); return; }
            got = 0;
            if (++done == messages) { e.close(); return; }
            sentAt = now;
            long w = Libc.write(fd, message, size);
            if (w < 0 && w != -Errno.EAGAIN) { fail("write", w); return; }
            sent = Math.max(0, w);
            if (sent < size) e.setFlags(FdEvent.WRITE | FdEvent.ERROR); // rare: the rest goes when writable
        }
    }
}
