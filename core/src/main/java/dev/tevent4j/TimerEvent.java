package dev.tevent4j;

/**
 * A one-shot timer. It never fires before its deadline; timers due in the same iteration fire
 * earliest first, equal deadlines in the order they were armed. A timer is detached before its
 * handler runs, so the handler may {@link #update} it to fire again.
 */
public interface TimerEvent {
    /** The deadline on the {@link System#nanoTime()} clock. */
    long deadlineNanos();

    /**
     * Re-arms the timer for a new deadline (also after it fired or was cancelled); it goes after
     * every timer already armed for the same deadline.
     */
    void update(long deadlineNanos);

    /** Disarms the timer; idempotent; a timer due in the current phase is not called. */
    void cancel();

    /**
     * The caller's tag, 0 unless set (tevent_timer_get_tag): a number that trace callbacks and
     * Flight Recorder events show, e.g. to tell a connection's events from another's.
     */
    long tag();

    /** Sets the tag (tevent_timer_set_tag); also on a closed or inactive event. Loop thread only. */
    void setTag(long tag);

    /** Whether the timer is armed and has not fired yet. */
    boolean isActive();
}
