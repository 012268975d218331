package dev.tevent4j.bench.soak;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The soak, briefly, on every backend usable here: a correctness test, not a timed one. Each
 * backend runs the whole mix for about 3 s in this JVM and must lose, duplicate and reorder
 * nothing, break no other rule, have every kind of traffic flowing, and hold no more fds at the
 * end than at the start, nor after close than before the loop opened. (Threads are not
 * asserted here: this JVM's compiler threads come and go; the child JVMs of the command fix
 * their number.)
 */
class SoakSmokeTest {
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "hybrid", "uring"})
    @Timeout(60)
    void noEventLostDuplicatedOrReorderedAndNoFdLeaked(String backend) throws Exception {
        assertClean(soak(backend, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "hybrid", "uring"})
    @Timeout(60)
    void asyncIoRequestsWithDeadlinesLoseNoData(String backend) throws Exception {
        assertClean(soak(backend, true));
    }

    @Test
    @Timeout(120)
    void theCommandRunsABackendInAChildJvmAndReportsItsSummary() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SoakOptions options = new SoakOptions(2, 0.5, false, List.of("epoll"), false, 99);
        int exit;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            exit = ChildRunner.runAll(options, out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(0, exit, output);
        assertTrue(output.contains("soak-summary backend=epoll io=threadpool result=PASS"), output);
        assertTrue(output.contains("| epoll (threadpool) | PASS |"), output);
    }

    private static SoakResult soak(String backend, boolean deadlines) throws InterruptedException {
        String why = ChildRunner.unusableReason(backend);
        assumeTrue(why == null, "backend " + backend + " is not usable here: " + why);
        SoakResult r = SoakRun.run(backend, new SoakOptions(3, 0.5, deadlines, List.of(backend), true, 1234));
        r.print(System.out);
        return r;
    }

    private static void assertClean(SoakResult r) {
        String report = r.backend() + ": " + r.failures();
        assertTrue(r.errors().isEmpty(), report);
        for (Tally t : r.tallies()) {
            String kind = r.backend() + " " + t.kind + " " + t.incidents();
            assertEquals(0, t.lost, kind + " lost");
            assertEquals(0, t.duplicated, kind + " duplicated");
            assertEquals(0, t.reordered, kind + " reordered");
            assertEquals(0, t.violations, kind + " violations");
            if (!t.kind.equals("handler-exception")) assertTrue(t.handled > 0, kind + ": nothing handled");
        }
        assertTrue(r.end().fds() <= r.start().fds(), report + ": fds grew " + r.start().fds() + " -> " + r.end().fds());
        assertTrue(r.closed().fds() <= r.baseline().fds(),
                report + ": " + r.closed().fds() + " fds after close, " + r.baseline().fds() + " before");
    }
}
