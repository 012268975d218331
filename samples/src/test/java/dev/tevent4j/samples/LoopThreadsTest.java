package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every loop of a group on the backend the first one got; a failed first open leaves nothing behind. */
@Timeout(60)
class LoopThreadsTest {
    /** Counts its calls and remembers the backend of the loop it started on. */
    private static final class CountingShard implements LoopThreads.Shard {
        final AtomicInteger starts, shutdowns;
        final Set<String> backends;

        CountingShard(AtomicInteger starts, AtomicInteger shutdowns, Set<String> backends) {
            this.starts = starts;
            this.shutdowns = shutdowns;
            this.backends = backends;
        }

        @Override
        public void start(EventLoop loop) {
            loop.addTimer(Duration.ofHours(1), (t, now) -> { }); // keeps runUntil waiting, as a listening socket would
            starts.incrementAndGet();
            backends.add(loop.backendName());
        }

        @Override
        public void shutdown() {
            shutdowns.incrementAndGet();
        }
    }

    @Test
    void everyLoopRunsOnTheBackendOfTheFirst() throws Exception {
        AtomicInteger starts = new AtomicInteger(), shutdowns = new AtomicInteger();
        Set<String> backends = ConcurrentHashMap.newKeySet();
        LoopThreads g = LoopThreads.start("t", BackendChoice.resolve(null), 4, i -> new CountingShard(starts, shutdowns, backends));
        assertEquals(4, starts.get());
        assertEquals(Set.of(g.backendName()), backends);
        assertTrue(EventLoop.backends().contains(g.backendName()), g.backendName());
        g.close();
        assertEquals(4, shutdowns.get(), "each shard shut down once");
    }

    @Test
    void aFirstLoopThatCannotOpenFailsTheStartAndShutsEveryShardDown() {
        AtomicInteger starts = new AtomicInteger(), shutdowns = new AtomicInteger();
        BackendChoice unknown = new BackendChoice("nope", "nope", "--backend"); // past resolve(): as a backend that fails at open
        long threadsBefore = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("u-")).count();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoopThreads.start("u", unknown, 3, i -> new CountingShard(starts, shutdowns, ConcurrentHashMap.newKeySet())));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        assertEquals(0, starts.get(), "no shard started");
        assertEquals(3, shutdowns.get(), "every shard closed what it owns (its listening socket)");
        assertEquals(threadsBefore, Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("u-") && t.isAlive()).count());
    }
}
