package dev.tevent4j.internal;

import dev.tevent4j.FdCloseFn;
import dev.tevent4j.FdEvent;
import dev.tevent4j.FdHandler;

final class FdEventImpl implements FdEvent {
    private final Loop loop;
    final FdSlot slot;
    final FdHandler handler;
    int flags;
    FdCloseFn closeFn;
    boolean autoClose;
    boolean closed;
    /** The kernel lost the fd (closed behind the loop's back): never called again (tevent). */
    boolean disarmed;
    /** The dispatch batch this event was added in; it is not called in that batch. */
    long addedInBatch;

    FdEventImpl(Loop loop, FdSlot slot, int flags, FdHandler handler, long batch) {
        this.loop = loop;
        this.slot = slot;
        this.flags = flags;
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
        loop.checkOwnerAndOpen();
        Checks.fdFlags(flags);
        if (closed) {
            throw new IllegalStateException("setFlags on a closed FdEvent (fd " + slot.fd + ")");
        }
        loop.changeFlags(this, flags);
    }

    @Override
    public void setAutoClose(boolean on) {
        loop.checkOwner();
        autoClose = on;
    }

    @Override
    public void setCloseFn(FdCloseFn fn) {
        loop.checkOwner();
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
        loop.checkOwner();
        loop.closeFd(this);
    }

    @Override
    public String toString() {
        return "FdEvent[fd " + slot.fd + ", flags " + flags + (closed ? ", closed" : "") + "]";
    }
}
