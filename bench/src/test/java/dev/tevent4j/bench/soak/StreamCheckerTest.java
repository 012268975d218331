package dev.tevent4j.bench.soak;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The byte-level continuity check of the AsyncIo sockets: a stream cut into arbitrary chunks
 * passes; bytes that go missing, whole words or not, are found and counted without inventing
 * losses of their own (a misaligned window must not pass for a word).
 */
@Timeout(30)
class StreamCheckerTest {
    private static final int BYTES = 200_000;

    @Test
    void everyNumberDecodesBackAndNeighboursDoNotLookAlike() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            long n = i < 50_000 ? i : r.nextLong();
            assertEquals(n, StreamPattern.decode(StreamPattern.encode(n)));
        }
    }

    @Test
    void aContinuousStreamInRandomChunksIsClean() {
        Tally t = new Tally("stream");
        StreamChecker c = new StreamChecker(t);
        try (Arena a = Arena.ofConfined()) {
            feedRange(c, a, 0, BYTES, new SplittableRandom(2));
        }
        assertTrue(t.clean(), () -> "lost " + t.lost + ", incidents " + t.incidents());
        assertEquals(BYTES / 8, t.handled);
        assertEquals(BYTES, c.bytes());
    }

    @Test
    void gapsOfAnySizeAreCountedAsTheWordsTheyTook() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            Tally t = new Tally("stream");
            StreamChecker c = new StreamChecker(t);
            long gapAt = 8 + r.nextInt(50_000);
            int gap = 1 + r.nextInt(3000);
            try (Arena a = Arena.ofConfined()) {
                feedRange(c, a, 0, gapAt, r);
                feedRange(c, a, gapAt + gap, BYTES, r);
            }
            // The words touched by the gap, whole or in part, are the ones that cannot arrive.
            long firstTouched = gapAt / 8, lastTouched = (gapAt + gap - 1) / 8;
            long touched = lastTouched - firstTouched + 1;
            long lost = t.lost;
            String where = "gap of " + gap + " bytes at " + gapAt;
            assertTrue(lost >= touched - 1 && lost <= touched + 1, where + ": lost " + lost + ", expected about " + touched);
            assertEquals(0, t.duplicated, where);
            assertEquals(0, t.reordered, where);
            if (gap % 8 != 0) assertTrue(t.incidents().getFirst().contains("misaligned"), where + ": " + t.incidents());
        }
    }

    /** Feeds the stream's bytes [from, to) in random chunks of 1..1024 bytes. */
    private static void feedRange(StreamChecker c, Arena a, long from, long to, SplittableRandom r) {
        MemorySegment buf = a.allocate(1024);
        for (long at = from; at < to; ) {
            int len = (int) Math.min(to - at, 1 + r.nextInt(1024));
            StreamPattern.fill(buf, at, len);
            c.feed(buf, len);
            at += len;
        }
    }
}
