package dev.tevent4j.internal;

import dev.tevent4j.TimerEvent;
import dev.tevent4j.TimerHandler;

final class TimerEventImpl implements TimerEvent {
    static final byte IDLE = 0, ARMED = 1, DUE = 2;

    private final Loop loop;
    final TimerHandler handler;
    long deadline;
    /** Arming order: ties on the deadline fire in this order. */
    long seq;
    /** Position in the heap, -1 when not in it. */
    int heapIndex = -1;
    /** IDLE, ARMED (in the heap) or DUE (taken out by the running timer phase, not yet called). */
    byte state = IDLE;
    /** Attached as trace points see it: from arming until it is cancelled or its handler returned. */
    boolean attached;
    long tag;

    TimerEventImpl(Loop loop, TimerHandler handler) {
        this.loop = loop;
        this.handler = handler;
    }

    @Override
    public long deadlineNanos() {
        return deadline;
    }

    @Override
    public void update(long deadlineNanos) {
        loop.checkOwnerAndOpen();
        loop.timers().arm(this, deadlineNanos);
    }

    @Override
    public void cancel() {
        loop.checkOwner();
        loop.timers().cancel(this);
    }

    @Override
    public boolean isActive() {
        return state != IDLE;
    }

    @Override
    public long tag() {
        return tag;
    }

    @Override
    public void setTag(long tag) {
        loop.checkOwner();
        this.tag = tag;
    }

    @Override
    public String toString() {
        return "TimerEvent[deadline " + deadline + (state == IDLE ? ", idle" : "") + (tag != 0 ? ", tag " + tag : "") + "]";
    }
}
