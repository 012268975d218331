package dev.tevent4j.bench.soak;

import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Non-blocking AF_UNIX stream socketpairs for the soak's traffic. */
final class SocketPairs {
    private SocketPairs() {}

    /** A connected pair {a, b}. */
    static int[] open() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            int rc = Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0, fds);
            if (rc < 0) throw new UncheckedIOException(new ErrnoException("socketpair(AF_UNIX, SOCK_STREAM)", -rc));
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        }
    }

    static void close(int[] pair) {
        for (int fd : pair) Libc.close(fd);
    }
}
