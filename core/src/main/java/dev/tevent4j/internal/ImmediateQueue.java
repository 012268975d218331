package dev.tevent4j.internal;

import dev.tevent4j.EventTracePoint;

/** Scheduled immediates, an intrusive FIFO list: schedule, cancel and run allocate nothing. */
final class ImmediateQueue {
    private final EventTraces traces;
    private ImmediateImpl head, tail;
    private long nextSeq;
    private int size;

    ImmediateQueue(EventTraces traces) {
        this.traces = traces;
    }

    int size() {
        return size;
    }

    /** Schedules, or moves an already scheduled immediate to the tail (tevent). */
    void schedule(ImmediateImpl im) {
        if (im.scheduled) {
            unlink(im);
        }
        detachTrace(im);
        im.seq = nextSeq++;
        im.scheduled = true;
        im.prev = tail;
        im.next = null;
        if (tail == null) head = im; else tail.next = im;
        tail = im;
        size++;
        im.attached = true;
        traces.immediate(im, EventTracePoint.ATTACH);
    }

    void cancel(ImmediateImpl im) {
        if (im.scheduled) {
            unlink(im);
        }
        detachTrace(im);
    }

    /** After an immediate's action: it left the loop unless the action scheduled it again. */
    void ran(ImmediateImpl im) {
        if (!im.scheduled) detachTrace(im);
    }

    private void detachTrace(ImmediateImpl im) {
        if (!im.attached) return;
        im.attached = false;
        traces.immediate(im, EventTracePoint.DETACH);
    }

    /** The sequence limit of a phase starting now: immediates scheduled later wait. */
    long phaseLimit() {
        return nextSeq;
    }

    /** Unschedules and returns the head if it was scheduled before {@code limit}, else null. */
    ImmediateImpl takeBefore(long limit) {
        ImmediateImpl im = head;
        if (im == null || im.seq >= limit) {
            return null;
        }
        unlink(im);
        return im;
    }

    void clear() {
        while (head != null) {
            ImmediateImpl im = head;
            unlink(im);
            detachTrace(im);
        }
    }

    private void unlink(ImmediateImpl im) {
        if (im.prev == null) head = im.next; else im.prev.next = im.next;
        if (im.next == null) tail = im.prev; else im.next.prev = im.prev;
        im.prev = im.next = null;
        im.scheduled = false;
        size--;
    }
}
