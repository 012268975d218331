package dev.tevent4j.samples;

import dev.tevent4j.linux.Libc;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The README's daemon echoes over a real socketpair, then returns and closes its fd when the peer goes. */
class ReadmeDaemonTest {
    @Test
    void readmeDaemonEchoesAndEndsWhenThePeerCloses() throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0, fds));
            int server = fds.get(ValueLayout.JAVA_INT, 0), client = fds.get(ValueLayout.JAVA_INT, 4);
            Thread daemon = new Thread(() -> ReadmeDaemon.serve(server), "readme-daemon");
            daemon.start();
            MemorySegment msg = a.allocateFrom("hello");
            assertEquals(6, Libc.write(client, msg, 6));
            MemorySegment in = a.allocate(16);
            long n = -1;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (n <= 0 && System.nanoTime() < until) n = Libc.read(client, in, 16);
            assertEquals(6, n);
            assertEquals("hello", in.getString(0));
            Libc.close(client);
            daemon.join(5_000);
            assertFalse(daemon.isAlive(), "run() returned once the peer closed");
            assertFalse(Files.exists(Path.of("/proc/self/fd/" + server)) && isSocketpairEnd(server),
                    "auto-close closed the server end");
        }
    }

    private static boolean isSocketpairEnd(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().startsWith("socket:");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
