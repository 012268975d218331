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

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@link AsyncIo#read} of 4 KiB from a file in the page cache (read once in setup, so every read
 * is a copy from memory), through a loop; "hybrid" is the io_uring ring, "epoll" the thread
 * pool. {@link AsyncIoBench} has the same two shapes for {@code nop()}:
 * <ul>
 *   <li>{@link #read4kOne}: one read at a time (submit, run the loop until it completed);
 *   <li>{@link #read4kBatch64}: 64 reads of 64 different blocks in flight, then the loop runs
 *       until all completed. Figures are per read.
 * </ul>
 * The {@code fs} parameter puts the file in the temp directory ("tmp": ext4 here) or in
 * /dev/shm ("shm": tmpfs). They differ for the ring: on kernel 6.18 an io_uring read of a tmpfs
 * file is not done inline by the submitting io_uring_enter but handed to an io-wq kernel thread
 * (an {@code iou-wrk} thread appears), so it completes later through task work, while an ext4
 * page-cache read completes inline. B/op is the request (and the pool's job) per read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AsyncIoReadBench {
    static final int BATCH = 64;
    static final int BLOCK = 4096;

    /** Filled by {@link JmhMain} with every usable backend; "epoll" when run bare. */
    @Param("epoll")
    public String backend;

    /** Where the file lives: "tmp" (java.io.tmpdir) or "shm" (/dev/shm). */
    @Param({"tmp", "shm"})
    public String fs;

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
        // Shared: on the epoll backend a pool thread does the read (a confined segment would
        // fail there with WrongThreadException).
        arena = Arena.ofShared();
        Path dir = Path.of("shm".equals(fs) ? "/dev/shm" : System.getProperty("java.io.tmpdir"));
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
