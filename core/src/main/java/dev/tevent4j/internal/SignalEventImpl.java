package dev.tevent4j.internal;

import dev.tevent4j.SignalEvent;
import dev.tevent4j.SignalHandler;

final class SignalEventImpl implements SignalEvent {
    private final LoopSignals owner;
    final int signum;
    final SignalHandler handler;
    /** The loop's arrival count for the signal when this handler last ran (or was added). */
    long seen;
    boolean closed;
    long tag;

    SignalEventImpl(LoopSignals owner, int signum, SignalHandler handler, long seen) {
        this.owner = owner;
        this.signum = signum;
        this.handler = handler;
        this.seen = seen;
    }

    @Override
    public int signum() {
        return signum;
    }

    @Override
    public void close() {
        if (closed || owner.loop().isClosed()) return;
        owner.loop().checkOwner();
        owner.close(this);
    }

    @Override
    public long tag() {
        return tag;
    }

    @Override
    public void setTag(long tag) {
        owner.loop().checkOwner();
        this.tag = tag;
    }

    @Override
    public String toString() {
        return "SignalEvent[" + signum + ", " + handler + (tag != 0 ? ", tag " + tag : "") + (closed ? ", closed]" : "]");
    }
}
