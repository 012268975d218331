package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.LoopOptions;
import dev.tevent4j.Request;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LoopOptions} reach the backend (docs/asyncio.md, "Ring sizes and limits"): the ring's
 * SQ and CQ sizes as the kernel set them up, the io-wq limits as the kernel reports them back,
 * the registered ring fd; on epoll the thread pool's size. A backend with a ring reports what
 * its ring says through {@link #ringFacts}; one without returns null.
 */
@Timeout(60)
public abstract class LoopOptionsContract extends LoopContract {

    /**
     * What the loop's ring was set up with.
     *
     * @param sqEntries the SQ size the kernel reported
     * @param cqEntries the CQ size the kernel reported
     * @param registeredRingFd whether io_uring_enter from the loop thread uses a registered index
     * @param ioWqLimits {bounded, unbounded} as IORING_REGISTER_IOWQ_MAX_WORKERS reports them now
     */
    public record RingFacts(int sqEntries, int cqEntries, boolean registeredRingFd, int[] ioWqLimits) {}

    /**
     * The facts of {@code loop}'s ring, read on the loop thread.
     *
     * @param loop an open loop of {@link #backend()}
     * @return its ring's facts, or null when the backend has no ring
     */
    protected abstract RingFacts ringFacts(EventLoop loop);

    /** The backend's CQ size for a default SQ of 256 when the options leave it at 0. */
    protected abstract int defaultCqEntries();

    private EventLoop open(LoopOptions options) {
        loop.close(); // one loop at a time on this thread: the one the base class opened goes
        loop = EventLoop.open(backend(), options);
        return loop;
    }

    /** A loop that runs: a timer, a nop, a recv that waits for data. */
    private void assertTheLoopWorks(EventLoop l) {
        boolean[] fired = {false};
        l.addTimer(Duration.ofMillis(1), (t, now) -> fired[0] = true);
        assertEquals(0, l.io().nop().await());
        int[] sp = socketpair();
        MemorySegment buf = Arena.ofAuto().allocate(8);
        Request<Integer> r = l.io().recv(sp[0], buf, 0);
        boolean[] settled = {false};
        l.addTimer(Duration.ofMillis(10), (t, now) -> settled[0] = true);
        l.runUntil(() -> settled[0]); // the recv is submitted and waits
        assertTrue(r.isInProgress());
        Fds.write(sp[1], (byte) 1, (byte) 2);
        assertEquals(2, r.await());
        l.runUntil(() -> fired[0]);
    }

    private static boolean kernelAtLeast(int major, int minor) {
        try {
            String[] v = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim().split("[.-]");
            int ma = Integer.parseInt(v[0]), mi = Integer.parseInt(v[1]);
            return ma > major || (ma == major && mi >= minor);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Test
    void theDefaultsAreDocumentedOnes() {
        LoopOptions d = LoopOptions.defaults();
        assertEquals(256, d.sqEntries());
        assertEquals(0, d.cqEntries());
        assertEquals(0, d.ioWqBoundedWorkers());
        assertEquals(0, d.ioWqUnboundedWorkers());
        assertTrue(d.registeredRingFd());
        assertEquals(d, LoopOptions.builder().build());
        RingFacts facts = ringFacts(open(d));
        if (facts != null) {
            assertEquals(256, facts.sqEntries());
            assertEquals(defaultCqEntries(), facts.cqEntries());
        }
        assertTheLoopWorks(loop);
    }

    @Test
    void theSizesReachTheRingRoundedAsTheKernelRoundsThem() {
        RingFacts facts = ringFacts(open(LoopOptions.builder().sqEntries(100).cqEntries(1000).build()));
        Assumptions.assumeTrue(facts != null, "no ring on " + backend() + ": nothing to size");
        assertEquals(128, facts.sqEntries(), "100 rounded up to a power of two");
        assertEquals(1024, facts.cqEntries(), "1000 rounded up to a power of two");
        assertTheLoopWorks(loop);
        facts = ringFacts(open(LoopOptions.builder().sqEntries(8).build()));
        assertEquals(8, facts.sqEntries());
        assertEquals(LoopOptions.builder().sqEntries(8).build().cqEntriesOr(defaultCqEntries() / 256), facts.cqEntries());
    }

    @Test
    void aTinySqStillRunsManyOpsAtOnce() {
        open(LoopOptions.builder().sqEntries(2).build());
        List<Request<Integer>> nops = new ArrayList<>();
        for (int i = 0; i < 100; i++) nops.add(loop.io().nop()); // the SQ fills and is submitted as it goes
        loop.run();
        for (Request<Integer> r : nops) assertEquals(0, r.result());
        assertTheLoopWorks(loop);
    }

    @Test
    void theIoWqLimitsAreAccepted() {
        RingFacts facts = ringFacts(open(LoopOptions.builder().ioWqBoundedWorkers(2).ioWqUnboundedWorkers(3).build()));
        if (facts != null) {
            Assumptions.assumeTrue(kernelAtLeast(5, 15), "IORING_REGISTER_IOWQ_MAX_WORKERS is Linux 5.15");
            assertArrayEquals(new int[] {2, 3}, facts.ioWqLimits(), "the kernel reports the limits back");
        }
        assertTheLoopWorks(loop);
    }

    @Test
    void theRingFdIsRegisteredByDefaultWhereTheKernelAllowsIt() {
        RingFacts facts = ringFacts(open(LoopOptions.defaults()));
        Assumptions.assumeTrue(facts != null, "no ring on " + backend());
        Assumptions.assumeTrue(kernelAtLeast(5, 18), "IORING_REGISTER_RING_FDS is Linux 5.18");
        assertTrue(facts.registeredRingFd(), "the loop thread enters with the registered index");
        assertTheLoopWorks(loop);
    }

    @Test
    void theLoopWorksWithTheRegisteredRingFdForcedOff() {
        RingFacts facts = ringFacts(open(LoopOptions.builder().registeredRingFd(false).build()));
        if (facts != null) assertFalse(facts.registeredRingFd());
        assertTheLoopWorks(loop);
    }

    @Test
    void theRegisteredRingFdIsUnregisteredWhenTheLoopCloses() {
        // Each registration pins its ring until unregistered (the table is the thread's): a leak
        // would keep every closed ring's fd and memory; 40 loops would exhaust the 16 slots.
        int before = Fds.openFdCount();
        for (int i = 0; i < 40; i++) {
            EventLoop l = open(LoopOptions.defaults());
            assertEquals(0, l.io().nop().await());
            RingFacts facts = ringFacts(l);
            if (facts != null && kernelAtLeast(5, 18)) assertTrue(facts.registeredRingFd(), "loop " + i);
            l.close();
        }
        assertTrue(Fds.openFdCount() <= before + 2, "no fd leaked: " + before + " -> " + Fds.openFdCount());
    }

    @Test
    void onEpollTheBoundedFigureSizesTheThreadPool() {
        Assumptions.assumeTrue(ringFacts(loop) == null, backend() + " has a ring: no thread pool to size");
        assertEquals(1, newWorkersFor(1), "a pool of one");
        assertEquals(3, newWorkersFor(3), "a pool of three");
    }

    /**
     * The worker threads a loop with a pool of {@code size} starts for 12 ops at once: the pool
     * makes a thread per op until it has its size, so it shows the size.
     */
    private int newWorkersFor(int size) {
        Set<String> before = ioThreads();
        open(LoopOptions.builder().ioWqBoundedWorkers(size).build());
        int[] p = pipe();
        List<Request<Integer>> ops = new ArrayList<>();
        for (int i = 0; i < 6; i++) ops.add(loop.io().fsync(p[0])); // EINVAL from a worker
        for (int i = 0; i < 6; i++) ops.add(loop.io().nop());
        loop.run();
        for (Request<Integer> r : ops) assertFalse(r.isInProgress());
        Set<String> now = ioThreads();
        now.removeAll(before);
        return now.size();
    }

    private static Set<String> ioThreads() {
        Set<String> names = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("tevent4j-io-")) names.add(t.getName());
        }
        return names;
    }

    @Test
    void badOptionsAreRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoopOptions.builder().sqEntries(0));
        assertTrue(e.getMessage().contains("sqEntries 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoopOptions.builder().sqEntries(32769));
        assertThrows(IllegalArgumentException.class, () -> LoopOptions.builder().cqEntries(-1));
        assertThrows(IllegalArgumentException.class, () -> LoopOptions.builder().cqEntries(65537));
        e = assertThrows(IllegalArgumentException.class, () -> LoopOptions.builder().sqEntries(100).cqEntries(64).build());
        assertTrue(e.getMessage().contains("cqEntries 64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoopOptions.builder().ioWqBoundedWorkers(-1));
        assertThrows(IllegalArgumentException.class, () -> LoopOptions.builder().ioWqUnboundedWorkers(-2));
        assertThrows(NullPointerException.class, () -> EventLoop.open(backend(), null));
        assertEquals(128, LoopOptions.builder().sqEntries(128).cqEntries(128).build().cqEntries(), "CQ = SQ is allowed");
        assertTheLoopWorks(loop);
    }
}
