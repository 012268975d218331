package dev.tevent4j.contract.model;

import dev.tevent4j.contract.model.Action.FdReaction;
import dev.tevent4j.contract.model.Action.ImmediateReaction;
import dev.tevent4j.contract.model.Action.TimerReaction;
import dev.tevent4j.contract.model.Scenario.Call;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The reference model of the contract (docs/semantics.md)
 * for scenarios on AF_UNIX socketpairs: no kernel, no time, just the rules. Linux reports on the
 * loop side of a socketpair: EPOLLOUT always (we never write to the peer); EPOLLIN when data is
 * queued or the peer shut down or closed; EPOLLRDHUP (only if asked) after a peer
 * shutdown(SHUT_WR) or close; EPOLLHUP (always) after a peer close.
 */
public final class LoopModel {
    private static final int R = 1, W = 2, E = 4;
    /** Deadlines of "future" timers; "past" ones are their slot (0-3). */
    private static final long FUTURE = 1_000_000;

    private static final class Ev {
        final int id, pair;
        final FdReaction reaction;
        int flags;
        boolean closed;

        Ev(int id, int pair, int flags, FdReaction reaction) {
            this.id = id;
            this.pair = pair;
            this.flags = flags;
            this.reaction = reaction;
        }
    }

    private static final class Fd {
        final List<Ev> events = new ArrayList<>();
        boolean gotError;
        boolean data, peerShut, peerClosed;
    }

    private static final class Tm {
        final int id;
        final TimerReaction reaction;
        boolean active;
        long deadline, seq;

        Tm(int id, TimerReaction reaction) {
            this.id = id;
            this.reaction = reaction;
        }
    }

    private static final class Im {
        final int id;
        final ImmediateReaction reaction;
        boolean scheduled;
        long seq;

        Im(int id, ImmediateReaction reaction) {
            this.id = id;
            this.reaction = reaction;
        }
    }

    private final Fd[] fds = new Fd[Scenario.PAIRS];
    private final List<Ev> evs = new ArrayList<>();
    private final List<Tm> tms = new ArrayList<>();
    private final List<Im> ims = new ArrayList<>();
    private long timerSeq, immSeq;
    private List<Call> calls;
    private int key;

    public LoopModel() {
        for (int i = 0; i < fds.length; i++) fds[i] = new Fd();
    }

    /** The expected outcome: one line per action. */
    public static List<String> expected(List<Action> actions) {
        LoopModel m = new LoopModel();
        List<String> out = new ArrayList<>();
        for (Action a : actions) out.add(m.step(a));
        return out;
    }

    private static <T> T pick(List<T> list, int k) {
        return list.isEmpty() ? null : list.get(Math.floorMod(k, list.size()));
    }

    private String step(Action action) {
        calls = new ArrayList<>();
        key = 0;
        String ret = "";
        switch (action) {
            case Action.AddFd a -> {
                Ev e = new Ev(evs.size(), a.pair(), a.flags(), a.reaction());
                evs.add(e);
                fds[a.pair()].events.add(e);
            }
            case Action.CloseFd a -> {
                Ev e = pick(evs, a.event());
                if (e != null) close(e);
            }
            case Action.SetFlags a -> {
                Ev e = pick(evs, a.event());
                if (e != null && !e.closed) e.flags = a.flags();
            }
            case Action.PeerWrite a -> {
                if (!fds[a.pair()].peerClosed && !fds[a.pair()].peerShut) fds[a.pair()].data = true;
            }
            case Action.Drain a -> fds[a.pair()].data = false;
            case Action.PeerShutdown a -> {
                if (!fds[a.pair()].peerClosed) fds[a.pair()].peerShut = true;
            }
            case Action.PeerClose a -> fds[a.pair()].peerClosed = true;
            case Action.AddTimer a -> addTimer(a.slot(), a.due(), a.reaction());
            case Action.UpdateTimer a -> {
                Tm t = pick(tms, a.timer());
                if (t != null) arm(t, a.slot(), a.due());
            }
            case Action.CancelTimer a -> {
                Tm t = pick(tms, a.timer());
                if (t != null) t.active = false;
            }
            case Action.NewImmediate a -> {
                Im im = new Im(ims.size(), a.reaction());
                ims.add(im);
                schedule(im);
            }
            case Action.ScheduleImmediate a -> {
                Im im = pick(ims, a.immediate());
                if (im != null) schedule(im);
            }
            case Action.CancelImmediate a -> {
                Im im = pick(ims, a.immediate());
                if (im != null) im.scheduled = false;
            }
            case Action.RunOnce a -> {
                boolean alive = alive();
                if (alive) iterate();
                ret = " ret=" + alive;
            }
        }
        return Scenario.line(calls, state() + ret);
    }

    private boolean alive() {
        for (Ev e : evs) if (!e.closed && e.flags != 0) return true;
        for (Tm t : tms) if (t.active) return true;
        for (Im im : ims) if (im.scheduled) return true;
        return false;
    }

    private String state() {
        StringBuilder sb = new StringBuilder();
        for (Ev e : evs) sb.append('e').append(e.id).append('=').append(e.closed ? "-" : Action.flags(e.flags)).append(' ');
        for (Tm t : tms) sb.append('t').append(t.id).append('=').append(t.active ? "on" : "off").append(' ');
        for (Im im : ims) sb.append('i').append(im.id).append('=').append(im.scheduled ? "on" : "off").append(' ');
        return sb.toString().trim();
    }

    private void close(Ev e) {
        if (e.closed) return;
        e.closed = true;
        Fd fd = fds[e.pair];
        fd.events.remove(e);
        if (fd.events.isEmpty()) fd.gotError = false; // the slot goes, and its error mark with it
        calls.add(new Call(key, "closefn e" + e.id));
    }

    private void addTimer(int slot, boolean due, TimerReaction reaction) {
        Tm t = new Tm(tms.size(), reaction);
        tms.add(t);
        arm(t, slot, due);
    }

    private void arm(Tm t, int slot, boolean due) {
        t.deadline = (due ? 0 : FUTURE) + slot;
        t.seq = timerSeq++;
        t.active = true;
    }

    private void schedule(Im im) {
        im.seq = immSeq++;
        im.scheduled = true;
    }

    // ------------------------------------------------------------------ one iteration

    private void iterate() {
        runImmediates();
        runTimers();
        dispatchFds();
    }

    private void runImmediates() {
        long limit = immSeq;
        while (true) {
            Im head = null;
            for (Im im : ims) if (im.scheduled && (head == null || im.seq < head.seq)) head = im;
            if (head == null || head.seq >= limit) return;
            head.scheduled = false;
            calls.add(new Call(0, "i" + head.id));
            switch (head.reaction) {
                case NONE -> { }
                case RESCHEDULE_SELF -> schedule(head);
                case CANCEL_NEXT_IMMEDIATE -> { if (head.id + 1 < ims.size()) ims.get(head.id + 1).scheduled = false; }
                case SCHEDULE_NEXT_IMMEDIATE -> { if (head.id + 1 < ims.size()) schedule(ims.get(head.id + 1)); }
                case ADD_DUE_TIMER -> addTimer(0, true, TimerReaction.NONE);
            }
        }
    }

    private void runTimers() {
        List<Tm> due = new ArrayList<>();
        for (Tm t : tms) if (t.active && t.deadline < FUTURE) due.add(t);
        due.sort(Comparator.<Tm>comparingLong(t -> t.deadline).thenComparingLong(t -> t.seq));
        long[] seqs = new long[due.size()];
        for (int i = 0; i < seqs.length; i++) seqs[i] = due.get(i).seq;
        for (int i = 0; i < seqs.length; i++) {
            Tm t = due.get(i);
            if (!t.active || t.seq != seqs[i]) continue; // cancelled or re-armed during the phase
            t.active = false;
            calls.add(new Call(0, "t" + t.id));
            switch (t.reaction) {
                case NONE -> { }
                case ADD_DUE_TIMER -> addTimer(0, true, TimerReaction.NONE);
                case REARM_SELF -> arm(t, (int) t.deadline, true);
                case CANCEL_NEXT_TIMER -> { if (t.id + 1 < tms.size()) tms.get(t.id + 1).active = false; }
                case SCHEDULE_LAST_IMMEDIATE -> { if (!ims.isEmpty()) schedule(ims.getLast()); }
            }
        }
    }

    /** What the kernel is asked to watch (tevent-semantics.md section 1). */
    private static int interest(Fd fd) {
        int union = 0;
        for (Ev e : fd.events) union |= e.flags;
        if (fd.gotError && (union & (R | E)) == 0) return 0;
        return union;
    }

    private void dispatchFds() {
        int[] ready = new int[fds.length];
        for (int p = 0; p < fds.length; p++) {
            Fd fd = fds[p];
            int want = interest(fd);
            if (fd.events.isEmpty() || want == 0) continue;
            boolean eof = fd.peerShut || fd.peerClosed;
            int in = (want & R) != 0 && (fd.data || eof) ? 1 : 0;
            int out = (want & W) != 0 ? 2 : 0;
            int hangup = fd.peerClosed || (eof && (want & (R | E)) != 0) ? 4 : 0;
            ready[p] = in | out | hangup;
        }
        for (int p = 0; p < fds.length; p++) {
            if (ready[p] != 0) dispatch(p, ready[p]);
        }
    }

    private void dispatch(int pair, int ready) {
        Fd fd = fds[pair];
        if ((ready & 4) != 0) fd.gotError = true;
        int fired = fd.gotError ? R | E : 0;
        if ((ready & 1) != 0) fired |= R;
        if ((ready & 2) != 0) fired |= W;
        for (Ev e : List.copyOf(fd.events)) {
            if (fd.gotError && (e.flags & (R | E)) == 0) continue; // the write-only rule
            int mine = fired & e.flags;
            if (mine == 0) continue;
            fd.events.remove(e);
            fd.events.add(e); // round-robin: to the end of the fd's list
            key = 1 + pair;
            calls.add(new Call(key, "e" + e.id + ":" + Action.flags(mine)));
            switch (e.reaction) {
                case NONE -> { }
                case CLOSE_SELF -> close(e);
                case CLEAR_WRITE -> e.flags &= ~W;
                case CLEAR_ALL -> e.flags = 0;
                case CLOSE_SIBLING -> {
                    Ev sibling = null;
                    for (Ev o : fd.events) if (o != e && (sibling == null || o.id < sibling.id)) sibling = o;
                    if (sibling != null) close(sibling);
                }
                case DRAIN -> fd.data = false;
            }
            key = 0;
            return;
        }
        if (fd.gotError) {
            for (Ev e : fd.events) e.flags &= ~W; // nobody callable: WRITE is cleared everywhere
        }
    }
}
