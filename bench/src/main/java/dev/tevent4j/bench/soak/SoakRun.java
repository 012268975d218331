package dev.tevent4j.bench.soak;

import dev.tevent4j.EventLoop;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.TimerHandler;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The soak of one backend in this JVM: every kind of traffic at once on one loop, in phases
 * driven by a 10 ms control timer (which also keeps the loop running while only the executor
 * has work): warm-up, then the "start" reading of fds, threads and RSS, the measured window,
 * the "end" reading, stop sending, drain (until everything sent arrived, at most
 * {@value SoakOptions#DRAIN_SECONDS} s), settle (cancel what still waits), and count what never
 * arrived as lost. After the loop and the sockets are closed a last reading must be back at the
 * baseline taken before the loop was opened.
 */
final class SoakRun {
    private static final long TICK_NANOS = 10_000_000;
    private static final long SETTLE_NANOS = 2_000_000_000L;

    private enum Phase { WARMUP, MEASURE, DRAIN, SETTLE, DONE }

    private final SoakOptions options;
    private final EventLoop loop;
    private final List<Traffic> traffic = new ArrayList<>();
    private final Tally uncaught = new Tally("handler-exception");
    private final AsyncStream stream;
    private Phase phase = Phase.WARMUP;
    private long phaseEnd;
    private ProcessStats start, end;
    private long measureStartNanos, measureEndNanos, handledAtStart, handledAtEnd, gcAtStart, gcAtEnd;
    private boolean drainedInTime;

    private SoakRun(EventLoop loop, SoakOptions options) {
        this.loop = loop;
        this.options = options;
        SplittableRandom random = new SplittableRandom(options.seed());
        Immediates immediates = new Immediates(loop, random);
        traffic.add(new PingPong(loop, immediates, 16));
        traffic.add(new TimerStorm(loop, immediates, random));
        traffic.add(immediates);
        traffic.add(new ExecutorProducers(loop));
        traffic.add(new AsyncNops(loop, immediates, random, options.deadlines()));
        stream = new AsyncStream(loop, immediates, random, options.deadlines());
        traffic.add(stream);
        loop.setUncaughtExceptionHandler((event, error) -> {
            uncaught.violation(event + " threw " + error);
            if (uncaught.violations <= 3) error.printStackTrace();
        });
    }

    /** Runs the soak of {@code backend} with {@code options}, in this JVM, on this thread. */
    static SoakResult run(String backend, SoakOptions options) throws InterruptedException {
        // One loop opened and closed first, so what the JVM and the library open once (jars,
        // classes, the first ring) is in the baseline, and a leak per loop is not.
        try (EventLoop warm = EventLoop.open(backend)) {
            warm.io().nop().await();
        }
        ProcessStats.read();
        gcCount();
        Thread.sleep(100); // the closed loop's pool threads leave /proc a little after close
        ProcessStats baseline = ProcessStats.read();

        List<String> errors = new ArrayList<>();
        EventLoop loop = EventLoop.open(backend);
        String ioKind = loop.io().kind();
        SoakRun run = null;
        try {
            run = new SoakRun(loop, options);
            run.runPhases();
        } catch (RuntimeException e) {
            errors.add("the soak stopped: " + e);
            e.printStackTrace();
        } finally {
            if (run != null) {
                for (Traffic t : run.traffic) t.finish();
            }
            loop.close();
            if (run != null) {
                for (Traffic t : run.traffic) t.close();
            }
        }
        ProcessStats closed = ProcessStats.readUntilBackTo(baseline, 2_000);
        if (run == null || run.end == null) {
            errors.add("the soak did not reach the end of its measured window");
            return new SoakResult(backend, ioKind, options, 0, List.of(), baseline, closed, closed, closed, 0, 0, false, new long[2], errors);
        }
        List<Tally> tallies = new ArrayList<>();
        for (Traffic t : run.traffic) tallies.addAll(t.tallies());
        tallies.add(run.uncaught);
        double measured = (run.measureEndNanos - run.measureStartNanos) / 1e9;
        return new SoakResult(backend, ioKind, options, measured, tallies, baseline, run.start, run.end, closed,
                run.handledAtEnd - run.handledAtStart, run.gcAtEnd - run.gcAtStart, run.drainedInTime, run.stream.bytes(), errors);
    }

    private void runPhases() {
        for (Traffic t : traffic) t.start();
        long now = System.nanoTime();
        phaseEnd = now + seconds(options.warmupSeconds());
        loop.addTimerAt(now + TICK_NANOS, new Control());
        loop.runUntil(() -> phase == Phase.DONE);
    }

    /** The 10 ms tick: moves from phase to phase. */
    private final class Control implements TimerHandler {
        @Override
        public void onTimer(TimerEvent te, long now) {
            switch (phase) {
                case WARMUP -> {
                    if (now < phaseEnd) break;
                    start = ProcessStats.read();
                    handledAtStart = handled();
                    gcAtStart = gcCount();
                    measureStartNanos = System.nanoTime();
                    phaseEnd = measureStartNanos + seconds(options.seconds());
                    phase = Phase.MEASURE;
                }
                case MEASURE -> {
                    if (now < phaseEnd) break;
                    measureEndNanos = System.nanoTime();
                    handledAtEnd = handled();
                    gcAtEnd = gcCount();
                    end = ProcessStats.read();
                    for (Traffic t : traffic) t.stop();
                    phaseEnd = System.nanoTime() + seconds(SoakOptions.DRAIN_SECONDS);
                    phase = Phase.DRAIN;
                }
                case DRAIN -> {
                    drainedInTime = traffic.stream().allMatch(Traffic::drained);
                    if (!drainedInTime && now < phaseEnd) break;
                    for (Traffic t : traffic) t.settle();
                    phaseEnd = now + SETTLE_NANOS;
                    phase = Phase.SETTLE;
                }
                case SETTLE -> {
                    if (now < phaseEnd && !traffic.stream().allMatch(Traffic::settled)) break;
                    phase = Phase.DONE;
                    return;
                }
                case DONE -> { return; }
            }
            te.update(now + TICK_NANOS);
        }
    }

    private long handled() {
        long sum = 0;
        for (Traffic t : traffic) for (Tally tally : t.tallies()) sum += tally.handled;
        return sum;
    }

    private static long gcCount() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) sum += Math.max(0, gc.getCollectionCount());
        return sum;
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }
}
