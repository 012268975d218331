package dev.tevent4j.bench.soak;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The byte stream the AsyncIo sockets carry: the numbers 0, 1, 2, ... as 8-byte big-endian
 * words, each passed through SplitMix64's finalizer (xor-shifts and odd multiplications, each
 * step invertible). Every word decodes back to its number, while 8 bytes read across a word
 * boundary (after a gap that is not a multiple of 8) decode to a number far from any plausible
 * one: a receiver can tell a misaligned stream from a continuous one and find its way back. A
 * plain multiplication would not do: a window shifted by s bytes would decode to
 * {@code number << 8s} whenever the next word's top bytes are zero.
 */
final class StreamPattern {
    private StreamPattern() {}

    private static final long C1 = 0xBF58476D1CE4E5B9L, C2 = 0x94D049BB133111EBL;
    private static final long C1_INVERSE = inverse(C1), C2_INVERSE = inverse(C2);
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    static long encode(long number) {
        long x = number;
        x = (x ^ (x >>> 30)) * C1;
        x = (x ^ (x >>> 27)) * C2;
        return x ^ (x >>> 31);
    }

    static long decode(long word) {
        long x = unshift(word, 31) * C2_INVERSE;
        x = unshift(x, 27) * C1_INVERSE;
        return unshift(x, 30);
    }

    /** The inverse of {@code x ^= x >>> shift}. */
    private static long unshift(long y, int shift) {
        long x = y;
        for (int i = shift; i < 64; i += shift) x = y ^ (x >>> shift);
        return x;
    }

    /** Writes the stream's bytes [offset, offset + length) into {@code buf} from its start. */
    static void fill(MemorySegment buf, long offset, int length) {
        int i = 0;
        // Up to the next word boundary byte by byte, then whole words, then the tail.
        while (i < length && ((offset + i) & 7) != 0) {
            buf.set(ValueLayout.JAVA_BYTE, i, byteAt(offset + i));
            i++;
        }
        while (length - i >= 8) {
            buf.set(WORD, i, encode((offset + i) >>> 3));
            i += 8;
        }
        while (i < length) {
            buf.set(ValueLayout.JAVA_BYTE, i, byteAt(offset + i));
            i++;
        }
    }

    static byte byteAt(long offset) {
        return (byte) (encode(offset >>> 3) >>> (56 - 8 * (offset & 7)));
    }

    /** The inverse of an odd number modulo 2^64 by Newton's iteration (each step doubles the bits). */
    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 6; i++) x *= 2 - odd * x;
        if (x * odd != 1) throw new AssertionError("no inverse of " + Long.toHexString(odd));
        return x;
    }
}
