package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.QueueEntry;
import dev.tevent4j.Request;
import dev.tevent4j.RequestQueue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random request-queue scenarios (add, addEntry, addOptimizeEmpty, waitRequest, triggers that
 * complete at once or later, complete, cancel, remove, untrigger, stop, start, iterations, and
 * a loop close at the end), checked for the queue's invariants and compared across every backend
 * usable here: the trace of triggers, callbacks, state-aware cleanups and queue states must be
 * the same everywhere, since no part of it depends on the kernel.
 */
public abstract class QueueScenarioProperties {

    /** The backend under test, e.g. "epoll". */
    protected abstract String backend();

    /** One step; {@code arg} picks a request or entry (modulo how many there are). */
    record Op(Kind kind, int arg) {
        @Override
        public String toString() {
            return kind + "(" + arg + ")";
        }
    }

    enum Kind { ADD, ADD_INSTANT, ADD_ENTRY, ADD_OPTIMIZE, WAIT, COMPLETE, CANCEL, REMOVE, UNTRIGGER, STOP, START, ITERATE }

    @Provide
    Arbitrary<List<Op>> queueScenarios() {
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 7))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 300)
    void queueInvariantsHoldAndEveryBackendGivesTheSameTrace(@ForAll("queueScenarios") List<Op> ops) {
        List<String> backends = EventLoop.backends();
        assertTrue(backends.contains(backend()), backends + " lacks " + backend());
        List<String> mine = run(backend(), ops);
        for (String other : backends) {
            if (!other.equals(backend())) {
                assertEquals(mine, run(other, ops), "backend " + other + " differs from " + backend() + " for " + ops);
            }
        }
    }

    /** Runs the scenario on a fresh loop, checking invariants as it goes; returns the trace. */
    static List<String> run(String backend, List<Op> ops) {
        List<String> trace = new ArrayList<>();
        List<Request<?>> requests = new ArrayList<>();
        List<QueueEntry> entries = new ArrayList<>();
        Map<Request<?>, Integer> ids = new HashMap<>();
        Map<Integer, Integer> callbacks = new HashMap<>();
        List<Integer> firstTriggers = new ArrayList<>();
        EventLoop loop = EventLoop.open(backend);
        try {
            loop.setUncaughtExceptionHandler((e, t) -> trace.add("uncaught " + t));
            RequestQueue q = new RequestQueue(loop, "q");
            for (Op op : ops) {
                switch (op.kind()) {
                    case ADD, ADD_INSTANT, ADD_ENTRY, ADD_OPTIMIZE -> {
                        Request<String> r = Request.create(loop);
                        int id = requests.size();
                        requests.add(r);
                        ids.put(r, id);
                        boolean instant = op.kind() == Kind.ADD_INSTANT || op.arg() % 2 == 1;
                        r.setStateCleanupFn((x, s) -> trace.add("cleanup " + id + " " + s));
                        java.util.function.Consumer<Request<?>> trigger = x -> {
                            trace.add("trigger " + id);
                            if (!firstTriggers.contains(id)) firstTriggers.add(id);
                            if (instant) r.done("r" + id);
                        };
                        switch (op.kind()) {
                            case ADD_ENTRY -> entries.add(q.addEntry(r, trigger));
                            case ADD_OPTIMIZE -> trace.add("optimized " + q.addOptimizeEmpty(r, trigger));
                            default -> q.add(r, trigger);
                        }
                        r.onComplete(x -> {
                            callbacks.merge(id, 1, Integer::sum);
                            trace.add("callback " + id + " " + x.state());
                        });
                    }
                    case WAIT -> {
                        Request<Void> w = q.waitRequest();
                        int id = requests.size();
                        requests.add(w);
                        ids.put(w, id);
                        w.onComplete(x -> {
                            callbacks.merge(id, 1, Integer::sum);
                            trace.add("wait " + id + " " + x.state());
                        });
                    }
                    case COMPLETE -> {
                        Request<?> r = pickInProgress(requests, op.arg());
                        if (r != null) {
                            @SuppressWarnings("unchecked") Request<Object> o = (Request<Object>) r;
                            o.done(null);
                        }
                    }
                    case CANCEL -> {
                        Request<?> r = pickInProgress(requests, op.arg());
                        if (r != null) trace.add("cancel " + ids.get(r) + " " + r.cancel());
                    }
                    case REMOVE -> {
                        if (!entries.isEmpty()) entries.get(op.arg() % entries.size()).remove();
                    }
                    case UNTRIGGER -> {
                        if (!entries.isEmpty()) {
                            QueueEntry e = entries.get(op.arg() % entries.size());
                            try {
                                e.untrigger();
                                trace.add("untriggered " + ids.get(e.request()));
                            } catch (IllegalStateException refused) {
                                trace.add("untrigger refused");
                            }
                        }
                    }
                    case STOP -> q.stop();
                    case START -> q.start();
                    case ITERATE -> {
                        loop.addTimer(Duration.ZERO, (t, now) -> { });
                        loop.runOnce();
                    }
                }
                trace.add(q.toString());
                int queued = 0;
                for (QueueEntry e : entries) if (e.isQueued()) queued++;
                assertTrue(q.length() >= queued, "length " + q.length() + " < " + queued + " queued entries, " + ops);
                for (Integer n : callbacks.values()) assertEquals(1, n, "a callback ran twice, " + ops);
            }
            loop.close();
        } finally {
            loop.close();
        }
        for (Request<?> r : requests) {
            assertTrue(!r.isInProgress(), "loop close completes every request, " + ops);
        }
        assertEquals(requests.size(), callbacks.size(), "every callback ran once, " + ops);
        List<Integer> sorted = new ArrayList<>(firstTriggers);
        sorted.sort(null);
        assertEquals(sorted, firstTriggers, "triggers run in FIFO order, " + ops);
        return trace;
    }

    private static Request<?> pickInProgress(List<Request<?>> requests, int arg) {
        List<Request<?>> open = new ArrayList<>();
        for (Request<?> r : requests) if (r.isInProgress()) open.add(r);
        return open.isEmpty() ? null : open.get(arg % open.size());
    }
}
