package dev.tevent4j.internal;

import dev.tevent4j.FdEvent;

/**
 * Everything the loop keeps about one fd: the FdEvents watching it, in round-robin order, what
 * the kernel is asked to watch, and tevent's sticky error state.
 */
final class FdSlot {
    final int fd;
    FdEventImpl[] events = new FdEventImpl[2];
    int count;
    /** What the poller watches now (FdEvent bits); 0 = not registered. */
    int interest;
    /** Set by a hangup/error report; sticky while any event remains on the fd (tevent). */
    boolean gotError;

    FdSlot(int fd) {
        this.fd = fd;
    }

    void add(FdEventImpl e) {
        if (count == events.length) {
            FdEventImpl[] grown = new FdEventImpl[count * 2];
            System.arraycopy(events, 0, grown, 0, count);
            events = grown;
        }
        events[count++] = e;
    }

    void remove(FdEventImpl e) {
        for (int i = 0; i < count; i++) {
            if (events[i] == e) {
                System.arraycopy(events, i + 1, events, i, count - i - 1);
                events[--count] = null;
                return;
            }
        }
    }

    /** Moves the event at {@code i} to the end: tevent's round-robin among events of one fd. */
    void rotateToEnd(int i) {
        FdEventImpl e = events[i];
        System.arraycopy(events, i + 1, events, i, count - i - 1);
        events[count - 1] = e;
    }

    /**
     * What the kernel must watch: the union of the armed events' flags, or nothing once the fd
     * is in the error state and only writers remain (epoll would keep reporting the error to
     * events that must never be called: tevent's write-only rule).
     */
    int wantedInterest() {
        int union = 0;
        for (int i = 0; i < count; i++) {
            FdEventImpl e = events[i];
            if (!e.disarmed) {
                union |= e.flags;
            }
        }
        if (gotError && (union & (FdEvent.READ | FdEvent.ERROR)) == 0) {
            return 0;
        }
        return union;
    }
}
