package dev.tevent4j.internal;

import dev.tevent4j.EventTracePoint;

import dev.tevent4j.SignalEvent;
import dev.tevent4j.SignalHandler;
import sun.misc.Signal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One loop's signal events: per signal, a running count of arrivals (bumped by the JVM's handler
 * thread through {@link SignalRegistry}) and the handlers in registration order. Phase 1 of an
 * iteration calls, in ascending signal number, every handler whose signal arrived since it was
 * last called, with the number of arrivals since then (signals coalesce, as in tevent).
 */
final class LoopSignals {
    /** Linux signal numbers are 1..64. */
    private static final int NSIG = 65;

    private final Loop loop;
    private final ThreadedContext wakeGate;
    /** Arrivals since the loop subscribed, per signum. Written by the JVM's handler thread. */
    private final AtomicLongArray arrivals = new AtomicLongArray(NSIG);
    /** Set (volatile) after an arrival is counted; pairs with the loop's re-check in iterate(). */
    private volatile boolean pending;
    @SuppressWarnings("unchecked")
    private final List<SignalEventImpl>[] handlers = new List[NSIG];
    private int live;

    LoopSignals(Loop loop, ThreadedContext wakeGate) {
        this.loop = loop;
        this.wakeGate = wakeGate;
    }

    SignalEvent add(String name, SignalHandler handler) {
        Signal signal = SignalRegistry.resolve(name);
        Checks.notNull(handler, "handler");
        int signum = signal.getNumber();
        if (signum <= 0 || signum >= NSIG) {
            throw new IllegalArgumentException("signal " + name + " has number " + signum + ", outside 1.." + (NSIG - 1));
        }
        SignalRegistry.subscribe(signal, this, name);
        SignalEventImpl e = new SignalEventImpl(this, signum, handler, arrivals.get(signum));
        List<SignalEventImpl> list = handlers[signum];
        if (list == null) handlers[signum] = list = new ArrayList<>(2);
        list.add(e);
        live++;
        loop.traces().signal(e, EventTracePoint.ATTACH);
        return e;
    }

    /** How many signal events are open: they keep run() going. */
    int live() {
        return live;
    }

    /** The loop's cheap check: one volatile read. */
    boolean hasPending() {
        return pending;
    }

    /** JVM signal handler thread: count the arrival, then wake the loop. */
    void arrived(int signum) {
        arrivals.incrementAndGet(signum);
        pending = true;
        wakeGate.wake();
    }

    /** Phase 1: runs the handlers of signals that arrived. */
    boolean runPending() {
        if (!pending) return false;
        // Cleared before reading the counts: an arrival after this read sets it again.
        pending = false;
        boolean ran = false;
        for (int signum = 1; signum < NSIG && !loop.isClosed(); signum++) {
            List<SignalEventImpl> list = handlers[signum];
            if (list == null || list.isEmpty()) continue;
            long total = arrivals.get(signum);
            // A snapshot: handlers may close or add events; one added now is not called now.
            SignalEventImpl[] now = list.toArray(new SignalEventImpl[0]);
            for (SignalEventImpl e : now) {
                if (e.closed || loop.isClosed()) continue;
                long count = total - e.seen;
                if (count <= 0) continue;
                e.seen = total;
                ran = true;
                loop.traces().signal(e, EventTracePoint.BEFORE_HANDLER);
                long t0 = LoopJfr.ON ? System.nanoTime() : 0;
                try {
                    e.handler.onSignal(e, signum, (int) Math.min(count, Integer.MAX_VALUE));
                } catch (Throwable t) {
                    loop.reportUncaught(e, t);
                }
                if (LoopJfr.ON) LoopJfr.handlerRan(t0, "signal", e);
            }
        }
        return ran;
    }

    void close(SignalEventImpl e) {
        if (e.closed) return;
        e.closed = true;
        live--;
        List<SignalEventImpl> list = handlers[e.signum];
        list.remove(e);
        SignalRegistry.unsubscribe(e.signum, this, list.isEmpty());
        loop.traces().signal(e, EventTracePoint.DETACH);
    }

    /** Loop close: closes every signal event, restoring JVM handlers where it was the last. */
    void closeAll() {
        for (List<SignalEventImpl> list : handlers) {
            while (list != null && !list.isEmpty()) {
                close(list.get(0));
            }
        }
    }

    Loop loop() {
        return loop;
    }
}
