package dev.tevent4j.bench.micro;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.EventLoop;
import dev.tevent4j.RegisteredBuffers;
import dev.tevent4j.Request;
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

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A 4 KiB read of a tmpfs file (/dev/shm, in the page cache) into a plain buffer
 * ({@link AsyncIo#read}, IORING_OP_READ) against the same read into a registered buffer
 * ({@link RegisteredBuffers#read}, IORING_OP_READ_FIXED, which skips pinning and mapping the
 * buffer's page per op), one read at a time through the loop. On "hybrid" and "uring" it is the
 * ring; on "epoll" both are the thread pool's pread and should not differ. No figures are
 * recorded for it yet (docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RegisteredBufferReadBench {
    static final int BLOCK = 4096;

    /** Filled by {@link JmhMain} with every usable backend; "hybrid" when run bare. */
    @Param("hybrid")
    public String backend;

    private EventLoop loop;
    private AsyncIo io;
    private Arena arena;
    private Path file;
    private int fd;
    private MemorySegment plain;
    private RegisteredBuffers registered;

    @Setup
    public void open() throws IOException {
        loop = EventLoop.open(backend);
        io = loop.io();
        arena = Arena.ofShared(); // the pool's workers read into it on epoll
        file = Files.createTempFile(Path.of("/dev/shm"), "tevent4j-regbuf-bench", ".bin");
        byte[] data = new byte[BLOCK];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        Files.write(file, data);
        fd = Libc.openat(Libc.AT_FDCWD, arena.allocateFrom(file.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0) throw new IOException("open " + file + ": " + fd);
        plain = arena.allocate(BLOCK, BLOCK);
        registered = io.registerBuffers(1, BLOCK);
        // Warm both: the page cache holds the file, the buffer pages are faulted in.
        if (Libc.pread(fd, plain, BLOCK, 0) != BLOCK || Libc.pread(fd, registered.buffer(0), BLOCK, 0) != BLOCK) {
            throw new IOException("short pre-read");
        }
    }

    @TearDown
    public void close() throws IOException {
        registered.close();
        loop.close();
        Libc.close(fd);
        arena.close();
        Files.deleteIfExists(file);
    }

    private int await(Request<Integer> r) {
        while (r.isInProgress()) {
            loop.runOnce();
        }
        int n = r.result();
        if (n != BLOCK) throw new IllegalStateException("short read " + n);
        return n;
    }

    @Benchmark
    public int read4k() {
        return await(io.read(fd, plain, 0));
    }

    @Benchmark
    public int readFixed4k() {
        return await(registered.read(fd, 0, BLOCK, 0));
    }
}
