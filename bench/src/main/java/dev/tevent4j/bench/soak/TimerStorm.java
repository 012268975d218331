package dev.tevent4j.bench.soak;

import dev.tevent4j.EventLoop;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.TimerHandler;

import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Many one-shot timers at random deadlines 0..2 ms ahead; each one fired arms the next, so
 * {@value #ARMED} stay armed. Each must fire exactly once, never before its deadline, and in
 * (deadline, arming order): since every deadline is at or after the moment it was armed, the
 * timers fired over the whole run form one sorted sequence.
 *
 * <p>Doomed timers are cancelled before they fire and must never fire: some share the deadline
 * of a regular timer armed just before them, which cancels them from its handler while they are
 * due in the same timer phase; others have their own deadline and are cancelled by the next
 * regular timer to fire.
 */
final class TimerStorm implements Traffic {
    private static final int ARMED = 256;
    private static final long MAX_DELAY = 2_000_000;

    private static final int ARMED_STATE = 0, FIRED = 1, CANCELLED = 2;

    private final Tally tally = new Tally("timer");
    private final EventLoop loop;
    private final Immediates immediates;
    private final SplittableRandom random;
    private final ArrayDeque<Timer> doomed = new ArrayDeque<>();
    private long armings;
    private long armedCount;
    private long lastDeadline = Long.MIN_VALUE, lastArming = -1;
    private boolean stopped;

    private final class Timer implements TimerHandler {
        final long deadline;
        final long arming = armings++;
        final boolean isDoomed;
        int state = ARMED_STATE;
        TimerEvent event;
        /** A doomed timer with the same deadline, armed after this one: this one cancels it. */
        Timer twin;

        Timer(long deadline, boolean isDoomed) {
            this.deadline = deadline;
            this.isDoomed = isDoomed;
        }

        @Override
        public void onTimer(TimerEvent te, long nowNanos) {
            long clock = System.nanoTime();
            if (state == FIRED) {
                tally.duplicated++;
                tally.incident("timer " + arming + " fired again");
                return;
            }
            if (state == CANCELLED) {
                tally.violation("timer " + arming + " fired after it was cancelled");
                return;
            }
            state = FIRED;
            armedCount--;
            tally.handled++;
            if (nowNanos < deadline || clock < deadline) {
                tally.violation("timer " + arming + " fired " + (deadline - Math.min(nowNanos, clock)) + " ns before its deadline");
            }
            if (deadline < lastDeadline || (deadline == lastDeadline && arming < lastArming)) {
                tally.reordered++;
                tally.incident("timer " + arming + " (deadline " + deadline + ") fired after timer " + lastArming
                        + " (deadline " + lastDeadline + ")");
            }
            lastDeadline = deadline;
            lastArming = arming;
            if (twin != null) cancel(twin);
            Timer oldest = doomed.poll();
            if (oldest != null) cancel(oldest);
            if (!isDoomed && !stopped) armRegular();
            if ((arming & 3) == 0) immediates.scheduleOne();
        }
    }

    TimerStorm(EventLoop loop, Immediates immediates, SplittableRandom random) {
        this.loop = loop;
        this.immediates = immediates;
        this.random = random;
    }

    private Timer arm(long deadline, boolean isDoomed) {
        Timer t = new Timer(deadline, isDoomed);
        t.event = loop.addTimerAt(deadline, t);
        armedCount++;
        tally.sent++;
        return t;
    }

    private void armRegular() {
        long now = System.nanoTime();
        Timer t = arm(now + random.nextLong(MAX_DELAY + 1), false);
        switch (random.nextInt(8)) {
            case 0 -> t.twin = arm(t.deadline, true);
            case 1 -> doomed.add(arm(now + random.nextLong(MAX_DELAY + 1), true));
            default -> { }
        }
    }

    /** Cancels a timer that has not fired by this class's own account. */
    private void cancel(Timer t) {
        if (t.state != ARMED_STATE) return;
        t.state = CANCELLED;
        t.event.cancel();
        armedCount--;
        tally.withdrawn++;
    }

    @Override
    public List<Tally> tallies() {
        return List.of(tally);
    }

    @Override
    public void start() {
        for (int i = 0; i < ARMED; i++) armRegular();
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public boolean drained() {
        // Doomed timers whose canceller already fired are left to fire (allowed: never cancelled).
        return armedCount == 0;
    }

    @Override
    public void finish() {
        tally.lost += armedCount;
    }
}
