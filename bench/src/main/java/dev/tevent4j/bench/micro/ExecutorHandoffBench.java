package dev.tevent4j.bench.micro;

import dev.tevent4j.EventLoop;
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

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Handing work to the loop from another thread through {@link EventLoop#executor()}. The JMH
 * thread is the producer; the loop runs on its own thread, started in setup. The runnable is one
 * preallocated instance, so any allocation measured is the handoff's own.
 * <ul>
 *   <li>{@link #batchOf1000}: submit 1000, then wait until the loop ran them all. The loop is
 *       mostly awake, so this is the queue's cost, plus a wakeup now and then;
 *   <li>{@link #oneAndWait}: submit one and wait for it: each one finds the loop asleep in
 *       epoll_wait, so it pays the eventfd wakeup (and, on 2 vCPUs, a cross-CPU wake).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ExecutorHandoffBench {
    static final int BATCH = 1000;

    @Param("epoll")
    public String backend;

    private final AtomicLong done = new AtomicLong();
    private final Runnable task = () -> done.lazySet(done.get() + 1); // only the loop thread writes
    private long submitted;
    private Executor executor;
    private Thread loopThread;
    private volatile boolean stop;

    @Setup
    public void start() throws InterruptedException {
        CountDownLatch opened = new CountDownLatch(1);
        Executor[] holder = new Executor[1];
        RuntimeException[] failure = new RuntimeException[1];
        loopThread = Thread.ofPlatform().name("tevent4j-loop").start(() -> {
            try (EventLoop loop = EventLoop.open(backend)) {
                // A far timer keeps run-style looping alive while nothing else is registered.
                loop.addTimer(Duration.ofDays(1), (te, now) -> { });
                holder[0] = loop.executor();
                opened.countDown();
                loop.runUntil(() -> stop);
            } catch (RuntimeException e) {
                failure[0] = e;
                opened.countDown();
            }
        });
        opened.await();
        if (failure[0] != null) throw failure[0];
        executor = holder[0];
    }

    @TearDown
    public void stop() throws InterruptedException {
        executor.execute(() -> stop = true);
        loopThread.join();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batchOf1000() {
        for (int i = 0; i < BATCH; i++) {
            executor.execute(task);
        }
        submitted += BATCH;
        awaitAll();
        return submitted;
    }

    @Benchmark
    public long oneAndWait() {
        executor.execute(task);
        submitted++;
        awaitAll();
        return submitted;
    }

    /**
     * Spins briefly, then yields: on a 2-vCPU machine a pure spin can sit on the loop's CPU and
     * starve the very thread it waits for.
     */
    private void awaitAll() {
        for (int spins = 0; done.get() < submitted; spins++) {
            if (spins < 200) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
