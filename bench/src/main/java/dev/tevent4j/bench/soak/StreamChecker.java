package dev.tevent4j.bench.soak;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Checks the byte-level continuity of one socket's {@link StreamPattern} stream, fed with what
 * each successful recv returned. Whole words go to a {@link SequenceChecker}: a gap of whole
 * words counts them lost. A gap that is not a multiple of 8 bytes leaves the receiver
 * misaligned; it then slides byte by byte until 8 bytes decode to a plausible number again
 * (near the one expected), and the words in between count as lost as well.
 */
final class StreamChecker {
    /** How far back or ahead of the expected number a decoded word may be to count as aligned. */
    private static final long BEHIND = 1L << 20, AHEAD = 1L << 32;

    private final SequenceChecker words;
    private final Tally tally;
    private long window;
    private int bytesInWindow;
    private boolean aligned = true;
    private long bytes;

    StreamChecker(Tally tally) {
        this.tally = tally;
        this.words = new SequenceChecker(tally);
    }

    /** Bytes fed so far. */
    long bytes() {
        return bytes;
    }

    /** The number of the word expected next. */
    long nextWord() {
        return words.next();
    }

    void feed(MemorySegment buf, int length) {
        for (int i = 0; i < length; i++) {
            window = (window << 8) | (buf.get(ValueLayout.JAVA_BYTE, i) & 0xFF);
            bytesInWindow++;
            if (aligned) {
                if (bytesInWindow < 8) continue;
                bytesInWindow = 0;
                long n = StreamPattern.decode(window);
                if (plausible(n)) {
                    words.accept(n);
                } else {
                    aligned = false;
                    bytesInWindow = 8; // slide from this window on
                    tally.incident("stream misaligned after byte " + (bytes + i - 7)
                            + ": a gap that is not a multiple of 8 bytes");
                }
            } else if (bytesInWindow >= 8) {
                long n = StreamPattern.decode(window);
                if (plausible(n)) {
                    aligned = true;
                    bytesInWindow = 0;
                    words.accept(n);
                }
            }
        }
        bytes += length;
    }

    private boolean plausible(long n) {
        long next = words.next();
        return n >= next - BEHIND && n < next + AHEAD;
    }
}
