package dev.tevent4j.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * Flight Recorder events of the loop, off unless the JVM starts with {@code -Dtevent4j.jfr=true}.
 * The switch is a static final boolean, so when it is off the JIT folds every
 * {@code if (LoopJfr.ON)} away and the loop pays nothing; when it is on, an event is still
 * created only when a recording enables it (LoopIteration, and the trace points of events:
 * FdTrace, TimerTrace, ImmediateTrace, SignalTrace, QueueTrace) or a handler was slow
 * (SlowHandler).
 *
 * <p>{@code -Dtevent4j.jfr.slowHandlerMillis=N} (default 10) sets what "slow" means.
 */
final class LoopJfr {
    private LoopJfr() {}

    static final boolean ON = Boolean.getBoolean("tevent4j.jfr");
    static final long SLOW_HANDLER_NANOS = Long.getLong("tevent4j.jfr.slowHandlerMillis", 10L) * 1_000_000L;

    @Name("dev.tevent4j.LoopIteration")
    @Label("Loop Iteration")
    @Category({"tevent4j"})
    @Description("One runOnce() of an event loop: its phases, the wait, the fd dispatch")
    static final class LoopIteration extends Event {
        @Label("Backend")
        String backend;
        @Label("Ready Fds")
        @Description("How many fds the wait reported")
        int readyFds;
        @Label("Blocked")
        @Description("Whether the wait could block (no handler ran before it)")
        boolean blocked;
    }

    @Name("dev.tevent4j.SlowHandler")
    @Label("Slow Handler")
    @Category({"tevent4j"})
    @Description("A handler that ran longer than tevent4j.jfr.slowHandlerMillis and held up its loop")
    static final class SlowHandler extends Event {
        @Label("Kind")
        @Description("fd, timer, immediate, signal or runnable")
        String kind;
        @Label("Event")
        String event;
        @Label("Handler Time")
        @Timespan(Timespan.NANOSECONDS)
        long handlerNanos;
    }

    @Name("dev.tevent4j.FdTrace")
    @Label("Fd Event Trace Point")
    @Category({"tevent4j", "Events"})
    @Description("An FdEvent was attached, is about to run its handler, or was detached")
    static final class FdTrace extends Event {
        @Label("Point")
        String point;
        @Label("Tag")
        long tag;
        @Label("Fd")
        int fd;
    }

    @Name("dev.tevent4j.TimerTrace")
    @Label("Timer Trace Point")
    @Category({"tevent4j", "Events"})
    @Description("A TimerEvent was armed, is about to fire, or was detached")
    static final class TimerTrace extends Event {
        @Label("Point")
        String point;
        @Label("Tag")
        long tag;
        @Label("Deadline")
        @Description("System.nanoTime() deadline")
        long deadlineNanos;
    }

    @Name("dev.tevent4j.ImmediateTrace")
    @Label("Immediate Trace Point")
    @Category({"tevent4j", "Events"})
    @Description("An Immediate was scheduled, is about to run, or was detached")
    static final class ImmediateTrace extends Event {
        @Label("Point")
        String point;
        @Label("Tag")
        long tag;
    }

    @Name("dev.tevent4j.SignalTrace")
    @Label("Signal Trace Point")
    @Category({"tevent4j", "Events"})
    @Description("A SignalEvent was added, is about to run its handler, or was closed")
    static final class SignalTrace extends Event {
        @Label("Point")
        String point;
        @Label("Tag")
        long tag;
        @Label("Signal")
        int signum;
    }

    @Name("dev.tevent4j.QueueTrace")
    @Label("Queue Entry Trace Point")
    @Category({"tevent4j", "Events"})
    @Description("A RequestQueue entry joined its queue, is about to trigger, or left")
    static final class QueueTrace extends Event {
        @Label("Point")
        String point;
        @Label("Tag")
        long tag;
        @Label("Queue")
        String queue;
        @Label("Length")
        @Description("Entries in the queue after this point")
        int length;
        @Label("Running")
        boolean running;
    }

    static void fdPoint(dev.tevent4j.EventTracePoint point, long tag, int fd) {
        FdTrace e = new FdTrace();
        if (!e.shouldCommit()) return;
        e.point = point.name();
        e.tag = tag;
        e.fd = fd;
        e.commit();
    }

    static void timerPoint(dev.tevent4j.EventTracePoint point, long tag, long deadlineNanos) {
        TimerTrace e = new TimerTrace();
        if (!e.shouldCommit()) return;
        e.point = point.name();
        e.tag = tag;
        e.deadlineNanos = deadlineNanos;
        e.commit();
    }

    static void immediatePoint(dev.tevent4j.EventTracePoint point, long tag) {
        ImmediateTrace e = new ImmediateTrace();
        if (!e.shouldCommit()) return;
        e.point = point.name();
        e.tag = tag;
        e.commit();
    }

    static void signalPoint(dev.tevent4j.EventTracePoint point, long tag, int signum) {
        SignalTrace e = new SignalTrace();
        if (!e.shouldCommit()) return;
        e.point = point.name();
        e.tag = tag;
        e.signum = signum;
        e.commit();
    }

    static void queuePoint(dev.tevent4j.QueueEntry entry, dev.tevent4j.QueueTracePoint point) {
        QueueTrace e = new QueueTrace();
        if (!e.shouldCommit()) return;
        e.point = point.name();
        e.tag = entry.tag();
        e.queue = entry.queue().name();
        e.length = entry.queue().length();
        e.running = entry.queue().isRunning();
        e.commit();
    }

    /** A started iteration event, or null when no recording wants it. */
    static LoopIteration beginIteration() {
        LoopIteration e = new LoopIteration();
        if (!e.isEnabled()) return null;
        e.begin();
        return e;
    }

    static void endIteration(LoopIteration e, String backend, int readyFds, boolean blocked) {
        e.end();
        if (e.shouldCommit()) {
            e.backend = backend;
            e.readyFds = readyFds;
            e.blocked = blocked;
            e.commit();
        }
    }

    /** After a handler that started at {@code startNanos}: reports it if it was slow. */
    static void handlerRan(long startNanos, String kind, Object event) {
        long took = System.nanoTime() - startNanos;
        if (took < SLOW_HANDLER_NANOS) return;
        SlowHandler e = new SlowHandler();
        if (e.shouldCommit()) {
            e.kind = kind;
            e.event = String.valueOf(event);
            e.handlerNanos = took;
            e.commit();
        }
    }
}
