package dev.tevent4j.bench.soak;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The soak's verdicts are only as good as its classifier: each departure from 0, 1, 2, ... in its own counter. */
@Timeout(10)
class SequenceCheckerTest {
    private static Tally feed(long... numbers) {
        Tally t = new Tally("test");
        SequenceChecker c = new SequenceChecker(t);
        for (long n : numbers) c.accept(n);
        return t;
    }

    @Test
    void anUnbrokenSequenceIsAllHandled() {
        Tally t = feed(0, 1, 2, 3, 4);
        assertEquals(5, t.handled);
        assertTrue(t.clean());
    }

    @Test
    void aJumpCountsTheSkippedNumbersLost() {
        Tally t = feed(0, 1, 5, 6);
        assertEquals(3, t.lost);
        assertEquals(4, t.handled);
        assertEquals(0, t.reordered);
        assertEquals(0, t.duplicated);
    }

    @Test
    void aSkippedNumberArrivingLateIsReorderedNotLost() {
        Tally t = feed(0, 2, 3, 1, 4);
        assertEquals(0, t.lost);
        assertEquals(1, t.reordered);
        assertEquals(5, t.handled);
    }

    @Test
    void lateArrivalsFromTheMiddleOfAGapSplitIt() {
        Tally t = feed(0, 6, 3, 1, 5, 7);
        // 1..5 skipped; 3, 1, 5 came late; 2 and 4 never did.
        assertEquals(2, t.lost);
        assertEquals(3, t.reordered);
        assertEquals(0, t.duplicated);
    }

    @Test
    void aNumberSeenTwiceIsADuplicate() {
        Tally t = feed(0, 1, 1, 2, 0);
        assertEquals(2, t.duplicated);
        assertEquals(3, t.handled);
        assertEquals(0, t.lost);
        assertEquals(2, t.incidentCount());
    }

    @Test
    void aReorderedNumberArrivingTwiceIsReorderedThenDuplicated() {
        Tally t = feed(0, 2, 1, 1);
        assertEquals(1, t.reordered);
        assertEquals(1, t.duplicated);
        assertEquals(0, t.lost);
    }
}
