package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

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

        /**
         * Closes every event and fd the shard owns; the loop is closed right after. Also called,
         * with no loop, for a shard whose loop could not be opened or was never started
         * (another failed first): then only what it owns outside a loop is left to close.
         */
        void shutdown();
    }

    private final List<Thread> threads = new ArrayList<>();
    private final List<EventLoop> loops = new ArrayList<>();
    private volatile boolean stopping;
    private final CountDownLatch finished;
    /** Counted down once the first loop is open (or failed to open): the others open its backend. */
    private final CountDownLatch firstOpened = new CountDownLatch(1);
    private volatile String backendName;

    private LoopThreads(int n) {
        finished = new CountDownLatch(n);
    }

    /**
     * Starts {@code n} loop threads named {@code name-i}; returns once every shard started, or
     * throws the first start failure after stopping the others. The first thread opens its loop
     * as {@code backend} says and the others then open the backend it got, by name: without
     * --backend the library's rule picks one (property, environment, default with fallback),
     * and every loop of a server must run on that same one.
     */
    public static LoopThreads start(String name, BackendChoice backend, int n, IntFunction<Shard> shards) throws Exception {
        LoopThreads g = new LoopThreads(n);
        CountDownLatch started = new CountDownLatch(n);
        Exception[] failure = {null};
        List<Shard> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Shard shard = shards.apply(i);
            Supplier<EventLoop> opener = i == 0 ? backend::open : () -> EventLoop.open(g.backendName);
            all.add(shard);
            g.threads.add(new Thread(() -> g.runShard(opener, shard, started, failure), name + "-" + i));
        }
        for (int i = 0; i < n; i++) {
            if (i == 1) g.firstOpened.await(); // the others need its backend's name
            synchronized (failure) {
                if (failure[0] != null) break;
            }
            g.threads.get(i).start();
        }
        for (int i = n; i-- > 0; ) {
            if (g.threads.get(i).getState() == Thread.State.NEW) { // not started after a failure: count it out
                g.threads.remove(i);
                all.get(i).shutdown(); // no loop: it closes its listening socket
                started.countDown();
                g.finished.countDown();
            }
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

    /** The backend every loop of the group runs on (after {@link #start} returned). */
    public String backendName() {
        return backendName;
    }

    private void runShard(Supplier<EventLoop> opener, Shard shard, CountDownLatch started, Exception[] failure) {
        try {
            EventLoop opened;
            try {
                opened = opener.get();
            } catch (RuntimeException e) {
                fail(failure, e);
                shard.shutdown(); // no loop: it closes only its listening socket and buffers
                return;
            }
            try (EventLoop loop = opened) {
                if (backendName == null) backendName = loop.backendName();
                firstOpened.countDown();
                try {
                    shard.start(loop);
                } catch (Exception | Error e) {
                    fail(failure, e instanceof Exception ex ? ex : new RuntimeException(e));
                    shard.shutdown();
                    return;
                }
                synchronized (loops) {
                    loops.add(loop);
                }
                started.countDown();
                try {
                    loop.runUntil(() -> stopping);
                } catch (RuntimeException e) {
                    // After start() returned nobody reads failure: say why this loop ended.
                    System.err.println(Thread.currentThread().getName() + ": the loop ended: " + e);
                    throw e;
                } finally {
                    shard.shutdown();
                }
            } catch (RuntimeException e) {
                fail(failure, e);
            }
        } finally {
            firstOpened.countDown(); // no-op once counted; unblocks start() when the first open failed
            started.countDown(); // unblocks start() on failure; a second count after it returned is harmless
            finished.countDown();
        }
    }

    private static void fail(Exception[] failure, Exception e) {
        synchronized (failure) {
            if (failure[0] == null) failure[0] = e;
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
