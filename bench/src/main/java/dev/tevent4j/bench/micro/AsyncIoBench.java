package dev.tevent4j.bench.micro;

import dev.tevent4j.EventLoop;
import dev.tevent4j.Request;
import dev.tevent4j.io.AsyncIo;
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

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@link AsyncIo} through a loop: {@code nop()} and 4 KiB {@code read()}s of a file in the page
 * cache (in /dev/shm when it exists, else the temp directory; read once in setup so every read
 * is a copy from memory). The {@code backend} parameter picks the implementation: "hybrid"
 * (and later "uring") is the io_uring ring, "epoll" is the thread pool (a worker does the
 * syscall, the result comes back through the loop's executor and its eventfd).
 * <ul>
 *   <li>{@code *One}: one op at a time: submit, run the loop until it completed. The latency of
 *       a lone op, loop iterations and wakeups included.
 *   <li>{@code *Batch64}: 64 submitted, then the loop runs until all 64 completed; the ring
 *       submits them in one io_uring_enter, the pool spreads them over its workers. Figures are
 *       per op.
 * </ul>
 * Every op returns a new {@link Request} (the API's contract), so B/op is not zero here: it is
 * the price of a request object and, on the pool, its job and the executor handoff.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AsyncIoBench {
    static final int BATCH = 64;
    static final int BLOCK = 4096;

    /** Filled by {@link JmhMain} with every usable backend; "epoll" when run bare. */
    @Param("epoll")
    public String backend;

    private EventLoop loop;
    private AsyncIo io;
    private Arena arena;
    private Path file;
    private int fd;
    private MemorySegment[] bufs;
    @SuppressWarnings("unchecked")
    private final Request<Integer>[] inFlight = new Request[BATCH];

    @Setup
    public void open() throws IOException {
        loop = EventLoop.open(backend);
        io = loop.io();
        arena = Arena.ofConfined();
        Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        file = Files.createTempFile(dir, "tevent4j-asyncio-bench", ".bin");
        byte[] data = new byte[BATCH * BLOCK];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        Files.write(file, data);
        fd = Libc.openat(Libc.AT_FDCWD, arena.allocateFrom(file.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0) throw new IOException("open " + file + ": " + fd);
        bufs = new MemorySegment[BATCH];
        for (int i = 0; i < BATCH; i++) {
            bufs[i] = arena.allocate(BLOCK, BLOCK);
            // Pre-read: the page cache holds the file, the buffer pages are faulted in.
            if (Libc.pread(fd, bufs[i], BLOCK, (long) i * BLOCK) != BLOCK) throw new IOException("short pre-read");
        }
    }

    @TearDown
    public void close() throws IOException {
        loop.close();
        Libc.close(fd);
        arena.close();
        Files.deleteIfExists(file);
    }

    private int await(Request<Integer> r) {
        while (r.isInProgress()) {
            loop.runOnce();
        }
        return r.result();
    }

    private int awaitAll() {
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += await(inFlight[i]);
            inFlight[i] = null;
        }
        return sum;
    }

    @Benchmark
    public int nopOne() {
        return await(io.nop());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int nopBatch64() {
        for (int i = 0; i < BATCH; i++) inFlight[i] = io.nop();
        return awaitAll();
    }

    @Benchmark
    public int read4kOne() {
        int n = await(io.read(fd, bufs[0], 0));
        if (n != BLOCK) throw new IllegalStateException("short read " + n);
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int read4kBatch64() {
        for (int i = 0; i < BATCH; i++) inFlight[i] = io.read(fd, bufs[i], (long) i * BLOCK);
        int n = awaitAll();
        if (n != BATCH * BLOCK) throw new IllegalStateException("short reads " + n);
        return n;
    }
}
