package dev.tevent4j.contract.model;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Immediate;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.contract.Fds;
import dev.tevent4j.contract.model.Action.ImmediateReaction;
import dev.tevent4j.contract.model.Action.TimerReaction;
import dev.tevent4j.contract.model.Scenario.Call;
import dev.tevent4j.linux.Libc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a scenario on a real loop over real socketpairs and records the same outcome lines as
 * {@link LoopModel}. Nothing waits on the clock: timers are at fixed offsets far in the past or
 * far in the future, and every iteration the model expects to be alive first schedules a
 * harness immediate (which records nothing) so the wait has timeout 0; an iteration the model
 * expects to find nothing registered gets a watchdog that wakes the loop through its executor
 * after 2 s, so a loop that wrongly thinks itself alive fails the property instead of hanging.
 */
public final class ScenarioRunner {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scenario-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final long FAR = 1_000_000_000_000L;

    private final EventLoop loop;
    private final int[][] pairs = new int[Scenario.PAIRS][];
    private final boolean[] peerClosed = new boolean[Scenario.PAIRS];
    private final boolean[] peerShut = new boolean[Scenario.PAIRS];
    private final List<FdEvent> evs = new ArrayList<>();
    private final List<Integer> evPair = new ArrayList<>();
    private final List<TimerEvent> tms = new ArrayList<>();
    private final List<Immediate> ims = new ArrayList<>();
    private final Immediate harness;
    private final long base = System.nanoTime();
    private List<Call> calls = new ArrayList<>();
    private int key;
    private boolean recording = true;

    private ScenarioRunner(String backend) {
        loop = EventLoop.open(backend);
        loop.setUncaughtExceptionHandler((ev, err) -> calls.add(new Call(key, "threw " + err)));
        harness = loop.newImmediate(() -> { });
        for (int i = 0; i < pairs.length; i++) pairs[i] = Fds.socketpair();
    }

    /** The observed outcome of {@code actions} on {@code backend}: one line per action. */
    public static List<String> observed(String backend, List<Action> actions) {
        ScenarioRunner r = new ScenarioRunner(backend);
        try {
            List<String> out = new ArrayList<>();
            for (Action a : actions) out.add(r.step(a));
            return out;
        } finally {
            r.close();
        }
    }

    private void close() {
        recording = false;
        loop.close();
        for (int i = 0; i < pairs.length; i++) {
            Fds.close(pairs[i][0]);
            if (!peerClosed[i]) Fds.close(pairs[i][1]);
        }
    }

    private static <T> T pick(List<T> list, int k) {
        return list.isEmpty() ? null : list.get(Math.floorMod(k, list.size()));
    }

    private long deadline(int slot, boolean due) {
        return (due ? base - FAR : base + FAR) + slot;
    }

    private String step(Action action) {
        calls = new ArrayList<>();
        key = 0;
        String ret = "";
        switch (action) {
            case Action.AddFd a -> addFd(a);
            case Action.CloseFd a -> {
                FdEvent e = pick(evs, a.event());
                if (e != null) e.close();
            }
            case Action.SetFlags a -> {
                FdEvent e = pick(evs, a.event());
                if (e != null && !e.isClosed()) e.setFlags(a.flags());
            }
            case Action.PeerWrite a -> {
                if (!peerClosed[a.pair()] && !peerShut[a.pair()]) Fds.write(pairs[a.pair()][1], (byte) 'x');
            }
            case Action.Drain a -> Fds.drain(pairs[a.pair()][0]);
            case Action.PeerShutdown a -> {
                if (!peerClosed[a.pair()] && !peerShut[a.pair()]) {
                    Fds.shutdown(pairs[a.pair()][1], Libc.SHUT_WR);
                    peerShut[a.pair()] = true;
                }
            }
            case Action.PeerClose a -> {
                if (!peerClosed[a.pair()]) {
                    Fds.close(pairs[a.pair()][1]);
                    peerClosed[a.pair()] = true;
                }
            }
            case Action.AddTimer a -> addTimer(a.slot(), a.due(), a.reaction());
            case Action.UpdateTimer a -> {
                TimerEvent t = pick(tms, a.timer());
                if (t != null) t.update(deadline(a.slot(), a.due()));
            }
            case Action.CancelTimer a -> {
                TimerEvent t = pick(tms, a.timer());
                if (t != null) t.cancel();
            }
            case Action.NewImmediate a -> newImmediate(a.reaction()).schedule();
            case Action.ScheduleImmediate a -> {
                Immediate im = pick(ims, a.immediate());
                if (im != null) im.schedule();
            }
            case Action.CancelImmediate a -> {
                Immediate im = pick(ims, a.immediate());
                if (im != null) im.cancel();
            }
            case Action.RunOnce a -> ret = " ret=" + runOnce();
        }
        return Scenario.line(calls, state() + ret);
    }

    private boolean runOnce() {
        if (expectAlive()) {
            harness.schedule();
            return loop.runOnce();
        }
        ScheduledFuture<?> wake = WATCHDOG.schedule(() -> loop.executor().execute(() -> { }), 2, TimeUnit.SECONDS);
        try {
            return loop.runOnce();
        } finally {
            wake.cancel(false);
        }
    }

    /** What the contract says keeps a loop alive, read from the public API. */
    private boolean expectAlive() {
        for (FdEvent e : evs) if (!e.isClosed() && e.flags() != 0) return true;
        for (TimerEvent t : tms) if (t.isActive()) return true;
        for (Immediate im : ims) if (im.isScheduled()) return true;
        return false;
    }

    private String state() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < evs.size(); i++) {
            FdEvent e = evs.get(i);
            sb.append('e').append(i).append('=').append(e.isClosed() ? "-" : Action.flags(e.flags())).append(' ');
        }
        for (int i = 0; i < tms.size(); i++) sb.append('t').append(i).append('=').append(tms.get(i).isActive() ? "on" : "off").append(' ');
        for (int i = 0; i < ims.size(); i++) sb.append('i').append(i).append('=').append(ims.get(i).isScheduled() ? "on" : "off").append(' ');
        return sb.toString().trim();
    }

    private void addFd(Action.AddFd a) {
        int id = evs.size();
        int pair = a.pair();
        FdEvent e = loop.addFd(pairs[pair][0], a.flags(), (fde, fired) -> {
            key = 1 + pair;
            calls.add(new Call(key, "e" + id + ":" + Action.flags(fired)));
            switch (a.reaction()) {
                case NONE -> { }
                case CLOSE_SELF -> fde.close();
                case CLEAR_WRITE -> fde.setFlags(fde.flags() & ~FdEvent.WRITE);
                case CLEAR_ALL -> fde.setFlags(0);
                case CLOSE_SIBLING -> {
                    for (int i = 0; i < evs.size(); i++) {
                        if (i != id && evPair.get(i) == pair && !evs.get(i).isClosed()) {
                            evs.get(i).close();
                            break;
                        }
                    }
                }
                case DRAIN -> Fds.drain(pairs[pair][0]);
            }
            key = 0;
        });
        e.setCloseFn((fde, fd) -> {
            if (recording) calls.add(new Call(key, "closefn e" + id));
        });
        evs.add(e);
        evPair.add(pair);
    }

    private void addTimer(int slot, boolean due, TimerReaction reaction) {
        int id = tms.size();
        TimerEvent t = loop.addTimerAt(deadline(slot, due), (te, now) -> {
            calls.add(new Call(0, "t" + id));
            switch (reaction) {
                case NONE -> { }
                case ADD_DUE_TIMER -> addTimer(0, true, TimerReaction.NONE);
                case REARM_SELF -> te.update(te.deadlineNanos());
                case CANCEL_NEXT_TIMER -> { if (id + 1 < tms.size()) tms.get(id + 1).cancel(); }
                case SCHEDULE_LAST_IMMEDIATE -> { if (!ims.isEmpty()) ims.getLast().schedule(); }
            }
        });
        tms.add(t);
    }

    private Immediate newImmediate(ImmediateReaction reaction) {
        int id = ims.size();
        Immediate[] self = new Immediate[1];
        self[0] = loop.newImmediate(() -> {
            calls.add(new Call(0, "i" + id));
            switch (reaction) {
                case NONE -> { }
                case RESCHEDULE_SELF -> self[0].schedule();
                case CANCEL_NEXT_IMMEDIATE -> { if (id + 1 < ims.size()) ims.get(id + 1).cancel(); }
                case SCHEDULE_NEXT_IMMEDIATE -> { if (id + 1 < ims.size()) ims.get(id + 1).schedule(); }
                case ADD_DUE_TIMER -> addTimer(0, true, TimerReaction.NONE);
            }
        });
        ims.add(self[0]);
        return self[0];
    }
}
