package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;

/**
 * Base of every contract class: a backend module runs the kit by subclassing each contract and
 * naming itself in {@link #backend()}. Each test gets a fresh loop; fds it opens through
 * {@link #track} are closed afterwards.
 */
public abstract class LoopContract {
    protected EventLoop loop;
    private final List<Integer> tracked = new ArrayList<>();
    /** Uncaught handler errors; a test that expects none checks it is empty. */
    protected final List<Throwable> uncaught = new ArrayList<>();

    /** The backend under test, e.g. "epoll". */
    protected abstract String backend();

    @BeforeEach
    void openLoop() {
        loop = EventLoop.open(backend());
        loop.setUncaughtExceptionHandler((event, error) -> uncaught.add(error));
    }

    @AfterEach
    void closeLoop() {
        loop.close();
        for (int fd : tracked) {
            Fds.close(fd);
        }
        tracked.clear();
    }

    /** Closes the fds after the test. */
    protected int[] track(int[] fds) {
        for (int fd : fds) tracked.add(fd);
        return fds;
    }

    /** Forgets an fd the test closes itself (so teardown does not close a reused number). */
    protected void untrack(int fd) {
        tracked.remove(Integer.valueOf(fd));
    }

    protected int[] socketpair() {
        return track(Fds.socketpair());
    }

    protected int[] pipe() {
        return track(Fds.pipe());
    }

    protected int[] tcpPair() {
        return track(Fds.tcpPair());
    }

    /** Closes a tracked fd now. */
    protected void closeNow(int fd) {
        untrack(fd);
        Fds.close(fd);
    }

    /** One iteration that never waits: it submits and arms what was queued and runs what is ready. */
    protected void runOnceWithoutWaiting() {
        loop.newImmediate(() -> { }).schedule();
        loop.runOnce();
    }

    /** The errno an AsyncIo op's request failed with; fails the test when it did not fail so. */
    protected static int errnoOf(dev.tevent4j.Request<Integer> r) {
        dev.tevent4j.RequestException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.tevent4j.RequestException.class, r::result, "expected a failure");
        return org.junit.jupiter.api.Assertions.assertInstanceOf(
                dev.tevent4j.linux.ErrnoException.class, e.getCause(), "cause: " + e.getCause()).errno();
    }

    /** Skips the test, saying why, when the loop's AsyncIo lacks {@code op}. */
    protected void assumeIoSupports(dev.tevent4j.AsyncIo.Op op) {
        org.junit.jupiter.api.Assumptions.assumeTrue(loop.io().supports(op),
                op + " is not supported by this kernel's io_uring (" + loop.io().kind() + ")");
    }

    /** Runs iterations until the condition holds, failing after 5 s. */
    protected void runUntilOrFail(java.util.function.BooleanSupplier done) {
        long limit = System.nanoTime() + 5_000_000_000L;
        loop.addTimer(java.time.Duration.ofSeconds(5), (t, now) -> { });
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > limit) {
                throw new AssertionError("condition not reached within 5 s");
            }
            loop.runOnce();
        }
    }
}
