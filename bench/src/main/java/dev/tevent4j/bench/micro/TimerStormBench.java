package dev.tevent4j.bench.micro;

import dev.tevent4j.EventLoop;
import dev.tevent4j.TimerHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The "1 M timers armed and fired in under a second" target, as one shot: arm a million new
 * timers through the public API (each one a new TimerEvent, as a user would), then run the loop
 * until the last has fired. Deadlines are 1 ns apart from "now", so all are due by the time
 * arming ends and they fire in arming order.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(1)
public class TimerStormBench {
    @Param("epoll")
    public String backend;

    @Param("1000000")
    public int timers;

    private EventLoop loop;
    private long fired;
    private final TimerHandler count = (te, now) -> fired++;

    @Setup
    public void open() {
        loop = EventLoop.open(backend);
    }

    @TearDown
    public void close() {
        loop.close();
    }

    @Benchmark
    public long armThenFireAll() {
        long start = System.nanoTime();
        long target = fired + timers;
        for (int i = 0; i < timers; i++) {
            loop.addTimerAt(start + i, count);
        }
        while (fired < target) {
            loop.runOnce();
        }
        return fired;
    }
}
