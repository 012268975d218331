package dev.tevent4j.internal;

import dev.tevent4j.Immediate;

final class ImmediateImpl implements Immediate {
    private final Loop loop;
    final Runnable action;
    ImmediateImpl prev, next;
    /** Scheduling order; the phase runs only those scheduled before it began. */
    long seq;
    boolean scheduled;
    /** Attached as trace points see it: from scheduling until cancelled or its action returned. */
    boolean attached;
    long tag;

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
        return "Immediate[" + action + (scheduled ? ", scheduled" : "") + (tag != 0 ? ", tag " + tag : "") + "]";
    }
}
