package dev.tevent4j.bench.micro;

import dev.tevent4j.EventLoop;
import dev.tevent4j.Immediate;
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
 * Immediate dispatch. Two shapes, because one loop iteration always ends in a poll of the
 * kernel (a syscall, ~80-100 ns here):
 * <ul>
 *   <li>{@link #batchOf1000}: 1000 immediates scheduled, one iteration runs them all; the
 *       poll is shared by 1000, so this is the dispatch cost the ">= 20 M immediates/s"
 *       target is about;
 *   <li>{@link #onePerIteration}: schedule one, run one iteration: dispatch plus a whole
 *       iteration, the cost a lone immediate really pays.
 * </ul>
 * The immediates are created once and rescheduled: the steady state must not allocate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ImmediateBench {
    static final int BATCH = 1000;

    /** Filled by {@link Backends#all()} when jmh.sh runs; "epoll" when run bare. */
    @Param("epoll")
    public String backend;

    private EventLoop loop;
    private Immediate[] batch;
    private Immediate single;
    private long ran;

    @Setup
    public void open() {
        // Scope.Thread: JMH runs this on the benchmark thread, which thereby owns the loop.
        loop = EventLoop.open(backend);
        Runnable count = () -> ran++;
        batch = new Immediate[BATCH];
        for (int i = 0; i < BATCH; i++) {
            batch[i] = loop.newImmediate(count);
        }
        single = loop.newImmediate(count);
    }

    @TearDown
    public void close() {
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batchOf1000() {
        for (Immediate im : batch) {
            im.schedule();
        }
        loop.runOnce();
        return ran;
    }

    @Benchmark
    public long onePerIteration() {
        single.schedule();
        loop.runOnce();
        return ran;
    }
}
