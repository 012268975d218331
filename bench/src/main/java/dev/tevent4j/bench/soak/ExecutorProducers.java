package dev.tevent4j.bench.soak;

import dev.tevent4j.EventLoop;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two producer threads submitting numbered runnables to {@link EventLoop#executor()}: each
 * producer's runnables must run exactly once and in its submission order (the executor is FIFO
 * per submitting thread). A window of {@value #WINDOW} runnables per producer, released as they
 * run, keeps the queue (and the heap) bounded.
 */
final class ExecutorProducers implements Traffic {
    private static final int PRODUCERS = 2;
    private static final int WINDOW = 512;

    private final Tally tally = new Tally("executor");
    private final Executor executor;
    private final Producer[] producers = new Producer[PRODUCERS];
    private volatile boolean stopping;

    /** One producer's thread-side state (submitted, window) and loop-side checker. */
    private final class Producer implements Runnable {
        final int id;
        final Semaphore window = new Semaphore(WINDOW);
        final AtomicLong submitted = new AtomicLong();
        final SequenceChecker ran = new SequenceChecker(tally);
        Thread thread;
        volatile Throwable failure;

        Producer(int id) {
            this.id = id;
        }

        @Override
        public void run() {
            try {
                long n = 0;
                while (!stopping) {
                    if (!window.tryAcquire(10, TimeUnit.MILLISECONDS)) continue;
                    executor.execute(new Task(this, n));
                    submitted.set(++n);
                }
            } catch (RejectedExecutionException | InterruptedException e) {
                failure = e;
            }
        }
    }

    /** One runnable: which producer, which number. */
    private record Task(Producer producer, long number) implements Runnable {
        @Override
        public void run() {
            producer.ran.accept(number);
            producer.window.release();
        }
    }

    ExecutorProducers(EventLoop loop) {
        this.executor = loop.executor();
        for (int i = 0; i < PRODUCERS; i++) producers[i] = new Producer(i);
    }

    @Override
    public List<Tally> tallies() {
        return List.of(tally);
    }

    @Override
    public void start() {
        for (Producer p : producers) {
            p.thread = Thread.ofPlatform().name("soak-producer-" + p.id).daemon(true).start(p);
        }
    }

    @Override
    public void stop() {
        stopping = true;
        for (Producer p : producers) {
            try {
                p.thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (p.thread.isAlive()) tally.violation("producer " + p.id + " did not stop within 5 s");
            if (p.failure != null) tally.violation("producer " + p.id + " failed: " + p.failure);
        }
    }

    @Override
    public boolean drained() {
        for (Producer p : producers) {
            if (p.ran.next() < p.submitted.get()) return false;
        }
        return true;
    }

    @Override
    public void finish() {
        for (Producer p : producers) {
            long submitted = p.submitted.get();
            tally.sent += submitted;
            tally.lost += Math.max(0, submitted - p.ran.next());
        }
    }
}
