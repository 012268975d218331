package dev.tevent4j.contract.model;

/**
 * One step of a generated scenario. Scenarios run on {@link Scenario#PAIRS} socketpairs; the
 * loop watches side 0 of each, the scenario plays the peer on side 1. An event, timer or
 * immediate is named by the order it was created in ({@code e2} = the third fd event); a
 * reference {@code k} picks {@code k mod count}, so every shrunk scenario stays valid, and a
 * reference with nothing to pick is a no-op.
 */
public sealed interface Action {

    /**
     * What an fd handler does after recording its call. Each touches only its own fd, so the
     * outcome of an iteration does not depend on the order the kernel reports fds in.
     * CLOSE_SIBLING closes the oldest other open event on the same fd.
     */
    enum FdReaction { NONE, CLOSE_SELF, CLEAR_WRITE, CLEAR_ALL, CLOSE_SIBLING, DRAIN }

    /**
     * What a timer handler does after recording its call. ADD_DUE_TIMER adds a past-deadline
     * timer; CANCEL_NEXT_TIMER cancels the timer created right after this one;
     * SCHEDULE_LAST_IMMEDIATE schedules the most recently created immediate.
     */
    enum TimerReaction { NONE, ADD_DUE_TIMER, REARM_SELF, CANCEL_NEXT_TIMER, SCHEDULE_LAST_IMMEDIATE }

    /**
     * What an immediate does after recording its run; the NEXT immediate is the one created
     * right after it.
     */
    enum ImmediateReaction { NONE, RESCHEDULE_SELF, CANCEL_NEXT_IMMEDIATE, SCHEDULE_NEXT_IMMEDIATE, ADD_DUE_TIMER }

    static String flags(int f) {
        if (f == 0) return "0";
        return ((f & 1) != 0 ? "R" : "") + ((f & 2) != 0 ? "W" : "") + ((f & 4) != 0 ? "E" : "");
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** addFd on pair p's loop side; the handler then does {@code reaction}. */
    record AddFd(int pair, int flags, FdReaction reaction) implements Action {
        public String toString() {
            return "addFd(p" + pair + ", " + Action.flags(flags) + (reaction == FdReaction.NONE ? "" : ", then " + lower(reaction)) + ")";
        }
    }

    record CloseFd(int event) implements Action {
        public String toString() { return "close(e#" + event + ")"; }
    }

    record SetFlags(int event, int flags) implements Action {
        public String toString() { return "setFlags(e#" + event + ", " + Action.flags(flags) + ")"; }
    }

    record PeerWrite(int pair) implements Action {
        public String toString() { return "peerWrite(p" + pair + ")"; }
    }

    /** The loop side reads everything pending (outside any handler). */
    record Drain(int pair) implements Action {
        public String toString() { return "drain(p" + pair + ")"; }
    }

    record PeerShutdown(int pair) implements Action {
        public String toString() { return "peerShutdownWr(p" + pair + ")"; }
    }

    record PeerClose(int pair) implements Action {
        public String toString() { return "peerClose(p" + pair + ")"; }
    }

    /**
     * A timer at slot {@code slot} (0-3) of either the past (due: fires next iteration) or the
     * far future (never fires unless updated); equal slots are equal deadlines.
     */
    record AddTimer(int slot, boolean due, TimerReaction reaction) implements Action {
        public String toString() {
            return "addTimer(" + (due ? "past+" : "future+") + slot
                    + (reaction == TimerReaction.NONE ? "" : ", then " + lower(reaction)) + ")";
        }
    }

    record UpdateTimer(int timer, int slot, boolean due) implements Action {
        public String toString() { return "update(t#" + timer + ", " + (due ? "past+" : "future+") + slot + ")"; }
    }

    record CancelTimer(int timer) implements Action {
        public String toString() { return "cancel(t#" + timer + ")"; }
    }

    /** newImmediate(...) and schedule() it. */
    record NewImmediate(ImmediateReaction reaction) implements Action {
        public String toString() {
            return "newImmediate(" + (reaction == ImmediateReaction.NONE ? "" : "then " + lower(reaction)) + ").schedule()";
        }
    }

    record ScheduleImmediate(int immediate) implements Action {
        public String toString() { return "schedule(i#" + immediate + ")"; }
    }

    record CancelImmediate(int immediate) implements Action {
        public String toString() { return "cancel(i#" + immediate + ")"; }
    }

    /** One loop iteration; never blocks (see {@link ScenarioRunner}). */
    record RunOnce() implements Action {
        public String toString() { return "runOnce"; }
    }
}
