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

    /**
     * The caller's tag, 0 unless set (tevent_immediate_get_tag): a number that trace callbacks and
     * Flight Recorder events show, e.g. to tell a connection's events from another's.
     */
    long tag();

    /** Sets the tag (tevent_immediate_set_tag); also on a closed or inactive event. Loop thread only. */
    void setTag(long tag);

    /** Whether it is scheduled and has not run yet. */
    boolean isScheduled();
}
