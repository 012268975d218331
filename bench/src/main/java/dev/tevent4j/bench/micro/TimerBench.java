package dev.tevent4j.bench.micro;

import dev.tevent4j.EventLoop;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.TimerHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One timer armed and fired, or armed and cancelled, while {@link #liveTimers} - 1 other timers
 * sit armed in the queue (deadlines spread over an hour from now, so none fires during the run).
 * The measured timer is re-armed with {@link TimerEvent#update}: steady state, no allocation.
 * Arm-and-cancel uses deadlines drawn from the same spread, so it walks the heap like a real
 * timeout that is cancelled when its reply arrives.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TimerBench {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final int DEADLINES = 4096;

    @Param("epoll")
    public String backend;

    @Param({"1000", "100000", "1000000"})
    public int liveTimers;

    private EventLoop loop;
    private TimerEvent measured;
    private final long[] deadlines = new long[DEADLINES];
    private int next;
    private long fired;

    @Setup
    public void open() {
        loop = EventLoop.open(backend);
        long base = System.nanoTime() + HOUR;
        SplittableRandom rnd = new SplittableRandom(42);
        TimerHandler never = (te, now) -> {
            throw new AssertionError("a background timer fired during the benchmark");
        };
        for (int i = 1; i < liveTimers; i++) {
            loop.addTimerAt(base + rnd.nextLong(HOUR), never);
        }
        for (int i = 0; i < DEADLINES; i++) {
            deadlines[i] = base + rnd.nextLong(HOUR);
        }
        measured = loop.addTimerAt(base, (te, now) -> fired++);
        measured.cancel();
    }

    @TearDown
    public void close() {
        loop.close();
    }

    /** Armed with a deadline already past, so the next iteration fires it. */
    @Benchmark
    public long armAndFire() {
        measured.update(0);
        loop.runOnce();
        return fired;
    }

    @Benchmark
    public boolean armAndCancel() {
        measured.update(deadlines[next++ & (DEADLINES - 1)]);
        measured.cancel();
        return measured.isActive();
    }
}
