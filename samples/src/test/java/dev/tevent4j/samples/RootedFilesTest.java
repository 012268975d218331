package dev.tevent4j.samples;

import dev.tevent4j.linux.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link RootedFiles} without a server: what opens and what is refused, including a directory
 * swapped for a symlink out between two requests for the same path (what a check-then-open
 * containment lets through; openat2 RESOLVE_BENEATH refuses it during the open itself).
 */
class RootedFilesTest {
    @TempDir
    Path tmp;

    private static String content(RootedFiles.Opened o) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256);
            long n = Libc.read(o.fd(), buf, 256);
            return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        } finally {
            Libc.close(o.fd());
        }
    }

    private Path root() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Files.createDirectory(root.resolve("d"));
        Files.writeString(root.resolve("d/f.txt"), "inside");
        Files.createDirectory(tmp.resolve("secret"));
        Files.writeString(tmp.resolve("secret/f.txt"), "SECRET");
        return root;
    }

    @Test
    void aPathInsideOpensAndEveryWayOutIsForbidden() throws IOException {
        Path root = root();
        Files.createSymbolicLink(root.resolve("relative-out"), Path.of("../secret/f.txt"));
        Files.createSymbolicLink(root.resolve("absolute-out"), tmp.resolve("secret/f.txt"));
        try (RootedFiles files = new RootedFiles(root)) {
            RootedFiles.Opened ok = files.open("d/f.txt");
            assertEquals(RootedFiles.Status.OK, ok.status());
            assertEquals(6, ok.size());
            assertEquals("inside", content(ok));
            for (String out : new String[] {"../secret/f.txt", "d/../../secret/f.txt", "/etc/hostname",
                    "relative-out", "absolute-out"}) {
                assertEquals(RootedFiles.Status.FORBIDDEN, files.open(out).status(), out);
            }
            assertEquals(RootedFiles.Status.NOT_FOUND, files.open("d/missing").status());
            assertEquals(RootedFiles.Status.NOT_FOUND, files.open("d").status(), "a directory is not served");
        }
    }

    @Test
    void aDirectorySwappedForASymlinkOutIsRefusedAtTheOpen() throws IOException {
        Path root = root();
        try (RootedFiles files = new RootedFiles(root)) {
            assertEquals("inside", content(files.open("d/f.txt")));
            // The swap a check-then-open server loses to: the same request path now leads out.
            Files.move(root.resolve("d"), root.resolve("d.moved"));
            Files.createSymbolicLink(root.resolve("d"), tmp.resolve("secret"));
            RootedFiles.Opened swapped = files.open("d/f.txt");
            assertEquals(RootedFiles.Status.FORBIDDEN, swapped.status(), "the kernel refuses the symlink out (EXDEV)");
            assertEquals(-1, swapped.fd());
            // A relative symlink out is refused the same way.
            Files.delete(root.resolve("d"));
            Files.createSymbolicLink(root.resolve("d"), Path.of("../secret"));
            assertEquals(RootedFiles.Status.FORBIDDEN, files.open("d/f.txt").status());
            // Swapped back, the path serves again.
            Files.delete(root.resolve("d"));
            Files.move(root.resolve("d.moved"), root.resolve("d"));
            assertEquals("inside", content(files.open("d/f.txt")));
        }
    }

    @Test
    void anAbsoluteSymlinkBackInsideTheRootIsServed() throws IOException {
        Path root = root();
        Files.createSymbolicLink(root.resolve("abs-in"), root.toRealPath().resolve("d/f.txt"));
        try (RootedFiles files = new RootedFiles(root)) {
            assertEquals("inside", content(files.open("abs-in")));
        }
    }
}
