package dev.tevent4j.internal;

import dev.tevent4j.FdCloseFn;
import dev.tevent4j.FdEvent;
import dev.tevent4j.FdHandler;

/**
 * One FdEvent. Its flags, closed and disarmed state are written only through
 * {@link FdEvents}, which keeps the count of live events.
 */
final class FdEventImpl implements FdEvent {
    private final FdEvents events;
    final FdSlot slot;
    final FdHandler handler;
    int flags;
    FdCloseFn closeFn;
    boolean autoClose;
    boolean closed;
    /** The kernel lost the fd (closed behind the loop's back): never called again (tevent). */
    boolean disarmed;
    /** The dispatch batch this event was added in; it is not called in that batch. */
    final long addedInBatch;
    long tag;

    /** An event with flags 0; {@link FdEvents#add} gives it its flags. */
    FdEventImpl(FdEvents events, FdSlot slot, FdHandler handler, long batch) {
        this.events = events;
        this.slot = slot;
        this.handler = handler;
        this.addedInBatch = batch;
    }

    /** Counts towards {@link dev.tevent4j.EventLoop#run()} staying alive. */
    boolean isLive() {
        return !closed && !disarmed && flags != 0;
    }

    @Override
    public int fd() {
        return slot.fd;
    }

    @Override
    public int flags() {
        return flags;
    }

    @Override
    public void setFlags(int flags) {
        events.loop().checkOwnerAndOpen();
        Checks.fdFlags(flags);
        if (closed) {
            throw new IllegalStateException("setFlags on a closed FdEvent (fd " + slot.fd + ")");
        }
        events.changeFlags(this, flags);
    }

    @Override
    public void setAutoClose(boolean on) {
        events.loop().checkOwner();
        autoClose = on;
    }

    @Override
    public void setCloseFn(FdCloseFn fn) {
        events.loop().checkOwner();
        closeFn = fn;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        events.loop().checkOwner();
        events.close(this);
    }

    @Override
    public long tag() {
        return tag;
    }

    @Override
    public void setTag(long tag) {
        events.loop().checkOwner();
        this.tag = tag;
    }

    @Override
    public String toString() {
        return "FdEvent[fd " + slot.fd + ", flags " + flags + (tag != 0 ? ", tag " + tag : "") + (closed ? ", closed" : "") + "]";
    }
}
