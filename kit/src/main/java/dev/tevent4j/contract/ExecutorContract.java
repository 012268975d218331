package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The thread-safe executor: exactly once, per-thread FIFO, wakes a blocked loop. */
public abstract class ExecutorContract extends LoopContract {

    @Test
    void fourThreadsTimesHundredThousandRunExactlyOnceInPerThreadOrder() throws Exception {
        int threads = 4, perThread = 100_000;
        int[] next = new int[threads];
        int[] errors = {0};
        int[] total = {0};
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    int seq = i;
                    loop.executor().execute(() -> {
                        if (next[id] != seq) errors[0]++;
                        next[id] = seq + 1;
                        total[0]++;
                    });
                }
            }, "producer-" + t);
            th.start();
            producers.add(th);
        }
        // A far timer keeps the loop alive and blocking: wakeups must come through the executor.
        var keepAlive = loop.addTimer(Duration.ofMinutes(5), (t, now) -> { });
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (total[0] < threads * perThread && System.nanoTime() < deadline) {
            loop.runOnce();
        }
        keepAlive.cancel();
        for (Thread th : producers) th.join();
        assertEquals(threads * perThread, total[0]);
        assertEquals(0, errors[0], "out-of-order runnables");
        for (int n : next) assertEquals(perThread, n);
    }

    @Test
    void executorWakesALoopBlockedInTheWait() throws Exception {
        var keepAlive = loop.addTimer(Duration.ofMinutes(5), (t, now) -> { });
        boolean[] ran = {false};
        Thread waker = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
            }
            loop.executor().execute(() -> ran[0] = true);
        });
        long t0 = System.nanoTime();
        waker.start();
        while (!ran[0]) loop.runOnce();
        waker.join();
        keepAlive.cancel();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void runnableFromTheLoopThreadRunsNextIteration() {
        List<String> got = new ArrayList<>();
        loop.executor().execute(() -> got.add("x"));
        assertTrue(loop.runOnce(), "a pending runnable is work");
        assertEquals(List.of("x"), got);
    }

    @Test
    void throwingRunnableIsReportedAndOthersStillRun() {
        List<String> got = new ArrayList<>();
        List<Object> reported = new ArrayList<>();
        loop.setUncaughtExceptionHandler((ev, err) -> reported.add(ev));
        Runnable bad = () -> { throw new IllegalStateException("boom"); };
        loop.executor().execute(bad);
        loop.executor().execute(() -> got.add("after"));
        loop.runOnce();
        assertEquals(List.of(bad), reported);
        assertEquals(List.of("after"), got);
    }

    /**
     * Out of fds, java.util.logging's formatter threw an Error (the time-zone file could not be
     * opened) from inside the report of a handler's exception, and that Error ended the loop
     * thread. Here the uncaught-exception handler throws and so does the log handler: the
     * report must still be made somewhere and the next runnable must still run.
     */
    @Test
    void aHandlerThrowsWhileTheUncaughtHandlerAndTheLogBothFailAndTheLoopGoesOn() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.tevent4j");
        java.util.logging.Handler failing = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                throw new ExceptionInInitializerError("logging is broken, as when no fd is left for tzdb.dat");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        boolean parents = log.getUseParentHandlers();
        log.addHandler(failing);
        log.setUseParentHandlers(false);
        try {
            List<String> got = new ArrayList<>();
            loop.setUncaughtExceptionHandler((ev, err) -> { throw new IllegalStateException("the handler of handlers failed"); });
            loop.executor().execute(() -> { throw new IllegalStateException("boom"); });
            loop.executor().execute(() -> got.add("after"));
            loop.runOnce();
            assertEquals(List.of("after"), got);
            loop.executor().execute(() -> got.add("next iteration"));
            loop.runOnce();
            assertEquals(List.of("after", "next iteration"), got);
        } finally {
            log.removeHandler(failing);
            log.setUseParentHandlers(parents);
        }
    }

    @Test
    void executorOfAClosedLoopRejects() {
        EventLoop other = EventLoop.open(backend());
        other.close();
        assertThrows(RejectedExecutionException.class, () -> other.executor().execute(() -> { }));
        assertThrows(NullPointerException.class, () -> loop.executor().execute(null));
    }

    @Test
    void runnableSubmittedWhileTheLoopIsBusyRunsNextIterationWithoutBlocking() throws Exception {
        List<String> got = new ArrayList<>();
        boolean[] guardFired = {false};
        var guard = loop.addTimer(Duration.ofSeconds(5), (t, now) -> guardFired[0] = true);
        loop.newImmediate(() -> {
            Thread other = new Thread(() -> loop.executor().execute(() -> got.add("from other thread")));
            other.start();
            try {
                other.join(); // the loop is busy in a handler while the runnable arrives
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            got.add("busy handler done");
        }).schedule();
        loop.runOnce();
        assertEquals(List.of("busy handler done"), got);
        loop.runOnce();
        assertEquals(List.of("busy handler done", "from other thread"), got);
        assertFalse(guardFired[0], "the pending runnable made the wait non-blocking");
        guard.cancel();
    }

    @Test
    void executorAloneDoesNotKeepRunGoing() {
        List<String> got = new ArrayList<>();
        loop.executor().execute(() -> got.add("x"));
        loop.run();
        assertEquals(List.of(), got, "run() returns at once when no event is registered");
        assertTrue(loop.runOnce(), "runOnce still runs the pending runnable");
        assertEquals(List.of("x"), got);
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void everyAcceptedRunnableRunsExactlyOnceOnTheLoopThreadWhenCloseRacesTheProducers() throws Exception {
        for (int round = 0; round < 30; round++) {
            EventLoop l = EventLoop.open(backend());
            Thread loopThread = Thread.currentThread();
            java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
            long[] ran = {0};
            boolean[] offThread = {false};
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(2);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                Thread t = new Thread(() -> {
                    started.countDown();
                    while (true) {
                        try {
                            l.executor().execute(() -> {
                                ran[0]++;
                                if (Thread.currentThread() != loopThread) offThread[0] = true;
                            });
                        } catch (RejectedExecutionException closed) {
                            return;
                        }
                        accepted.incrementAndGet();
                    }
                });
                t.start();
                producers.add(t);
            }
            started.await();
            l.addTimer(java.time.Duration.ofMillis(1 + round % 5), (te, now) -> { });
            l.runOnce();
            l.close();
            for (Thread t : producers) t.join(10_000);
            assertEquals(accepted.get(), ran[0], "round " + round + ": every runnable execute() accepted ran once");
            assertFalse(offThread[0], "runnables run on the loop thread");
            assertThrows(RejectedExecutionException.class, () -> l.executor().execute(() -> { }));
        }
    }

    @Test
    void aRunnableDrainedAtCloseMayStillUseTheLoop() {
        EventLoop l = EventLoop.open(backend());
        boolean[] ran = {false};
        l.executor().execute(() -> {
            l.addTimer(java.time.Duration.ofSeconds(1), (t, now) -> { });
            assertEquals(0, l.io().nop().isInProgress() ? 0 : 1);
            ran[0] = true;
        });
        l.close();
        assertTrue(ran[0]);
    }
}
