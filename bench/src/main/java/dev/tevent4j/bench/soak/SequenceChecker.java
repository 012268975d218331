package dev.tevent4j.bench.soak;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Checks that the numbers 0, 1, 2, ... of one sender arrive each exactly once and in order, and
 * classifies every departure into its {@link Tally}: a jump forward counts the skipped numbers as
 * lost; a skipped number arriving later moves from lost to reordered; a number at or below the
 * highest seen that was not skipped is a duplicate.
 *
 * <p>Skipped numbers are remembered as ranges, at most {@value #KEPT_RANGES}; when more are
 * skipped the oldest range is forgotten, so its late arrivals would count as duplicates (the
 * run has failed by then anyway).
 */
final class SequenceChecker {
    private static final int KEPT_RANGES = 64;

    private final Tally tally;
    private long next;
    /** Skipped ranges [from, to), oldest first; empty in a clean run. */
    private final ArrayDeque<long[]> missing = new ArrayDeque<>();

    SequenceChecker(Tally tally) {
        this.tally = tally;
    }

    /** The number expected next: one past the highest number seen. */
    long next() {
        return next;
    }

    void accept(long n) {
        if (n == next) {
            next++;
            tally.handled++;
        } else if (n > next) {
            tally.lost += n - next;
            tally.incident("expected " + next + ", got " + n + ": " + (n - next) + " skipped");
            if (missing.size() == KEPT_RANGES) missing.removeFirst();
            missing.addLast(new long[] {next, n});
            next = n + 1;
            tally.handled++;
        } else if (takeMissing(n)) {
            tally.lost--;
            tally.reordered++;
            tally.handled++;
        } else {
            tally.duplicated++;
            tally.incident("got " + n + " again (next expected " + next + ")");
        }
    }

    /** Removes {@code n} from the skipped ranges; false if it was not skipped. */
    private boolean takeMissing(long n) {
        for (Iterator<long[]> it = missing.iterator(); it.hasNext(); ) {
            long[] r = it.next();
            if (n < r[0] || n >= r[1]) continue;
            if (r[1] - r[0] == 1) {
                it.remove();
            } else if (n == r[0]) {
                r[0]++;
            } else if (n == r[1] - 1) {
                r[1]--;
            } else {
                // Split: [from, n) stays in place, [n + 1, to) is remembered as well.
                long to = r[1];
                r[1] = n;
                if (missing.size() == KEPT_RANGES) missing.removeFirst();
                missing.addLast(new long[] {n + 1, to});
            }
            return true;
        }
        return false;
    }
}
