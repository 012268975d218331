package dev.tevent4j.uring;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.TracePoint;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The fixed run behind bench/uring-syscalls.sh: {@code rounds} one-byte ping-pong round trips
 * over a socketpair between two FdEvents on one loop. Each direction is one loop iteration, so a
 * round trip is two iterations; the script divides strace's syscall counts by the rounds.
 *
 * <p>Usage: {@code PingPong <backend> <rounds>}; prints rounds, iterations and elapsed time.
 */
public final class PingPong {
    private PingPong() {
    }

    public static void main(String[] args) {
        String backend = args.length > 0 ? args[0] : "uring";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        try (Arena arena = Arena.ofConfined(); EventLoop loop = EventLoop.open(backend)) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            if (Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0, fds) < 0) {
                throw new IllegalStateException("socketpair failed");
            }
            int a = fds.get(ValueLayout.JAVA_INT, 0), b = fds.get(ValueLayout.JAVA_INT, 4);
            MemorySegment buf = arena.allocate(1);
            int[] done = {0};
            long[] iterations = {0};
            loop.setTraceCallback(p -> {
                if (p == TracePoint.BEFORE_WAIT) iterations[0]++;
            });
            FdEvent pong = loop.addFd(b, FdEvent.READ, (f, x) -> {
                Libc.read(b, buf, 1);
                Libc.write(b, buf, 1);
            });
            FdEvent ping = loop.addFd(a, FdEvent.READ, (f, x) -> {
                Libc.read(a, buf, 1);
                if (++done[0] < rounds) Libc.write(a, buf, 1);
            });
            pong.setAutoClose(true);
            ping.setAutoClose(true);
            long t0 = System.nanoTime();
            Libc.write(a, buf, 1);
            loop.runUntil(() -> done[0] >= rounds);
            long ns = System.nanoTime() - t0;
            System.out.printf("backend=%s rounds=%d iterations=%d ns_per_round=%d%n", backend, rounds, iterations[0], ns / rounds);
            ping.close();
            pong.close();
        }
    }
}
