package dev.tevent4j.bench.soak;

import dev.tevent4j.EventLoop;
import dev.tevent4j.Request;
import dev.tevent4j.AsyncIo;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * {@value #IN_FLIGHT} AsyncIo nops in flight at all times, each completion starting the next;
 * some with deadlines of 0..20 us, some cancelled. Every request must complete exactly once,
 * with 0 or an allowed failure ({@link IoOp#outcome}).
 */
final class AsyncNops implements Traffic {
    private static final int IN_FLIGHT = 16;
    private static final long MAX_DEADLINE = 20_000;

    private final Tally tally = new Tally("asyncio-nop");
    private final EventLoop loop;
    private final AsyncIo io;
    private final Immediates immediates;
    private final SplittableRandom random;
    private final boolean deadlines;
    private long outstanding;
    private boolean stopped;
    private boolean finished;

    /** The callback of one nop: counts its completions and starts the next. */
    private final class Completion implements Consumer<Request<Integer>> {
        final IoOp op;

        Completion(IoOp op) {
            this.op = op;
        }

        @Override
        public void accept(Request<Integer> r) {
            if (finished) return; // completed by the loop's close: already counted lost
            if (++op.completions > 1) {
                tally.duplicated++;
                tally.incident("nop completed again: " + op);
                return;
            }
            outstanding--;
            switch (op.outcome()) {
                case SUCCEEDED -> {
                    tally.handled++;
                    if (r.result() != 0) tally.violation("nop completed with " + r.result() + ", not 0");
                }
                case WITHDRAWN -> tally.withdrawn++;
                case UNEXPECTED -> tally.violation("nop " + op);
            }
            if ((tally.sent & 15) == 0) immediates.scheduleOne();
            if (!stopped) submit();
        }
    }

    AsyncNops(EventLoop loop, Immediates immediates, SplittableRandom random, boolean deadlines) {
        this.loop = loop;
        this.io = loop.io();
        this.immediates = immediates;
        this.random = random;
        this.deadlines = deadlines;
    }

    private void submit() {
        IoOp.Mode mode = IoOp.pick(random, deadlines);
        IoOp op = new IoOp(mode, io.nop());
        outstanding++;
        tally.sent++;
        switch (mode) {
            case DEADLINE -> op.request.setEndTime(System.nanoTime() + random.nextLong(MAX_DEADLINE + 1));
            case CANCEL_NOW -> op.cancel();
            case CANCEL_LATER -> loop.newImmediate(op::cancel).schedule();
            case PLAIN -> { }
        }
        op.request.onComplete(new Completion(op));
    }

    @Override
    public List<Tally> tallies() {
        return List.of(tally);
    }

    @Override
    public void start() {
        for (int i = 0; i < IN_FLIGHT; i++) submit();
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public boolean drained() {
        return outstanding == 0;
    }

    @Override
    public void finish() {
        finished = true;
        tally.lost += outstanding;
    }
}
