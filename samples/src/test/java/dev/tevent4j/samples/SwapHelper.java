package dev.tevent4j.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The attacker of the path-swap tests: a small C program, built with gcc, that exchanges two
 * names with {@code renameat2(RENAME_EXCHANGE)} (atomic: both names exist at every instant) as
 * fast as it can for a given time, then prints how many swaps it made. A separate process, as a
 * local attacker would be; tests that need it are skipped when gcc is missing.
 */
final class SwapHelper {
    private SwapHelper() {}

    private static final String SOURCE = """
            #define _GNU_SOURCE
            #include <fcntl.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <time.h>

            static long ms_since(const struct timespec *t0) {
                struct timespec t;
                clock_gettime(CLOCK_MONOTONIC, &t);
                return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
            }

            int main(int argc, char **argv) {
                if (argc != 4) { fprintf(stderr, "usage: swap A B MILLIS\\n"); return 2; }
                long ms = atol(argv[3]), n = 0;
                struct timespec t0;
                clock_gettime(CLOCK_MONOTONIC, &t0);
                do {
                    for (int i = 0; i < 256; i++, n++) {
                        if (renameat2(AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) != 0) { perror("renameat2"); return 1; }
                    }
                } while (ms_since(&t0) < ms);
                if (n % 2 == 1 && renameat2(AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) != 0) { perror("renameat2"); return 1; }
                printf("%ld\\n", n);
                return 0;
            }
            """;

    private static Path binary;

    /** The helper, compiled once per JVM (deleted at exit); skips the calling test without gcc. */
    static synchronized Path binary() throws IOException, InterruptedException {
        if (binary != null) return binary;
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed: the swap helper cannot be built");
        Path dir = Files.createTempDirectory("tevent4j-swap");
        dir.toFile().deleteOnExit();
        Path src = dir.resolve("swap.c"), exe = dir.resolve("swap");
        src.toFile().deleteOnExit();
        exe.toFile().deleteOnExit();
        Files.writeString(src, SOURCE);
        Process p = new ProcessBuilder("gcc", "-O2", "-o", exe.toString(), src.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("gcc failed: " + out);
        binary = exe;
        return exe;
    }

    /** Starts swapping {@code a} and {@code b} for {@code millis}; an even number of swaps, so they end as they began. */
    static Process start(Path a, Path b, long millis) throws IOException, InterruptedException {
        return new ProcessBuilder(binary().toString(), a.toString(), b.toString(), Long.toString(millis)).start();
    }

    /** Waits for the helper; returns its swap count, failing if it failed. */
    static long finish(Process p) throws IOException, InterruptedException {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("swap helper did not end");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) throw new IllegalStateException("swap helper failed (" + p.exitValue() + "): " + err);
        return Long.parseLong(out);
    }
}
