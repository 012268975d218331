package dev.tevent4j.internal;

import dev.tevent4j.FdEvent;

import java.time.Duration;

/** Argument checks shared by the API entry points; messages name the argument. */
final class Checks {
    private Checks() {}

    static final int ALL_FD_FLAGS = FdEvent.READ | FdEvent.WRITE | FdEvent.ERROR;

    static void fdFlags(int flags) {
        if ((flags & ~ALL_FD_FLAGS) != 0) {
            throw new IllegalArgumentException("flags " + flags
                    + " has bits other than FdEvent.READ (1), WRITE (2) and ERROR (4)");
        }
    }

    static void fd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd " + fd + " is negative");
        }
    }

    static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " is null");
        }
        return value;
    }

    /** The deadline {@code after} from {@code now}, refusing negative and overflowing durations. */
    static long deadlineAfter(Duration after, long now) {
        notNull(after, "after");
        if (after.isNegative()) {
            throw new IllegalArgumentException("after " + after + " is negative");
        }
        try {
            return Math.addExact(now, after.toNanos());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("after " + after + " is too large: the deadline overflows System.nanoTime()");
        }
    }
}
