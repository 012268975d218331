package dev.tevent4j.internal;

import dev.tevent4j.EventTracePoint;

/**
 * Armed timers in a binary min-heap ordered by (deadline, arming sequence), so equal deadlines
 * fire FIFO. Each timer knows its heap index: cancel and update are O(log n) and allocate
 * nothing. The timer phase first takes every timer due when it began into a reusable batch, so
 * timers armed by handlers during the phase wait for the next iteration.
 */
final class TimerQueue {
    private final EventTraces traces;
    private TimerEventImpl[] heap = new TimerEventImpl[64];
    private int size;
    private long nextSeq;
    /** Timers taken out as due by the current phase, with the seq they were due under. */
    private TimerEventImpl[] due = new TimerEventImpl[16];
    private int dueCount;
    /** Timers not IDLE: in the heap or due. */
    private int active;

    TimerQueue(EventTraces traces) {
        this.traces = traces;
    }

    int active() {
        return active;
    }

    /** The earliest deadline, or Long.MAX_VALUE when no timer is armed. */
    long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    void arm(TimerEventImpl t, long deadline) {
        detach(t);
        detachTrace(t); // re-arming an armed timer: DETACH, then ATTACH
        t.deadline = deadline;
        t.seq = nextSeq++;
        t.state = TimerEventImpl.ARMED;
        active++;
        if (size == heap.length) {
            TimerEventImpl[] grown = new TimerEventImpl[size * 2];
            System.arraycopy(heap, 0, grown, 0, size);
            heap = grown;
        }
        heap[size] = t;
        t.heapIndex = size;
        siftUp(size++);
        t.attached = true;
        traces.timer(t, EventTracePoint.ATTACH);
    }

    void cancel(TimerEventImpl t) {
        detach(t);
        detachTrace(t);
    }

    /** After a fired timer's handler: it left the loop unless the handler re-armed it. */
    void fired(TimerEventImpl t) {
        if (t.state == TimerEventImpl.IDLE) detachTrace(t);
    }

    private void detachTrace(TimerEventImpl t) {
        if (!t.attached) return;
        t.attached = false;
        traces.timer(t, EventTracePoint.DETACH);
    }

    private void detach(TimerEventImpl t) {
        if (t.state == TimerEventImpl.ARMED) {
            removeAt(t.heapIndex);
        }
        if (t.state != TimerEventImpl.IDLE) {
            active--;
        }
        t.state = TimerEventImpl.IDLE;
    }

    /** Takes every timer with deadline <= now out of the heap, in firing order. */
    int takeDue(long now) {
        dueCount = 0;
        while (size > 0 && heap[0].deadline <= now) {
            TimerEventImpl t = heap[0];
            removeAt(0);
            t.state = TimerEventImpl.DUE;
            if (dueCount == due.length) {
                TimerEventImpl[] grown = new TimerEventImpl[dueCount * 2];
                System.arraycopy(due, 0, grown, 0, dueCount);
                due = grown;
            }
            due[dueCount++] = t;
        }
        return dueCount;
    }

    /**
     * The i-th due timer, detached and marked idle, or null if a handler cancelled or re-armed
     * it since the phase began.
     */
    TimerEventImpl claimDue(int i) {
        TimerEventImpl t = due[i];
        due[i] = null;
        if (t == null || t.state != TimerEventImpl.DUE) {
            return null;
        }
        t.state = TimerEventImpl.IDLE;
        active--;
        return t;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            TimerEventImpl t = heap[i];
            t.state = TimerEventImpl.IDLE;
            t.heapIndex = -1;
            heap[i] = null;
            detachTrace(t);
        }
        for (int i = 0; i < dueCount; i++) {
            TimerEventImpl t = due[i];
            if (t != null) {
                t.state = TimerEventImpl.IDLE;
                due[i] = null;
                detachTrace(t);
            }
        }
        size = 0;
        dueCount = 0;
        active = 0;
    }

    private static boolean before(TimerEventImpl a, TimerEventImpl b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.seq < b.seq);
    }

    private void removeAt(int i) {
        TimerEventImpl removed = heap[i];
        removed.heapIndex = -1;
        int last = --size;
        if (i != last) {
            TimerEventImpl moved = heap[last];
            heap[i] = moved;
            moved.heapIndex = i;
            heap[last] = null;
            if (i > 0 && before(moved, heap[(i - 1) >>> 1])) {
                siftUp(i);
            } else {
                siftDown(i);
            }
        } else {
            heap[last] = null;
        }
    }

    private void siftUp(int i) {
        TimerEventImpl t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimerEventImpl p = heap[parent];
            if (!before(t, p)) break;
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        TimerEventImpl t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) child = right;
            if (!before(heap[child], t)) break;
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}
