package dev.tevent4j;

/**
 * An action to run on the next iteration, before timers and fds (tevent_immediate). Reusable:
 * schedule it again, from its own action too; one scheduled while the immediate phase runs
 * waits for the next iteration, so a self-rescheduling immediate never starves fds or timers.
 */
public interface Immediate {
    /** Schedules the action; if already scheduled, moves it to the tail of the queue. */
    void schedule();

    /** Unschedules it; idempotent. */
    void cancel();

    /** Whether it is scheduled and has not run yet. */
    boolean isScheduled();
}
