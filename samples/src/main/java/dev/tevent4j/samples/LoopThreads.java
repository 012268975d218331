package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * N threads, each opening its own {@link EventLoop} (a loop belongs to the thread that opened
 * it) and running one {@link Shard} until {@link #close()}. The sample servers use one shard per
 * core, each with its own SO_REUSEPORT listening socket, so no state is shared between loops.
 */
public final class LoopThreads implements AutoCloseable {
    /** What one loop thread serves. Both methods run on that loop's thread. */
    public interface Shard {
        /** Registers the shard's events on its freshly opened loop. */
        void start(EventLoop loop) throws Exception;

        /** Closes every event and fd the shard owns; the loop is closed right after. */
        void shutdown();
    }

    private final List<Thread> threads = new ArrayList<>();
    private final List<EventLoop> loops = new ArrayList<>();
    private volatile boolean stopping;
    private final CountDownLatch finished;

    private LoopThreads(int n) {
        finished = new CountDownLatch(n);
    }

    /**
     * Starts {@code n} loop threads named {@code name-i}; returns once every shard started, or
     * throws the first start failure after stopping the others.
     */
    public static LoopThreads start(String name, String backend, int n, IntFunction<Shard> shards) throws Exception {
        LoopThreads g = new LoopThreads(n);
        CountDownLatch started = new CountDownLatch(n);
        Exception[] failure = {null};
        for (int i = 0; i < n; i++) {
            Shard shard = shards.apply(i);
            Thread t = new Thread(() -> g.runShard(backend, shard, started, failure), name + "-" + i);
            g.threads.add(t);
            t.start();
        }
        started.await();
        synchronized (failure) {
            if (failure[0] != null) {
                g.close();
                throw failure[0];
            }
        }
        return g;
    }

    private void runShard(String backend, Shard shard, CountDownLatch started, Exception[] failure) {
        try (EventLoop loop = EventLoop.open(backend)) {
            try {
                shard.start(loop);
            } catch (Exception | Error e) {
                synchronized (failure) {
                    if (failure[0] == null) failure[0] = e instanceof Exception ex ? ex : new RuntimeException(e);
                }
                shard.shutdown();
                return;
            }
            synchronized (loops) {
                loops.add(loop);
            }
            started.countDown();
            loop.runUntil(() -> stopping);
            shard.shutdown();
        } catch (RuntimeException e) {
            synchronized (failure) {
                if (failure[0] == null) failure[0] = e;
            }
        } finally {
            started.countDown(); // no-op when already counted; unblocks start() on failure
            finished.countDown();
        }
    }

    /** Blocks until every loop thread has ended (after {@link #close()}, from another thread). */
    public void await() throws InterruptedException {
        finished.await();
    }

    /** Stops every loop (thread-safe: a runnable through each loop's executor wakes it) and joins the threads. */
    @Override
    public void close() {
        stopping = true;
        synchronized (loops) {
            for (EventLoop l : loops) {
                try {
                    l.executor().execute(() -> { });
                } catch (RuntimeException closed) {
                    // that loop already ended
                }
            }
        }
        try {
            if (!finished.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("loop threads did not stop within 10 s");
            }
            for (Thread t : threads) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
