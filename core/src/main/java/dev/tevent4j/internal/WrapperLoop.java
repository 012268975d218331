package dev.tevent4j.internal;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.EventLoop;
import dev.tevent4j.EventLoopBase;
import dev.tevent4j.FdEvent;
import dev.tevent4j.FdHandler;
import dev.tevent4j.FdTraceCallback;
import dev.tevent4j.Immediate;
import dev.tevent4j.ImmediateTraceCallback;
import dev.tevent4j.LoopWrapper;
import dev.tevent4j.QueueTraceCallback;
import dev.tevent4j.Request;
import dev.tevent4j.SignalEvent;
import dev.tevent4j.SignalHandler;
import dev.tevent4j.SignalTraceCallback;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.TimerHandler;
import dev.tevent4j.TimerTraceCallback;
import dev.tevent4j.TraceCallback;
import dev.tevent4j.WrapperHooks;
import dev.tevent4j.spi.PersonalityIo;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * A wrapper context (tevent_wrapper.c): registrations go to the main loop with the handler
 * wrapped once, at registration, between the hooks, so the main loop's hot path does not know
 * wrappers exist. Loop-wide settings and running are the main loop's.
 */
final class WrapperLoop extends EventLoopBase implements LoopWrapper {
    private final Loop main;
    private final String name;
    private final WrapperHooks hooks;
    private boolean closed;
    /** Inside {@link #use}: tevent refuses a second push of a busy wrapper. */
    private boolean inUse;
    /** The registered personality, 0 for none. */
    private int personality;
    /** The main loop's AsyncIo with every op carrying {@link #personality}; null until then. */
    private AsyncIo personalIo;

    WrapperLoop(Loop main, String name, WrapperHooks hooks) {
        Checks.notNull(name, "name");
        Checks.notNull(hooks, "hooks");
        this.main = main;
        this.name = name;
        this.hooks = hooks;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EventLoop main() {
        return main;
    }

    @Override
    protected EventLoopBase mainLoop() {
        return main;
    }

    @Override
    public boolean isWrapper() {
        return true;
    }

    // ---------------------------------------------------------------- the hooks

    /** Runs a handler between the hooks; whatever throws goes to the main loop's handler. */
    private boolean before(Object event) {
        try {
            hooks.beforeHandler(this, event);
            return true;
        } catch (Throwable t) {
            main.reportUncaught(event, t);
            return false;
        }
    }

    private void after(Object event) {
        try {
            hooks.afterHandler(this, event);
        } catch (Throwable t) {
            main.reportUncaught(event, t);
        }
    }

    @Override
    protected void beforeCallback(Request<?> request) {
        hooks.beforeHandler(this, request);
    }

    @Override
    protected void afterCallback(Request<?> request) {
        hooks.afterHandler(this, request);
    }

    @Override
    public void use(Runnable action) {
        checkOwnerAndOpen();
        Checks.notNull(action, "action");
        if (inUse) {
            throw new IllegalStateException("wrapper \"" + name + "\" is already in use (use() does not nest)");
        }
        inUse = true;
        try {
            hooks.beforeUse(this);
            try {
                action.run();
            } finally {
                hooks.afterUse(this);
            }
        } finally {
            inUse = false;
        }
    }

    // ---------------------------------------------------------------- registrations

    private void checkRegister() {
        checkOwnerAndOpen();
    }

    @Override
    public FdEvent addFd(int fd, int flags, FdHandler handler) {
        checkRegister();
        Checks.notNull(handler, "handler");
        return main.addFd(fd, flags, (e, f) -> {
            if (!before(e)) return;
            try {
                handler.onFd(e, f);
            } finally {
                after(e);
            }
        });
    }

    @Override
    public TimerEvent addTimer(Duration after, TimerHandler handler) {
        checkRegister();
        long deadline = Checks.deadlineAfter(after, System.nanoTime());
        return addTimerAt(deadline, handler);
    }

    @Override
    public TimerEvent addTimerAt(long deadlineNanos, TimerHandler handler) {
        checkRegister();
        Checks.notNull(handler, "handler");
        return main.addTimerAt(deadlineNanos, (t, now) -> {
            if (!before(t)) return;
            try {
                handler.onTimer(t, now);
            } finally {
                after(t);
            }
        });
    }

    @Override
    public Immediate newImmediate(Runnable action) {
        checkRegister();
        Checks.notNull(action, "action");
        WrappedAction wrapped = new WrappedAction(action);
        Immediate im = main.newImmediate(wrapped);
        wrapped.event = im;
        return im;
    }

    @Override
    public SignalEvent addSignal(String name, SignalHandler handler) {
        checkRegister();
        Checks.notNull(handler, "handler");
        return main.addSignal(name, (se, signum, count) -> {
            if (!before(se)) return;
            try {
                handler.onSignal(se, signum, count);
            } finally {
                after(se);
            }
        });
    }

    /** The executor's runnables, between the hooks (the event is the runnable). */
    @Override
    public Executor executor() {
        return this::executeWrapped;
    }

    private void executeWrapped(Runnable r) {
        if (r == null) throw new NullPointerException("command is null");
        main.executor().execute(new WrappedAction(r));
    }

    /** An immediate's action or a runnable, between the hooks. */
    private final class WrappedAction implements Runnable {
        private final Runnable action;
        /** What the hooks are told runs: the immediate, or the runnable itself. */
        Object event;

        WrappedAction(Runnable action) {
            this.action = action;
            this.event = action;
        }

        @Override
        public void run() {
            Object ev = event;
            if (!before(ev)) return;
            try {
                action.run();
            } finally {
                after(ev);
            }
        }

        @Override
        public String toString() {
            return action + " (wrapper " + name + ")";
        }
    }

    // ---------------------------------------------------------------- the main loop's

    @Override
    public String backendName() {
        return main.backendName();
    }

    @Override
    public AsyncIo io() {
        checkOwnerAndOpen();
        return personalIo != null ? personalIo : main.io();
    }

    @Override
    public int registerPersonality() {
        checkOwnerAndOpen();
        if (personality != 0) {
            throw new IllegalStateException("wrapper \"" + name + "\" has personality " + personality + " already");
        }
        AsyncIo io = main.io();
        if (!(io instanceof PersonalityIo p)) {
            throw new UnsupportedOperationException("per-op credentials need io_uring (IORING_REGISTER_PERSONALITY); the "
                    + main.backendName() + " backend's AsyncIo is " + io.kind() + ", whose ops run with its workers' credentials");
        }
        int id = p.registerPersonality();
        personality = id;
        personalIo = PersonalAsyncIo.of(io, p, id);
        return id;
    }

    @Override
    public int personality() {
        return personality;
    }

    @Override
    public boolean runOnce() {
        throw notHere("runOnce");
    }

    @Override
    public void run() {
        throw notHere("run");
    }

    @Override
    public void runUntil(BooleanSupplier done) {
        throw notHere("runUntil");
    }

    private UnsupportedOperationException notHere(String what) {
        return new UnsupportedOperationException(what + "() on wrapper \"" + name
                + "\": run the main loop; its events run there (tevent aborts here)");
    }

    @Override
    public LoopWrapper wrapper(String name, WrapperHooks hooks) {
        throw new UnsupportedOperationException("wrapper \"" + this.name + "\" cannot be wrapped: wrappers do not stack (tevent refuses too); wrap the main loop");
    }

    @Override
    public void setTraceCallback(TraceCallback cb) {
        main.setTraceCallback(cb);
    }

    @Override
    public TraceCallback traceCallback() {
        return main.traceCallback();
    }

    @Override
    public void setFdTrace(FdTraceCallback cb) {
        main.setFdTrace(cb);
    }

    @Override
    public FdTraceCallback fdTrace() {
        return main.fdTrace();
    }

    @Override
    public void setTimerTrace(TimerTraceCallback cb) {
        main.setTimerTrace(cb);
    }

    @Override
    public TimerTraceCallback timerTrace() {
        return main.timerTrace();
    }

    @Override
    public void setImmediateTrace(ImmediateTraceCallback cb) {
        main.setImmediateTrace(cb);
    }

    @Override
    public ImmediateTraceCallback immediateTrace() {
        return main.immediateTrace();
    }

    @Override
    public void setSignalTrace(SignalTraceCallback cb) {
        main.setSignalTrace(cb);
    }

    @Override
    public SignalTraceCallback signalTrace() {
        return main.signalTrace();
    }

    @Override
    public void setQueueTrace(QueueTraceCallback cb) {
        main.setQueueTrace(cb);
    }

    @Override
    public QueueTraceCallback queueTrace() {
        return main.queueTrace();
    }

    @Override
    public void setUncaughtExceptionHandler(BiConsumer<Object, Throwable> handler) {
        main.setUncaughtExceptionHandler(handler);
    }

    // ---------------------------------------------------------------- EventLoopBase

    @Override
    protected void checkOwner() {
        main.checkOwner();
    }

    @Override
    protected void checkOwnerAndOpen() {
        main.checkOwnerAndOpen();
        if (closed) {
            throw new IllegalStateException("wrapper \"" + name + "\" is closed; it takes no new registrations");
        }
    }

    @Override
    protected boolean inIteration() {
        return main.inIteration();
    }

    @Override
    protected boolean isClosed() {
        return closed || main.isClosed();
    }

    @Override
    protected void reportUncaught(Object source, Throwable error) {
        main.reportUncaught(source, error);
    }

    @Override
    protected void addCloseHook(Runnable hook) {
        main.addCloseHook(hook);
    }

    /** Refuses new registrations; what was registered stays in the main loop. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        main.checkOwner();
        closed = true;
    }

    @Override
    public String toString() {
        return "LoopWrapper[" + name + " on " + main + (closed ? ", closed" : "") + "]";
    }
}
