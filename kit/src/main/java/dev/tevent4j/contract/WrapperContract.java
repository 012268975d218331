package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Immediate;
import dev.tevent4j.LoopWrapper;
import dev.tevent4j.Request;
import dev.tevent4j.RequestQueue;
import dev.tevent4j.SignalEvent;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.WrapperHooks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wrapper contexts (tevent_context_wrapper_create): handlers registered through a wrapper run
 * between its hooks, in the main loop; the main loop's own handlers do not; a closed wrapper
 * takes no new registrations and detaches nothing.
 */
public abstract class WrapperContract extends LoopContract {
    private final List<String> log = new ArrayList<>();

    /** Hooks that log "before KIND" / "after KIND" with the kind of event they are told of. */
    private final class LoggingHooks implements WrapperHooks {
        @Override
        public void beforeUse(LoopWrapper wrapper) {
            log.add("beforeUse " + wrapper.name());
        }

        @Override
        public void afterUse(LoopWrapper wrapper) {
            log.add("afterUse " + wrapper.name());
        }

        @Override
        public void beforeHandler(LoopWrapper wrapper, Object event) {
            log.add("before " + kind(event));
        }

        @Override
        public void afterHandler(LoopWrapper wrapper, Object event) {
            log.add("after " + kind(event));
        }
    }

    private static String kind(Object event) {
        return switch (event) {
            case FdEvent e -> "fd";
            case TimerEvent e -> "timer";
            case Immediate e -> "immediate";
            case SignalEvent e -> "signal";
            case Request<?> r -> "request " + r.name();
            case Runnable r -> "runnable";
            default -> "other " + event;
        };
    }

    @Test
    void fdTimerAndImmediateHandlersOfTheWrapperRunBetweenItsHooksAndTheMainLoopsDoNot() {
        LoopWrapper w = loop.wrapper("alice", new LoggingHooks());
        int[] sp = socketpair();
        w.addFd(sp[0], FdEvent.READ, (e, f) -> { log.add("fd handler"); Fds.read(sp[0], 1); e.close(); });
        w.addTimer(Duration.ZERO, (t, now) -> log.add("timer handler"));
        w.newImmediate(() -> log.add("immediate action")).schedule();
        loop.newImmediate(() -> log.add("main immediate")).schedule();
        Fds.write(sp[1], (byte) 1);
        loop.run();
        assertEquals(List.of("before immediate", "immediate action", "after immediate", "main immediate",
                "before timer", "timer handler", "after timer", "before fd", "fd handler", "after fd"), log);
        assertEquals(List.of(), uncaught);
    }

    @Test
    void signalHandlerOfTheWrapperRunsBetweenItsHooks() {
        LoopWrapper w = loop.wrapper("bob", new LoggingHooks());
        SignalEvent se = w.addSignal("WINCH", (e, s, c) -> log.add("signal handler"));
        try (Signals.Observer observer = new Signals.Observer(backend(), "WINCH")) {
            Signals.raise("WINCH");
            observer.awaitHeard(1);
        }
        loop.runOnce();
        se.close();
        assertEquals(List.of("before signal", "signal handler", "after signal"), log);
    }

    @Test
    void requestCallbacksOfRequestsCreatedOnTheWrapperRunBetweenItsHooksChildrenIncluded() {
        LoopWrapper w = loop.wrapper("carol", new LoggingHooks());
        Request<String> r = Request.create(w, "outer");
        Request<String> child = Request.createChild(r, "child");
        Request<String> plain = Request.create(loop, "plain");
        assertSame(w, r.loop());
        assertSame(loop, plain.loop());
        r.onComplete(x -> log.add("callback " + x.result()));
        child.onComplete(x -> log.add("callback " + x.result()));
        plain.onComplete(x -> log.add("callback " + x.result()));
        child.done("c");
        r.post("o");
        plain.done("p");
        loop.runUntil(() -> log.size() >= 7);
        assertEquals(List.of("before request child", "callback c", "after request child", "callback p",
                "before request outer", "callback o", "after request outer"), log);
    }

    @Test
    void triggersOfAQueueMadeOnTheWrapperRunBetweenItsHooks() {
        LoopWrapper w = loop.wrapper("dave", new LoggingHooks());
        RequestQueue q = new RequestQueue(w, "wrapped queue");
        Request<Void> r = Request.create(loop, "queued");
        q.add(r, x -> { log.add("trigger"); x.post(null); });
        loop.runUntil(() -> !r.isInProgress());
        assertEquals(List.of("before immediate", "trigger", "after immediate"), log);
    }

    @Test
    void executorRunnablesOfTheWrapperRunBetweenItsHooks() {
        LoopWrapper w = loop.wrapper("erin", new LoggingHooks());
        w.executor().execute(() -> log.add("runnable"));
        loop.executor().execute(() -> log.add("main runnable"));
        loop.runOnce();
        assertEquals(List.of("before runnable", "runnable", "after runnable", "main runnable"), log);
    }

    @Test
    void beforeHandlerThatThrowsKeepsTheHandlerFromRunningAndIsReported() {
        LoopWrapper w = loop.wrapper("frank", new WrapperHooks() {
            @Override
            public void beforeHandler(LoopWrapper wrapper, Object event) {
                throw new IllegalStateException("cannot become frank");
            }

            @Override
            public void afterHandler(LoopWrapper wrapper, Object event) {
                log.add("after");
            }
        });
        w.addTimer(Duration.ZERO, (t, now) -> log.add("handler"));
        Request<Void> r = Request.create(w, "r");
        r.onComplete(x -> log.add("callback"));
        r.done(null);
        loop.newImmediate(() -> log.add("main goes on")).schedule();
        loop.run();
        assertEquals(List.of("main goes on"), log);
        assertEquals(2, uncaught.size(), uncaught.toString());
        for (Throwable t : uncaught) assertEquals("cannot become frank", t.getMessage());
    }

    @Test
    void afterHandlerRunsWhenTheHandlerThrowsAndBothAreReported() {
        LoopWrapper w = loop.wrapper("grace", new WrapperHooks() {
            @Override
            public void afterHandler(LoopWrapper wrapper, Object event) {
                log.add("after");
                throw new IllegalStateException("after failed");
            }
        });
        w.addTimer(Duration.ZERO, (t, now) -> { log.add("handler"); throw new IllegalArgumentException("handler failed"); });
        loop.run();
        assertEquals(List.of("handler", "after"), log);
        assertEquals(List.of("after failed", "handler failed"), uncaught.stream().map(Throwable::getMessage).toList());
    }

    @Test
    void theWrapperCannotRunNorBeWrappedItIsRunByTheMainLoop() {
        LoopWrapper w = loop.wrapper("heidi", new LoggingHooks());
        assertThrows(UnsupportedOperationException.class, w::runOnce);
        assertThrows(UnsupportedOperationException.class, w::run);
        assertThrows(UnsupportedOperationException.class, () -> w.runUntil(() -> true));
        assertThrows(UnsupportedOperationException.class, () -> w.wrapper("nested", new LoggingHooks()));
        assertThrows(NullPointerException.class, () -> loop.wrapper(null, new LoggingHooks()));
        assertThrows(NullPointerException.class, () -> loop.wrapper("x", null));
        assertTrue(w.isWrapper());
        assertFalse(loop.isWrapper());
        assertSame(loop, w.main());
        assertEquals("heidi", w.name());
        assertEquals(loop.backendName(), w.backendName());
        assertTrue(w.sameLoop(loop));
        assertTrue(loop.sameLoop(w));
        assertTrue(w.sameLoop(loop.wrapper("ivan", new LoggingHooks())));
        try (EventLoop other = EventLoop.open(backend())) {
            assertFalse(other.sameLoop(loop));
            assertFalse(w.sameLoop(other));
        }
        assertFalse(loop.sameLoop(null));
    }

    @Test
    void closingTheWrapperRefusesNewRegistrationsAndDetachesNothing() {
        LoopWrapper w = loop.wrapper("judy", new LoggingHooks());
        w.addTimer(Duration.ZERO, (t, now) -> log.add("timer handler"));
        Request<Void> r = Request.create(w, "before close");
        r.onComplete(x -> log.add("callback"));
        w.close();
        w.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> w.addTimer(Duration.ZERO, (t, now) -> { }));
        assertThrows(IllegalStateException.class, () -> w.newImmediate(() -> { }));
        assertThrows(IllegalStateException.class, () -> Request.create(w, "after close"));
        assertThrows(IllegalStateException.class, () -> w.use(() -> { }));
        r.post(null);
        loop.run();
        assertEquals(List.of("before request before close", "callback", "after request before close",
                "before timer", "timer handler", "after timer"), log);
        loop.addTimer(Duration.ZERO, (t, now) -> log.add("main still open"));
        loop.run();
        assertEquals("main still open", log.getLast());
    }

    @Test
    void useRunsTheActionBetweenTheUseHooksAndDoesNotNest() {
        LoopWrapper w = loop.wrapper("mallory", new LoggingHooks());
        w.use(() -> {
            log.add("action");
            assertThrows(IllegalStateException.class, () -> w.use(() -> log.add("nested")));
        });
        assertThrows(IllegalArgumentException.class, () -> w.use(() -> { throw new IllegalArgumentException("action failed"); }));
        assertEquals(List.of("beforeUse mallory", "action", "afterUse mallory", "beforeUse mallory", "afterUse mallory"), log);
    }

    @Test
    void loopWideSettingsThroughTheWrapperAreTheMainLoops() {
        LoopWrapper w = loop.wrapper("oscar", new LoggingHooks());
        List<String> got = new ArrayList<>();
        w.setTimerTrace((t, p) -> got.add(p.name()));
        assertSame(loop.timerTrace(), w.timerTrace());
        loop.addTimer(Duration.ZERO, (t, now) -> { });
        loop.run();
        assertEquals(List.of("ATTACH", "BEFORE_HANDLER", "DETACH"), got);
        assertSame(loop.io(), w.io());
    }
}
