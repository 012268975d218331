package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.Immediate;
import dev.tevent4j.Request;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random trees of requests composed in the send/recv style: a leaf completes (done, error,
 * post, post-error) after a random number of iterations, times out, or hangs; an inner request
 * completes when its children have; any request may get a past end time, and the driver may
 * cancel any request at a random iteration (its cancel fn may refuse). Whatever happens:
 * every callback runs exactly once, every cleanup exactly once and after its callback, no work
 * of a request runs after it completed (cancelled, timed out...), and no handler throws.
 */
public abstract class RequestChainProperties {

    /** The backend under test, e.g. "epoll". */
    protected abstract String backend();

    enum Action { DONE, ERROR, POST, POST_ERROR, TIMEOUT, HANG, CHILDREN }

    /**
     * @param delay iterations before a DONE/ERROR leaf completes
     * @param cancelAt iteration at which the driver cancels it, or -1
     */
    record Node(Action action, int delay, int cancelAt, boolean cancelRefuses, boolean pastEndTime, List<Node> children) {}

    @Provide
    Arbitrary<Node> trees() {
        return tree(3);
    }

    private Arbitrary<Node> tree(int depth) {
        Arbitrary<Action> leafActions = Arbitraries.of(Action.DONE, Action.ERROR, Action.POST, Action.POST_ERROR,
                Action.TIMEOUT, Action.HANG);
        Arbitrary<Integer> cancelAt = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(-1)), Tuple.of(1, Arbitraries.integers().between(0, 4)));
        Arbitrary<Boolean> rarely = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true)));
        Arbitrary<Node> leaf = Combinators.combine(leafActions, Arbitraries.integers().between(0, 3), cancelAt, rarely, rarely)
                .as((a, d, c, r, e) -> new Node(a, d, c, r, e, List.of()));
        if (depth == 0) return leaf;
        Arbitrary<Node> inner = Combinators.combine(cancelAt, rarely, rarely, tree(depth - 1).list().ofMinSize(1).ofMaxSize(3))
                .as((c, r, e, kids) -> new Node(Action.CHILDREN, 0, c, r, e, kids));
        return Arbitraries.frequencyOf(Tuple.of(2, leaf), Tuple.of(1, inner));
    }

    /** What happened to one request. */
    private static final class Seen {
        final Node node;
        Request<Integer> req;
        int callbacks, cleanups, callbacksBeforeCleanup;
        int workAfterCompletion;
        boolean cancelAccepted;

        Seen(Node node) {
            this.node = node;
        }
    }

    private EventLoop loop;
    private List<Seen> seen;
    private List<Throwable> uncaught;

    @Property(tries = 1000)
    void everyCallbackAndCleanupRunsOnceAndNothingRunsAfterCompletion(@ForAll("trees") Node tree) {
        loop = EventLoop.open(backend());
        seen = new ArrayList<>();
        uncaught = new ArrayList<>();
        loop.setUncaughtExceptionHandler((event, error) -> uncaught.add(error));
        try {
            Request<Integer> root = send(tree);
            Seen rootSeen = seen.getFirst();
            root.onComplete(r -> rootSeen.callbacks++);
            int iterations = 0;
            while (root.isInProgress() && loop.runOnce()) {
                assertTrue(++iterations < 10_000, "the tree never completed");
            }
            // Let deferred callbacks run, then close: whatever still hangs is failed by the close.
            for (int i = 0; i < 3 && loop.runOnce(); i++) { }
        } finally {
            loop.close();
        }
        assertEquals(List.of(), uncaught, "no handler may throw (a late completion would)");
        for (Seen s : seen) {
            String what = s.node.action() + " " + s.req;
            assertEquals(1, s.callbacks, "callbacks of " + what);
            assertEquals(1, s.cleanups, "cleanups of " + what);
            assertEquals(1, s.callbacksBeforeCleanup, "callback before cleanup of " + what);
            assertEquals(0, s.workAfterCompletion, "work after completion of " + what);
            assertTrue(!s.req.isInProgress(), what);
            if (s.cancelAccepted) {
                assertTrue(s.req.cause() instanceof CancellationException, "cancelled: " + what);
            }
            if (s.node.action() == Action.TIMEOUT && !s.cancelAccepted && s.req.cause() != null
                    && !(s.req.cause() instanceof IllegalStateException)) {
                assertTrue(s.req.cause() instanceof TimeoutException, "timed out: " + what);
            }
        }
    }

    /** A send function: starts the node's work and returns its request. */
    private Request<Integer> send(Node node) {
        Request<Integer> req = Request.create(loop);
        Seen s = new Seen(node);
        s.req = req;
        seen.add(s);
        List<Request<Integer>> children = new ArrayList<>();
        Immediate[] work = {null};

        switch (node.action()) {
            case DONE, ERROR -> {
                int[] left = {node.delay()};
                work[0] = loop.newImmediate(() -> {
                    if (!req.isInProgress()) {
                        s.workAfterCompletion++;
                        return;
                    }
                    if (left[0]-- > 0) {
                        work[0].schedule();
                    } else if (node.action() == Action.DONE) {
                        req.done(1);
                    } else {
                        req.error(new IOException("leaf failed"));
                    }
                });
                work[0].schedule();
            }
            case POST -> req.post(1);
            case POST_ERROR -> req.postError(new IOException("leaf failed at once"));
            case TIMEOUT -> req.setEndTime(System.nanoTime() - 1);
            case HANG -> { }
            case CHILDREN -> {
                for (Node c : node.children()) {
                    Request<Integer> child = send(c);
                    children.add(child);
                    Seen cs = seen.get(indexOf(child));
                    child.onComplete(r -> {
                        cs.callbacks++;
                        if (!req.isInProgress()) return; // the parent is gone: a late child is ignored
                        if (r.isError()) {
                            req.error(r.cause());
                            return;
                        }
                        for (Request<Integer> other : children) if (other.isInProgress()) return;
                        int sum = 0;
                        for (Request<Integer> other : children) {
                            // A sibling may have failed with postError: complete, its callback still deferred.
                            if (other.isError()) {
                                req.error(other.cause());
                                return;
                            }
                            sum += other.result();
                        }
                        req.done(sum);
                    });
                }
            }
        }
        if (node.pastEndTime() && req.isInProgress()) req.setEndTime(System.nanoTime() - 1);
        req.setCancelFn(r -> {
            if (node.cancelRefuses()) return false;
            s.cancelAccepted = true;
            if (work[0] != null) work[0].cancel();
            return true;
        });
        req.setCleanupFn(r -> {
            if (s.callbacks == 1) s.callbacksBeforeCleanup++;
            s.cleanups++;
            if (work[0] != null) work[0].cancel();
            for (Request<Integer> child : children) child.cancel(); // tevent frees the children with the parent
        });
        if (node.cancelAt() >= 0) {
            int[] left = {node.cancelAt()};
            Immediate[] canceller = {null};
            canceller[0] = loop.newImmediate(() -> {
                if (left[0]-- > 0) {
                    canceller[0].schedule();
                } else {
                    req.cancel();
                }
            });
            canceller[0].schedule();
        }
        return req;
    }

    private int indexOf(Request<?> r) {
        for (int i = seen.size() - 1; i >= 0; i--) if (seen.get(i).req == r) return i;
        throw new AssertionError("unknown request");
    }
}
