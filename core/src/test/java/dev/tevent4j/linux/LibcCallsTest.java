package dev.tevent4j.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bindings whose behaviour, not only their constants, the runtime and samples rely on. */
class LibcCallsTest {

    @Test
    void preadv2NowaitFailsWithEagainOnAnEmptyPipeAndEbadfOnItsWriteEnd() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, Libc.pipe2(fds, Libc.O_CLOEXEC));
            int r = fds.getAtIndex(ValueLayout.JAVA_INT, 0), w = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            MemorySegment buf = a.allocate(16);
            MemorySegment iov = a.allocate(Libc.IOVEC);
            iov.set(ValueLayout.ADDRESS, 0, buf);
            iov.set(ValueLayout.JAVA_LONG, 8, 16);
            try {
                assertEquals(-Errno.EAGAIN, Libc.preadv2(r, iov, 1, -1, Libc.RWF_NOWAIT));
                assertEquals(-Errno.EBADF, Libc.preadv2(w, iov, 1, -1, Libc.RWF_NOWAIT));
                assertEquals(16, Libc.pwritev2(w, iov, 1, -1, Libc.RWF_NOWAIT));
                assertEquals(16, Libc.preadv2(r, iov, 1, -1, Libc.RWF_NOWAIT));
            } finally {
                Libc.close(r);
                Libc.close(w);
            }
        }
    }

    @Test
    void openat2ResolveBeneathRefusesDotDotAndSymlinksOutOfTheDirectory(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        Files.writeString(dir.resolve("outside"), "secret");
        Files.writeString(root.resolve("inside"), "ok");
        Files.createSymbolicLink(root.resolve("escape"), dir.resolve("outside"));
        try (Arena a = Arena.ofConfined()) {
            int rootFd = Libc.open(a.allocateFrom(root.toString()), Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            assertTrue(rootFd >= 0, Errno.name(-rootFd));
            try {
                long beneath = Libc.RESOLVE_BENEATH | Libc.RESOLVE_NO_MAGICLINKS;
                int ok = Libc.openat2(rootFd, a.allocateFrom("inside"), Libc.O_RDONLY | Libc.O_CLOEXEC, 0, beneath, a);
                assertTrue(ok >= 0, Errno.name(-ok));
                Libc.close(ok);
                assertEquals(-Errno.EXDEV, Libc.openat2(rootFd, a.allocateFrom("../outside"), Libc.O_RDONLY, 0, beneath, a));
                assertEquals(-Errno.EXDEV, Libc.openat2(rootFd, a.allocateFrom("escape"), Libc.O_RDONLY, 0, beneath, a));
            } finally {
                Libc.close(rootFd);
            }
        }
    }
}
