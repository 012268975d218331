package dev.tevent4j.contract;

import dev.tevent4j.FdEvent;
import dev.tevent4j.SignalEvent;
import dev.tevent4j.TracePoint;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trace points around every iteration, the place of the signal phase, and JFR being off by default. */
public abstract class TraceContract extends LoopContract {

    @Test
    void everyIterationIsBracketedByTracePointsAroundTheWait() {
        int[] sp = socketpair();
        List<TracePoint> got = new ArrayList<>();
        List<String> handlers = new ArrayList<>();
        loop.setTraceCallback(got::add);
        loop.addFd(sp[0], FdEvent.READ, (e, f) -> { handlers.add("fd after " + got.getLast()); e.close(); });
        Fds.write(sp[1], (byte) 1);
        loop.run();
        assertEquals(List.of("fd after AFTER_WAIT"), handlers);
        assertEquals(List.of(TracePoint.BEFORE_LOOP_ONCE, TracePoint.BEFORE_WAIT, TracePoint.AFTER_WAIT,
                TracePoint.AFTER_LOOP_ONCE), got);
    }

    @Test
    void traceCallbackThatThrowsIsReportedAndTheIterationGoesOn() {
        int[] ran = {0};
        loop.setTraceCallback(p -> { throw new IllegalStateException("trace bug " + p); });
        loop.newImmediate(() -> ran[0]++).schedule();
        loop.runOnce();
        assertEquals(1, ran[0]);
        assertEquals(4, uncaught.size());
    }

    @Test
    void signalsRunInPhaseOneBeforeThreadedRunnablesImmediatesAndTimers() {
        List<String> got = new ArrayList<>();
        SignalEvent se = loop.addSignal("WINCH", (e, s, c) -> got.add("signal"));
        try (Signals.Observer observer = new Signals.Observer(backend(), "WINCH")) {
            Signals.raise("WINCH");
            observer.awaitHeard(1);
        }
        loop.addTimerAt(System.nanoTime() - 1, (t, now) -> got.add("timer"));
        loop.newImmediate(() -> got.add("immediate")).schedule();
        loop.executor().execute(() -> got.add("threaded"));
        loop.runOnce();
        assertEquals(List.of("signal", "threaded", "immediate", "timer"), got);
        se.close();
    }

    @Test
    @DisabledIfSystemProperty(named = "tevent4j.jfr", matches = "true")
    void jfrEventsAreOffByDefaultEvenWhenARecordingAsksForThem() throws IOException {
        List<RecordedEvent> events = JfrRecordings.record(() -> {
            loop.addTimer(Duration.ZERO, (t, now) -> sleep(30));
            loop.newImmediate(() -> { }).schedule();
            loop.run();
        });
        assertEquals(List.of(), events);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records the loop's JFR events around an action and reads them back from the file. */
    static final class JfrRecordings {
        private JfrRecordings() {}

        static List<RecordedEvent> record(Runnable action) throws IOException {
            Path file = Files.createTempFile("tevent4j", ".jfr");
            try (Recording r = new Recording()) {
                r.enable("dev.tevent4j.LoopIteration").withThreshold(Duration.ZERO);
                r.enable("dev.tevent4j.SlowHandler").withThreshold(Duration.ZERO);
                for (String kind : new String[] {"Fd", "Timer", "Immediate", "Signal", "Queue"}) {
                    r.enable("dev.tevent4j." + kind + "Trace");
                }
                r.start();
                action.run();
                r.stop();
                r.dump(file);
                List<RecordedEvent> all = RecordingFile.readAllEvents(file);
                List<RecordedEvent> mine = new ArrayList<>();
                for (RecordedEvent e : all) {
                    if (e.getEventType().getName().startsWith("dev.tevent4j.")) mine.add(e);
                }
                assertTrue(mine.size() <= all.size());
                return mine;
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
