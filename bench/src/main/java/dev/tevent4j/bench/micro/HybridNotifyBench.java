package dev.tevent4j.bench.micro;

import dev.tevent4j.EventLoop;
import dev.tevent4j.Request;
import dev.tevent4j.AsyncIo;
import dev.tevent4j.linux.Libc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The hybrid backend's two ways of learning of ring completions, side by side
 * ({@code -Dtevent4j.hybrid.notify}, read when the backend's poller is created, so the
 * {@code notify} parameter sets it just before the loop opens; JMH forks a JVM per parameter
 * combination, so one mode never leaks into the other):
 * <ul>
 *   <li>{@code eventfd}: DEFER_TASKRUN ring, a registered eventfd in epoll;
 *   <li>{@code ringfd}: no DEFER_TASKRUN, the ring fd in epoll (completions as EINTR/readable).
 * </ul>
 * Three round trips, one op at a time (submit, run the loop until it completed):
 * <ul>
 *   <li>{@link #nop}: IORING_OP_NOP, completed inline by the submitting io_uring_enter;
 *   <li>{@link #read4k}: 4 KiB pread of a file in the page cache (temp dir, ext4 here), also
 *       completed inline;
 *   <li>{@link #pipeRead}: a 1-byte read on an empty (blocking) pipe, so the kernel parks it
 *       on the pipe's poll queue; in the next iteration an fd handler of the same loop writes
 *       the byte, and the read completes through task work: the asynchronous completion path
 *       (what wakes a sleeping loop), without another thread or CPU in the way.
 * </ul>
 * and {@link #nopBatch64}: 64 NOPs per io_uring_enter. The cross-thread wakeup of a loop asleep
 * in epoll_wait is not measured here: on these 2-vCPU VMs it is dominated by the ~45 us vCPU
 * wake (docs/benchmarks.md, "ping-pong"), whatever the notification.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HybridNotifyBench {
    static final int BATCH = 64;
    static final int BLOCK = 4096;

    @Param({"eventfd", "ringfd"})
    public String notify;

    private EventLoop loop;
    private AsyncIo io;
    private Arena arena;
    private Path file;
    private int fd, pipeR, pipeW;
    private MemorySegment buf, one;
    private boolean armed;
    @SuppressWarnings("unchecked")
    private final Request<Integer>[] inFlight = new Request[BATCH];

    @Setup
    public void open(BenchmarkParams params) throws IOException {
        System.setProperty("tevent4j.hybrid.notify", notify);
        loop = EventLoop.open("hybrid");
        io = loop.io();
        if (!"io_uring".equals(io.kind())) throw new IllegalStateException("hybrid without a ring: " + io.kind());
        arena = Arena.ofConfined();
        // Not /dev/shm: a tmpfs read is handed to an io-wq thread (see AsyncIoBench), while an
        // ext4 page-cache read completes inline, which is the case this benchmark wants.
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        file = Files.createTempFile(dir, "tevent4j-notify-bench", ".bin");
        Files.write(file, new byte[BLOCK]);
        fd = Libc.openat(Libc.AT_FDCWD, arena.allocateFrom(file.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0) throw new IOException("open " + file + ": " + fd);
        buf = arena.allocate(BLOCK, BLOCK);
        if (Libc.pread(fd, buf, BLOCK, 0) != BLOCK) throw new IOException("short pre-read");
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) < 0) throw new IOException("pipe2");
        pipeR = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
        pipeW = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
        one = arena.allocate(1);
        if (params.getBenchmark().endsWith(".pipeRead")) {
            // The pipe's write end, watched for WRITE: always ready, so the loop never sleeps in
            // this benchmark; the handler writes the byte once armed, i.e. in the iteration
            // after the one whose io_uring_enter parked the read. Only for pipeRead: the other
            // benchmarks must not pay an fd dispatch per iteration.
            loop.addFd(pipeW, dev.tevent4j.FdEvent.WRITE, (fde, flags) -> {
                if (armed) {
                    armed = false;
                    Libc.write(pipeW, one, 1);
                }
            });
        }
    }

    @TearDown
    public void close() throws IOException {
        loop.close();
        Libc.close(fd);
        Libc.close(pipeR);
        Libc.close(pipeW);
        arena.close();
        Files.deleteIfExists(file);
        System.clearProperty("tevent4j.hybrid.notify");
    }

    private int await(Request<Integer> r) {
        while (r.isInProgress()) {
            loop.runOnce();
        }
        return r.result();
    }

    @Benchmark
    public int nop() {
        return await(io.nop());
    }

    @Benchmark
    public int read4k() {
        return await(io.read(fd, buf, 0));
    }

    @Benchmark
    public int pipeRead() {
        Request<Integer> r = io.read(pipeR, one, -1);
        armed = true;
        int n = await(r);
        if (n != 1) throw new IllegalStateException("pipe read " + n);
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int nopBatch64() {
        for (int i = 0; i < BATCH; i++) inFlight[i] = io.nop();
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += await(inFlight[i]);
            inFlight[i] = null;
        }
        return sum;
    }
}
