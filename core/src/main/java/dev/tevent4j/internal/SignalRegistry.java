package dev.tevent4j.internal;

import sun.misc.Signal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The JVM-wide side of signal events. The JVM has one {@link sun.misc.SignalHandler} per signal,
 * so the first {@link dev.tevent4j.SignalEvent} for a signal, in any loop, installs one fan-out
 * handler and remembers the handler it replaced; every loop with an event for that signal
 * subscribes to it; the fan-out counts the arrival in each subscribed loop and wakes it. When the
 * last event for the signal, across all loops, is closed, the remembered handler is put back.
 *
 * <p>The JVM runs a signal's Java handler on a thread of its own, never in the native signal
 * context, so the fan-out may take locks and allocate; the loops only ever see a counter bump
 * and a wakeup.
 */
final class SignalRegistry {
    private SignalRegistry() {}

    /** Signals the JVM keeps for itself even when sun.misc.Signal would accept them. */
    private static final String RESERVED_QUIT = "QUIT";

    /** One installed fan-out handler. Guarded by the class lock except {@link #loops}. */
    private static final class Installed {
        final Signal signal;
        final sun.misc.SignalHandler previous;
        /** Read by the JVM's handler thread without the lock. */
        final CopyOnWriteArrayList<LoopSignals> loops = new CopyOnWriteArrayList<>();
        int events;

        Installed(Signal signal, sun.misc.SignalHandler previous) {
            this.signal = signal;
            this.previous = previous;
        }
    }

    private static final Map<Integer, Installed> INSTALLED = new HashMap<>();

    /**
     * Resolves a signal name ("HUP" or "SIGHUP") to a {@link Signal}, refusing unknown and
     * reserved names with a message that names the signal.
     */
    static Signal resolve(String name) {
        Checks.notNull(name, "name");
        String bare = name.startsWith("SIG") ? name.substring(3) : name;
        if (bare.isEmpty()) {
            throw new IllegalArgumentException("name \"" + name + "\" is not a signal name (use e.g. \"HUP\" or \"SIGHUP\")");
        }
        if (bare.equals(RESERVED_QUIT)) {
            throw new IllegalArgumentException("signal " + name
                    + " is reserved by the JVM (thread dumps); it cannot be handled by an event loop");
        }
        try {
            return new Signal(bare);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("name \"" + name + "\" is not a known signal (use e.g. \"HUP\" or \"SIGHUP\")", e);
        }
    }

    /** Counts one more event of {@code loop} for {@code signal}, installing the fan-out if first. */
    static synchronized void subscribe(Signal signal, LoopSignals loop, String name) {
        Installed in = INSTALLED.get(signal.getNumber());
        if (in == null) {
            sun.misc.SignalHandler previous;
            try {
                previous = Signal.handle(signal, SignalRegistry::fanOut);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("signal " + name + " is reserved by the JVM or the OS: "
                        + e.getMessage(), e);
            }
            in = new Installed(signal, previous);
            INSTALLED.put(signal.getNumber(), in);
        }
        in.events++;
        if (!in.loops.contains(loop)) in.loops.add(loop);
    }

    /**
     * One event of {@code loop} for {@code signum} is gone; {@code lastOfLoop} says whether it was
     * the loop's last one for the signal. The last one overall restores the JVM's handler.
     */
    static synchronized void unsubscribe(int signum, LoopSignals loop, boolean lastOfLoop) {
        Installed in = INSTALLED.get(signum);
        if (in == null) return;
        if (lastOfLoop) in.loops.remove(loop);
        if (--in.events == 0) {
            INSTALLED.remove(signum);
            Signal.handle(in.signal, in.previous);
        }
    }

    /** Runs on the JVM's signal handler thread. */
    private static void fanOut(Signal signal) {
        Installed in;
        synchronized (SignalRegistry.class) {
            in = INSTALLED.get(signal.getNumber());
        }
        if (in == null) return; // closed meanwhile: the arrival belongs to nobody now
        for (LoopSignals loop : in.loops) {
            loop.arrived(signal.getNumber());
        }
    }
}
