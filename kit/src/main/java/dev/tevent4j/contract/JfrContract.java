package dev.tevent4j.contract;

import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The loop's Flight Recorder events. They exist only in a JVM started with
 * {@code -Dtevent4j.jfr=true} (the switch is read once, into a static final), so a backend runs
 * this class in a surefire execution of its own with that flag and
 * {@code -Dtevent4j.jfr.slowHandlerMillis=20}.
 */
public abstract class JfrContract extends LoopContract {

    @BeforeEach
    void onlyWithTheJfrSwitch() {
        // A class-level @EnabledIfSystemProperty is not inherited by the backends' subclasses.
        assumeTrue(Boolean.getBoolean("tevent4j.jfr"), "run with -Dtevent4j.jfr=true (the backend's jfr surefire execution)");
    }

    @Test
    void everyIterationIsRecordedAsALoopIterationEvent() throws IOException {
        int[] sp = socketpair();
        List<RecordedEvent> events = TraceContract.JfrRecordings.record(() -> {
            loop.addFd(sp[0], dev.tevent4j.FdEvent.READ, (e, f) -> { Fds.read(sp[0], 1); e.close(); });
            Fds.write(sp[1], (byte) 1);
            dev.tevent4j.Immediate im = loop.newImmediate(() -> { });
            im.schedule();
            loop.runOnce();
            im.schedule();
            loop.runOnce();
        });
        List<RecordedEvent> iterations = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.tevent4j.LoopIteration")).toList();
        assertEquals(2, iterations.size(), events.toString());
        for (RecordedEvent e : iterations) {
            assertEquals(backend(), e.getString("backend"));
            assertFalse(e.getBoolean("blocked"), "a handler ran before each wait, so neither could block");
        }
        assertEquals(1, iterations.stream().mapToInt(e -> e.getInt("readyFds")).sum());
    }

    @Test
    void handlerSlowerThanTheThresholdIsRecordedAsASlowHandlerEvent() throws IOException {
        List<RecordedEvent> events = TraceContract.JfrRecordings.record(() -> {
            loop.addTimer(Duration.ZERO, (t, now) -> TraceContract.sleep(60));
            loop.run();
        });
        List<RecordedEvent> slow = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.tevent4j.SlowHandler")).toList();
        assertEquals(1, slow.size(), events.toString());
        assertEquals("timer", slow.getFirst().getString("kind"));
        assertTrue(slow.getFirst().getLong("handlerNanos") >= 60_000_000L);
    }

    @Test
    void everyEventKindsTracePointsAreRecordedWithPointAndTag() throws IOException {
        int[] sp = socketpair();
        List<RecordedEvent> events = TraceContract.JfrRecordings.record(() -> {
            dev.tevent4j.FdEvent fde = loop.addFd(sp[0], dev.tevent4j.FdEvent.READ, (e, f) -> { Fds.read(sp[0], 1); e.close(); });
            fde.setTag(11);
            loop.addTimer(Duration.ZERO, (t, now) -> { }).setTag(12);
            dev.tevent4j.Immediate im = loop.newImmediate(() -> { });
            im.setTag(13);
            im.schedule();
            dev.tevent4j.RequestQueue q = new dev.tevent4j.RequestQueue(loop, "jfr queue");
            dev.tevent4j.Request<Void> r = dev.tevent4j.Request.create(loop);
            q.addEntry(r, x -> r.done(null)).setTag(14);
            dev.tevent4j.SignalEvent se = loop.addSignal("WINCH", (e, s, c) -> { });
            se.setTag(15);
            se.close();
            Fds.write(sp[1], (byte) 1);
            loop.runUntil(() -> fde.isClosed() && !r.isInProgress());
        });
        java.util.function.Function<String, List<String>> points = kind -> events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.tevent4j." + kind + "Trace"))
                .map(e -> e.getString("point") + " " + e.getLong("tag")).toList();
        assertEquals(List.of("ATTACH 0", "BEFORE_HANDLER 11", "DETACH 11"), points.apply("Fd"));
        assertEquals(List.of("ATTACH 0", "BEFORE_HANDLER 12", "DETACH 12"), points.apply("Timer"));
        assertTrue(points.apply("Immediate").containsAll(List.of("BEFORE_HANDLER 13", "DETACH 13")), events.toString());
        assertEquals(List.of("ATTACH 0", "DETACH 15"), points.apply("Signal"));
        assertEquals(List.of("ATTACH 0", "TRIGGER 14", "DETACH 14"), points.apply("Queue"));
        List<RecordedEvent> queue = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.tevent4j.QueueTrace")).toList();
        assertEquals(List.of("jfr queue"), queue.stream().map(e -> e.getString("queue")).distinct().toList());
        assertEquals(List.of(1, 1, 0), queue.stream().map(e -> e.getInt("length")).toList());
        assertTrue(queue.stream().allMatch(e -> e.getBoolean("running")));
        assertEquals(sp[0], events.stream().filter(e -> e.getEventType().getName().equals("dev.tevent4j.FdTrace"))
                .findFirst().orElseThrow().getInt("fd"));
    }

    @Test
    void noEventIsRecordedWithoutARecording() {
        // Nothing to observe but that running with the flag on and no recording works.
        loop.addTimer(Duration.ZERO, (t, now) -> { });
        loop.run();
        assertEquals(List.of(), uncaught);
    }
}
