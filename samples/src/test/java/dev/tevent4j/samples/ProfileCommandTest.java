package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/tevent4j profile}: the chain's profile tree, on every usable backend. */
class ProfileCommandTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static final Pattern LINE = Pattern.compile(
            "( *)\\[([a-z ]+)] \\+(\\d+\\.\\d{6}) -> \\+(\\d+\\.\\d{6}) \\[(\\d+\\.\\d{6})] -> DONE \\(0\\)");

    @Test
    void printsTheWholeTreeOfTheChainWithEveryStepDoneOnEveryBackend(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ten");
        Files.write(file, "0123456789".getBytes());
        for (String backend : EventLoop.backends()) {
            Run r = run("profile", "--backend", backend, "--file", file.toString(), "--wait-ms", "20");
            assertEquals(0, r.exit(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(6, lines.size(), r.out());
            String[] names = {"profile chain", "wakeup", "read file", "nested", "inner wakeup"};
            int[] depths = {0, 1, 1, 1, 2};
            double chainStop = 0;
            for (int i = 0; i < names.length; i++) {
                Matcher m = LINE.matcher(lines.get(i));
                assertTrue(m.matches(), lines.get(i));
                assertEquals(names[i], m.group(2), r.out());
                assertEquals(2 * depths[i], m.group(1).length(), r.out());
                double duration = Double.parseDouble(m.group(5));
                if (i == 0) chainStop = Double.parseDouble(m.group(4));
                if (names[i].endsWith("wakeup")) assertTrue(duration >= 0.020, "a wakeup waits --wait-ms: " + r.out());
                assertTrue(Double.parseDouble(m.group(4)) <= chainStop, "every step ends before the chain: " + r.out());
            }
            assertTrue(chainStopAtLeast(lines.get(0), 0.040), "two wakeups of 20 ms in a row: " + r.out());
            assertEquals("read 10 bytes of " + file + " on the " + backend + " backend", lines.get(5));
        }
    }

    private static boolean chainStopAtLeast(String line, double seconds) {
        Matcher m = LINE.matcher(line);
        return m.matches() && Double.parseDouble(m.group(5)) >= seconds;
    }

    @Test
    void withoutAFileItReadsATemporaryOneOf4KiB() {
        Run r = run("profile", "--wait-ms", "0");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().toList().getLast().startsWith("read 4096 bytes of "), r.out());
    }

    @Test
    void aMissingFileIsOneLineAndExitCodeTwo(@TempDir Path dir) {
        Run r = run("profile", "--file", dir.resolve("absent").toString());
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().startsWith("profile: --file "), r.err());
        Run neg = run("profile", "--wait-ms", "-1");
        assertEquals(2, neg.exit());
        assertTrue(neg.err().contains("--wait-ms must be >= 0"), neg.err());
    }
}
