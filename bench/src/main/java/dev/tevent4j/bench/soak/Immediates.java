package dev.tevent4j.bench.soak;

import dev.tevent4j.EventLoop;
import dev.tevent4j.Immediate;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Immediates scheduled from the other traffic's handlers (and now and then from their own
 * action). A pool of reusable immediates, each scheduled only while idle; every schedule carries
 * the next number of one global sequence, since immediates run in the order they were scheduled.
 * A schedule when the pool is empty is skipped, not counted.
 */
final class Immediates implements Traffic {
    private static final int POOL = 64;

    private final Tally tally = new Tally("immediate");
    private final SequenceChecker order = new SequenceChecker(tally);
    private final ArrayDeque<Slot> idle = new ArrayDeque<>(POOL);
    private final java.util.SplittableRandom random;
    private long nextNumber;
    private int scheduled;
    private boolean stopped;

    private final class Slot implements Runnable {
        final Immediate immediate;
        long number;
        boolean pending;

        Slot(EventLoop loop) {
            immediate = loop.newImmediate(this);
        }

        @Override
        public void run() {
            if (!pending) {
                tally.duplicated++;
                tally.incident("immediate " + number + " ran again");
                return;
            }
            pending = false;
            scheduled--;
            order.accept(number);
            idle.push(this);
            if (random.nextInt(4) == 0) scheduleOne(); // from an immediate's own action too
        }
    }

    Immediates(EventLoop loop, java.util.SplittableRandom random) {
        this.random = random;
        for (int i = 0; i < POOL; i++) idle.push(new Slot(loop));
    }

    /** Schedules one idle immediate; called from any handler on the loop thread. */
    void scheduleOne() {
        if (stopped) return;
        Slot s = idle.poll();
        if (s == null) return;
        s.number = nextNumber++;
        s.pending = true;
        scheduled++;
        tally.sent++;
        s.immediate.schedule();
    }

    @Override
    public List<Tally> tallies() {
        return List.of(tally);
    }

    @Override
    public void start() {}

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public boolean drained() {
        return scheduled == 0;
    }

    @Override
    public void finish() {
        // Skipped numbers are counted lost already; what was scheduled after the last one run is too.
        tally.lost += nextNumber - order.next();
    }
}
