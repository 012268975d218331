package dev.tevent4j.bench.soak;

import dev.tevent4j.Request;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Errno;

import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;

/**
 * One AsyncIo request of the soak: how it was started (with a deadline, cancelled at once,
 * cancelled a little later, or plain) and how often its callback ran, which must be once.
 */
final class IoOp {
    enum Mode { PLAIN, DEADLINE, CANCEL_NOW, CANCEL_LATER }

    /** How a completed request ended, as far as the soak's rules go. */
    enum Outcome { SUCCEEDED, WITHDRAWN, UNEXPECTED }

    final Mode mode;
    final Request<Integer> request;
    int completions;
    /** Set whenever {@code cancel()} was asked, by the mode or by the soak's settling. */
    boolean cancelAsked;

    IoOp(Mode mode, Request<Integer> request) {
        this.mode = mode;
        this.request = request;
    }

    /**
     * A mode for the next op: 1 in 8 cancelled at once, 1 in 8 cancelled later, and with
     * deadlines on 1 in 4 with a deadline.
     */
    static Mode pick(SplittableRandom random, boolean deadlines) {
        int r = random.nextInt(8);
        if (r == 0) return Mode.CANCEL_NOW;
        if (r == 1) return Mode.CANCEL_LATER;
        if (deadlines && r < 4) return Mode.DEADLINE;
        return Mode.PLAIN;
    }

    void cancel() {
        cancelAsked = true;
        request.cancel();
    }

    /**
     * Success is always allowed (the op may win the race with its deadline or cancel); a failure
     * only as TimeoutException after a deadline, or ECANCELED after a cancel.
     */
    Outcome outcome() {
        if (!request.isError()) return Outcome.SUCCEEDED;
        Throwable cause = request.cause();
        if (mode == Mode.DEADLINE && cause instanceof TimeoutException) return Outcome.WITHDRAWN;
        if (cancelAsked && cause instanceof ErrnoException e && e.errno() == Errno.ECANCELED) return Outcome.WITHDRAWN;
        return Outcome.UNEXPECTED;
    }

    @Override
    public String toString() {
        return mode + (cancelAsked ? " (cancel asked)" : "") + " " + request;
    }
}
