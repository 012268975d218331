package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.SignalEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Real signals for the contract tests: kill(2) to our own pid, and a loop that watches arrivals. */
public final class Signals {
    private Signals() {}

    private static final MethodHandle KILL = Native.withErrno("kill",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final int PID = (int) ProcessHandle.current().pid();

    /** The signal's number on this system, e.g. 28 for "WINCH". */
    public static int number(String name) {
        return new sun.misc.Signal(name).getNumber();
    }

    /** Sends the named signal to this process with kill(2). */
    public static void raise(String name) {
        MemorySegment c = Native.capture();
        int rc;
        try {
            rc = (int) KILL.invokeExact(c, PID, number(name));
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (rc != 0) throw new IllegalStateException("kill failed: " + Errno.name(Native.errno(c)));
    }

    /**
     * A second loop on a thread of its own that handles the given signals and counts what it
     * hears: once it has heard N arrivals, the JVM has dispatched them to every loop, so a
     * loop under test that did not run meanwhile has them all pending.
     */
    public static final class Observer implements AutoCloseable {
        private final AtomicLong heard = new AtomicLong();
        private final CountDownLatch ready = new CountDownLatch(1);
        private final CountDownLatch stop = new CountDownLatch(1);
        private final Thread thread;
        private volatile Throwable failure;

        public Observer(String backend, String... names) {
            thread = new Thread(() -> {
                try (EventLoop l = EventLoop.open(backend)) {
                    List<SignalEvent> events = new ArrayList<>();
                    for (String n : names) events.add(l.addSignal(n, (se, signum, count) -> heard.addAndGet(count)));
                    // A short timer keeps the loop checking the stop latch.
                    ready.countDown();
                    while (stop.getCount() > 0) {
                        l.addTimer(java.time.Duration.ofMillis(5), (t, now) -> { });
                        l.runOnce();
                    }
                    events.forEach(SignalEvent::close);
                } catch (Throwable t) {
                    failure = t;
                    ready.countDown();
                }
            }, "signal-observer");
            thread.setDaemon(true);
            thread.start();
            await(ready);
            if (failure != null) throw new AssertionError("observer loop failed", failure);
        }

        /** Waits (at most 5 s) until the observer heard {@code n} arrivals in all. */
        public void awaitHeard(long n) {
            long limit = System.nanoTime() + 5_000_000_000L;
            while (heard.get() < n) {
                if (System.nanoTime() > limit) throw new AssertionError("observer heard " + heard.get() + " of " + n + " signals");
                Thread.onSpinWait();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }

        @Override
        public void close() {
            stop.countDown();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (failure != null) throw new AssertionError("observer loop failed", failure);
        }

        private static void await(CountDownLatch l) {
            try {
                if (!l.await(5, TimeUnit.SECONDS)) throw new AssertionError("observer did not start");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
