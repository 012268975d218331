package dev.tevent4j.faults;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * io_uring refused in part, under a REAL seccomp filter: each case runs {@link ProbeChild} in a
 * child JVM started by {@code src/test/c/seccomp-exec.c} (built here with gcc), which refuses
 * io_uring_setup, io_uring_enter or io_uring_register with EPERM or ENOSYS, either from the start
 * (a BPF filter) or only after the child has opened its loops (SECCOMP_RET_USER_NOTIF and a
 * supervisor: io_uring disabled after start). Nothing may hang (every step is bounded, the child
 * is killed after {@link #CHILD_LIMIT_SECONDS}), spin (a step's loop-thread CPU time is checked)
 * or lie (the reason must name the refused syscall and errno).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class IoUringRefusedTest {
    static final int CHILD_LIMIT_SECONDS = 30;
    /** A step that spins at 100 % for its 5 s limit burns ~5,000 ms; a working one a few ms. */
    static final long STEP_CPU_LIMIT_MS = 1_500;

    private static Path launcher;
    private static String notifyUnavailable;

    @BeforeAll
    static void buildLauncher() throws Exception {
        Path target = Path.of("target");
        Files.createDirectories(target);
        Path src = Path.of("src/test/c/seccomp-exec.c").toAbsolutePath();
        assertTrue(Files.isRegularFile(src), "the launcher's source is at " + src);
        Result gcc = exec(List.of("gcc", "--version"), 30);
        skipUnless(gcc != null && gcc.exit == 0, "gcc is not available to build the seccomp launcher");
        Path exe = target.resolve("seccomp-exec").toAbsolutePath();
        Result build = exec(List.of("gcc", "-O2", "-Wall", "-Werror", "-o", exe.toString(), src.toString()), 60);
        assertNotNull(build, "gcc finished");
        assertEquals(0, build.exit, "gcc failed to build the launcher:\n" + build.out);
        launcher = exe;

        Result plain = exec(List.of(exe.toString(), "EPERM", "setup", "--", "/bin/true"), 30);
        skipUnless(plain != null && plain.exit == 0,
                "seccomp filters cannot be installed here: " + (plain == null ? "timeout" : plain.out));
        Result notif = exec(List.of(exe.toString(), "--after", "/nonexistent", "EPERM", "setup", "--", "/bin/true"), 30);
        notifyUnavailable = notif != null && notif.exit == 0 ? null
                : "seccomp user notification (SECCOMP_RET_USER_NOTIF) is unavailable: " + (notif == null ? "timeout" : notif.out);

        skipUnless(EventLoop.backends().contains("hybrid"),
                "io_uring does not work in the test JVM itself (" + EventLoop.backends() + "): nothing to refuse");
    }

    private static void skipUnless(boolean ok, String why) {
        if (!ok) System.out.println("SKIPPED IoUringRefusedTest: " + why);
        Assumptions.assumeTrue(ok, why);
    }

    // ---------------------------------------------------------------- cases

    @Test
    void hybridIsTheDefaultWithoutAFilter() throws Exception {
        Child c = runChild(List.of(), List.of());
        c.assertStepsHealthy();
        assertTrue(c.get("backends").startsWith("[hybrid, epoll"), c.out);
        assertTrue(c.get("backends").contains("uring"), c.out);
        assertEquals("opened hybrid io=io_uring", c.get("default"), c.out);
        c.assertOpsWork("default");
        c.assertOpsWork("hybrid");
        c.assertOpsWork("uring");
    }

    @ParameterizedTest(name = "{0} refused with {1} from the start")
    @CsvSource({"setup,EPERM", "setup,ENOSYS", "enter,EPERM", "enter,ENOSYS", "register,EPERM", "register,ENOSYS"})
    void refusedFromTheStartFallsBackToEpollWithTheTrueReason(String syscall, String errno) throws Exception {
        Child c = runChild(List.of(errno, syscall), List.of());
        c.assertStepsHealthy();
        assertEquals("[epoll]", c.get("backends"), c.out);
        assertEquals("opened epoll io=threadpool", c.get("default"), c.out);
        c.assertOpsWork("default");
        String reason = trueReason(syscall, errno);
        for (String ring : List.of("hybrid", "uring")) {
            String got = c.get(ring);
            assertTrue(got.startsWith("refused UnsupportedOperationException: backend \"" + ring + "\" is not usable here: " + reason),
                    ring + " must be refused naming " + reason + ", got: " + got + "\n" + c.out);
            assertFalse(got.contains("kernel older than"), "a filter is not an old kernel: " + got);
            assertTrue(got.contains("this process runs under a seccomp filter (Seccomp: 2"),
                    "the reason names the filter as /proc/self/status shows it: " + got);
        }
        assertTrue(c.out.contains("backend hybrid passed over as default: " + reason), "the fallback is logged with the reason\n" + c.out);
    }

    @ParameterizedTest(name = "{0} refused with {1} after start")
    @CsvSource({"setup,EPERM", "setup,ENOSYS", "enter,EPERM", "enter,ENOSYS", "register,EPERM", "register,ENOSYS"})
    void refusedAfterStartFallsBackAndFailsWhatCannotComplete(String syscall, String errno) throws Exception {
        Assumptions.assumeTrue(notifyUnavailable == null, notifyUnavailable);
        Path marker = Files.createTempDirectory("tevent4j-refuse").resolve("now");
        try {
            Child c = runChild(List.of("--after", marker.toString(), errno, syscall), List.of("--after", marker.toString()));
            c.assertStepsHealthy();
            assertEquals("opened hybrid io=io_uring", c.get("before.default"), c.out);
            c.assertOpsWork("before.default");
            c.assertOpsWork("before.hybrid");
            c.assertOpsWork("before.uring");
            assertEquals("on", c.get("refusal"), c.out);

            // A new default loop falls back to epoll although the cached probe said "hybrid" ...
            assertEquals("opened epoll io=threadpool", c.get("after.default"), c.out);
            c.assertOpsWork("after.default");
            // ... and that failure made the probes ask again.
            assertEquals("[epoll]", c.get("after.backends"), c.out);
            String reason = trueReason(syscall, errno);
            for (String ring : List.of("hybrid", "uring")) {
                String got = c.get("after." + ring);
                assertTrue(got.startsWith("refused UnsupportedOperationException: backend \"" + ring + "\" is not usable here: " + reason),
                        ring + " must be refused naming " + reason + ", got: " + got + "\n" + c.out);
            }
            assertTrue(c.out.contains("backend hybrid passed over as default: it could not be set up: " + reason),
                    "the fallback is logged with the reason\n" + c.out);

            if (syscall.equals("enter")) {
                // Loops opened before: their AsyncIo ops fail naming the refusal, never hang.
                String refusedOp = "io_uring_enter for %s failed: " + errno;
                assertTrue(c.get("old.hybrid.nop").startsWith("error:ErrnoException: " + refusedOp.formatted("nop")), c.out);
                assertTrue(c.get("old.hybrid.read").startsWith("error:ErrnoException: " + refusedOp.formatted("read")), c.out);
                assertTrue(c.get("old.hybrid.fd").startsWith("ok:fired"), "hybrid's fd events are epoll's\n" + c.out);
                // The uring backend cannot wait at all: runOnce throws, the op in flight fails.
                String uringNop = c.get("old.uring.nop");
                assertTrue(uringNop.startsWith("error:IllegalStateException: uring backend: io_uring_enter refused: " + errno), c.out);
                assertTrue(uringNop.contains("request=error:ErrnoException: " + refusedOp.formatted("nop")), c.out);
                assertTrue(c.get("old.uring.fd").startsWith("error:IllegalStateException: uring backend: io_uring_enter refused: " + errno), c.out);
            } else {
                // Rings set up before keep working: only new setups/registrations are refused.
                c.assertOpsWork("old.hybrid");
                c.assertOpsWork("old.uring");
            }
            for (String old : List.of("default", "hybrid", "uring")) {
                assertTrue(c.get("close.old." + old).startsWith("ok "), "closing the old " + old + " loop\n" + c.out);
            }
        } finally {
            Files.deleteIfExists(marker);
            Files.deleteIfExists(marker.getParent());
        }
    }

    /** The reason the loop factory must give: the refused syscall and the errno's name and text. */
    private static String trueReason(String syscall, String errno) {
        String text = errno.equals("EPERM") ? "Operation not permitted" : "Function not implemented";
        return switch (syscall) {
            case "setup" -> "io_uring_setup failed: " + errno + " (" + text + ")";
            case "enter" -> "io_uring_enter refused: " + errno + " (" + text + ")";
            case "register" -> "io_uring_register refused: " + errno + " (" + text + ")";
            default -> throw new IllegalArgumentException(syscall);
        };
    }

    // ---------------------------------------------------------------- the child

    /** The child's output, parsed into its {@code key=value} lines. */
    static final class Child {
        final String out;
        final Map<String, String> values = new LinkedHashMap<>();

        Child(String out) {
            this.out = out;
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).matches("[a-z.]+")) values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }

        String get(String key) {
            String v = values.get(key);
            assertNotNull(v, "the child printed no \"" + key + "=\" line:\n" + out);
            return v;
        }

        /** nop ok:0, read ok:4 (the bytes in the pipe), fd event fired. */
        void assertOpsWork(String label) {
            assertTrue(get(label + ".nop").startsWith("ok:0 "), label + " nop\n" + out);
            assertTrue(get(label + ".read").startsWith("ok:4 "), label + " read\n" + out);
            assertTrue(get(label + ".fd").startsWith("ok:fired "), label + " fd event\n" + out);
        }

        /** No step hung or spun, the child finished, and no log message was repeated. */
        void assertStepsHealthy() {
            assertTrue(out.contains("\ndone\n") || out.startsWith("done\n"), "the child finished\n" + out);
            for (Map.Entry<String, String> e : values.entrySet()) {
                String v = e.getValue();
                assertFalse(v.startsWith("timeout"), e.getKey() + " hung (no completion within the step's limit)\n" + out);
                int at = v.lastIndexOf(" cpu_ms=");
                if (at < 0) continue;
                long cpu = Long.parseLong(v.substring(at + 8, v.indexOf(' ', at + 8)));
                assertTrue(cpu < STEP_CPU_LIMIT_MS, e.getKey() + " burnt " + cpu + " ms of CPU: a spin\n" + out);
            }
            Set<String> logged = new HashSet<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("INFO: ") || line.startsWith("WARNING: ")) {
                    assertTrue(logged.add(line), "logged more than once: " + line + "\n" + out);
                }
            }
        }
    }

    /**
     * Runs ProbeChild with the test JVM's java and class path, under the launcher when
     * {@code filter} is not empty; fails as a hang if it outlives {@link #CHILD_LIMIT_SECONDS}.
     */
    private static Child runChild(List<String> filter, List<String> childArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (!filter.isEmpty()) {
            cmd.add(launcher.toString());
            cmd.addAll(filter);
            cmd.add("--");
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ProbeChild.class.getName()));
        cmd.addAll(childArgs);
        Path log = Files.createTempFile(Path.of("target"), "probe-child", ".out");
        try {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(CHILD_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("hang: the child did not finish within " + CHILD_LIMIT_SECONDS + " s under " + filter + ":\n" + Files.readString(log));
            }
            String out = Files.readString(log);
            System.out.println("---- child " + filter + " (" + (System.nanoTime() - t0) / 1_000_000 + " ms):\n" + out);
            assertEquals(0, p.exitValue(), "child exit status\n" + out);
            return new Child(out);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private record Result(int exit, String out) {}

    /** Runs a command to its end (null after timeoutSeconds, the process killed). */
    private static Result exec(List<String> cmd, int timeoutSeconds) throws InterruptedException {
        try {
            Path log = Files.createTempFile("tevent4j-exec", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    return null;
                }
                return new Result(p.exitValue(), Files.readString(log));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException notFound) {
            return new Result(-1, notFound.getMessage());
        }
    }
}
