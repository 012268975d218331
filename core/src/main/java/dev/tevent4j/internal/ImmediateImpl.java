package dev.tevent4j.internal;

import dev.tevent4j.Immediate;

final class ImmediateImpl implements Immediate {
    private final Loop loop;
    final Runnable action;
    ImmediateImpl prev, next;
    /** Scheduling order; the phase runs only those scheduled before it began. */
    long seq;
    boolean scheduled;

    ImmediateImpl(Loop loop, Runnable action) {
        this.loop = loop;
        this.action = action;
    }

    @Override
    public void schedule() {
        loop.checkOwnerAndOpen();
        loop.immediates().schedule(this);
    }

    @Override
    public void cancel() {
        loop.checkOwner();
        loop.immediates().cancel(this);
    }

    @Override
    public boolean isScheduled() {
        return scheduled;
    }

    @Override
    public String toString() {
        return "Immediate[" + action + (scheduled ? ", scheduled" : "") + "]";
    }
}
