package dev.tevent4j.bench.micro;

import dev.tevent4j.epoll.Epoll;
import dev.tevent4j.linux.Libc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of {@link FdPingPongBench}: the same socketpair, the same six syscalls per round
 * trip through the same FFM bindings ({@link Epoll}, {@link Libc}), but no event loop: a bare
 * epoll_wait / read / write sequence. FdPingPongBench minus this is what the loop itself costs;
 * this minus the C twin ({@code bench/native/fd_pingpong.c}) is what FFM costs. It has no
 * backend: it is the floor under all of them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FdPingPongBaselineBench {
    private Arena arena;
    private MemorySegment ready, ctl, byteA, byteB;
    private int epfd, fdA, fdB;

    @Setup
    public void open() {
        arena = Arena.ofConfined();
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        if (Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0, fds) < 0) {
            throw new IllegalStateException("socketpair failed");
        }
        fdA = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
        fdB = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
        epfd = Epoll.epollCreate1(Epoll.EPOLL_CLOEXEC);
        ready = arena.allocate(Epoll.EVENT_SIZE * 16, 8);
        ctl = arena.allocate(Epoll.EVENT_SIZE, 8);
        for (int fd : new int[] {fdA, fdB}) {
            ctl.set(ValueLayout.JAVA_INT, Epoll.EVENTS_OFFSET, Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
            ctl.set(ValueLayout.JAVA_LONG_UNALIGNED, Epoll.DATA_OFFSET, fd);
            Epoll.epollCtl(epfd, Epoll.EPOLL_CTL_ADD, fd, ctl);
        }
        byteA = arena.allocate(1);
        byteB = arena.allocate(1);
    }

    @TearDown
    public void close() {
        Libc.close(fdA);
        Libc.close(fdB);
        Libc.close(epfd);
        arena.close();
    }

    @Benchmark
    public int roundTrip() {
        Libc.write(fdA, byteA, 1);
        int received = 0;
        while (received == 0) {
            int n = Epoll.epollWait(epfd, ready, 16, -1);
            for (int i = 0; i < n; i++) {
                int fd = (int) ready.get(ValueLayout.JAVA_LONG_UNALIGNED, i * Epoll.EVENT_SIZE + Epoll.DATA_OFFSET);
                if (fd == fdB) {
                    if (Libc.read(fdB, byteB, 1) == 1) Libc.write(fdB, byteB, 1);
                } else if (Libc.read(fdA, byteA, 1) == 1) {
                    received = 1;
                }
            }
        }
        return received;
    }
}
