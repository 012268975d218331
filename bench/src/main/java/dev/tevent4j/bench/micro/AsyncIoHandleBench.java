package dev.tevent4j.bench.micro;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.EventLoop;
import dev.tevent4j.IoCompletion;
import dev.tevent4j.IoHandle;
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

import java.util.concurrent.TimeUnit;

/**
 * The low-level path: nops on reusable {@link IoHandle}s, no Request. {@link AsyncIoBench} has
 * the same shapes through Requests, so the two side by side give the price of a Request. On the
 * ring (hybrid, uring) the target is 0 B/op: a handle's op takes a pooled slot and an SQE and
 * its completion is a call. The pool (epoll) still allocates its job and the executor handoff.
 * <ul>
 *   <li>{@link #handleNopOne}: one op at a time on one handle.
 *   <li>{@link #handleNopBatch64}: 64 handles, one nop each, then the loop runs until all 64
 *       completed (one io_uring_enter on the ring); figures are per op.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AsyncIoHandleBench {
    static final int BATCH = 64;

    /** Filled by {@link JmhMain} with every usable backend; "epoll" when run bare. */
    @Param("epoll")
    public String backend;

    private EventLoop loop;
    private final IoHandle[] handles = new IoHandle[BATCH];
    private int completed;
    private long sum;
    private final IoCompletion onDone = (h, res) -> {
        completed++;
        sum += res;
    };

    @Setup
    public void open() {
        loop = EventLoop.open(backend);
        AsyncIo io = loop.io();
        for (int i = 0; i < BATCH; i++) handles[i] = io.handle(onDone);
    }

    @TearDown
    public void close() {
        loop.close();
    }

    private void awaitCompleted(int n) {
        while (completed < n) loop.runOnce();
    }

    @Benchmark
    public long handleNopOne() {
        completed = 0;
        handles[0].nop();
        awaitCompleted(1);
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long handleNopBatch64() {
        completed = 0;
        for (int i = 0; i < BATCH; i++) handles[i].nop();
        awaitCompleted(BATCH);
        return sum;
    }
}
