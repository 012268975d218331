package dev.tevent4j.bench.micro;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.linux.Libc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * One byte around a socketpair, both ends watched by the same loop: the benchmark writes on end
 * A, B's handler reads it and writes it back, A's handler reads it. A round trip is two loop
 * iterations (epoll reports B, then A) and six syscalls (write, epoll_wait, read, write,
 * epoll_wait, read): this is the loop's own cost per fd event, with no scheduler in the way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FdPingPongBench {
    @Param("epoll")
    public String backend;

    private EventLoop loop;
    private Arena arena;
    private MemorySegment byteA, byteB;
    private int fdA, fdB;
    private FdEvent eventA, eventB;
    private long sent, received;

    @Setup
    public void open() {
        loop = EventLoop.open(backend);
        arena = Arena.ofConfined();
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        int rc = Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0, fds);
        if (rc < 0) throw new IllegalStateException("socketpair: " + rc);
        fdA = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
        fdB = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
        byteA = arena.allocate(1);
        byteB = arena.allocate(1);
        eventB = loop.addFd(fdB, FdEvent.READ, (fde, flags) -> {
            if (Libc.read(fdB, byteB, 1) == 1) Libc.write(fdB, byteB, 1);
        });
        eventA = loop.addFd(fdA, FdEvent.READ, (fde, flags) -> {
            if (Libc.read(fdA, byteA, 1) == 1) received++;
        });
        eventA.setAutoClose(true);
        eventB.setAutoClose(true);
    }

    @TearDown
    public void close() {
        loop.close(); // closes both events, and with them both fds
        arena.close();
    }

    @Benchmark
    public long roundTrip() {
        Libc.write(fdA, byteA, 1);
        sent++;
        while (received < sent) {
            loop.runOnce();
        }
        return received;
    }
}
