package dev.tevent4j.faults;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Request;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Run in a child JVM by {@link IoUringRefusedTest}, under a seccomp filter: opens the default
 * loop and each ring backend by name, runs AsyncIo ops (a nop, a read of a pipe holding data) and
 * an fd event on a pipe, and prints one line per step: {@code label.step=result cpu_ms=N wall_ms=N}.
 * A result is {@code ok:<value>}, {@code error:<exception class>: <message>} or
 * {@code timeout} (nothing happened within {@link #STEP_LIMIT}: a hang).
 *
 * <p>With {@code --after MARKER} it first opens its loops and exercises them with io_uring
 * working, then creates MARKER (from which moment the launcher's supervisor refuses the chosen
 * syscalls: io_uring disabled after start), then opens again and exercises the old loops too.
 */
public final class ProbeChild {
    /** Bounds every step: longer is reported as "timeout". */
    static final Duration STEP_LIMIT = Duration.ofSeconds(5);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ProbeChild() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--after")) {
            afterStart(Path.of(args[1]));
        } else {
            fromStart();
        }
        System.out.println("done");
    }

    /** The filter was there before the JVM started. */
    private static void fromStart() {
        System.out.println("backends=" + EventLoop.backends());
        exerciseAndClose("default", null);
        exerciseAndClose("hybrid", "hybrid");
        exerciseAndClose("uring", "uring");
    }

    /** io_uring works at first; MARKER switches the refusal on. */
    private static void afterStart(Path marker) throws Exception {
        System.out.println("before.backends=" + EventLoop.backends());
        EventLoop def = open("before.default", null);
        EventLoop hybrid = open("before.hybrid", "hybrid");
        EventLoop uring = open("before.uring", "uring");
        if (def != null) exercise("before.default", def);
        if (hybrid != null) exercise("before.hybrid", hybrid);
        if (uring != null) exercise("before.uring", uring);

        Files.createFile(marker);
        System.out.println("refusal=on");
        System.out.println("after.cached.backends=" + EventLoop.backends());
        exerciseAndClose("after.default", null);
        System.out.println("after.backends=" + EventLoop.backends());
        exerciseAndClose("after.hybrid", "hybrid");
        exerciseAndClose("after.uring", "uring");
        if (hybrid != null) exercise("old.hybrid", hybrid);
        if (uring != null) exercise("old.uring", uring);
        closeOld("default", def);
        closeOld("hybrid", hybrid);
        closeOld("uring", uring);
    }

    private static void closeOld(String label, EventLoop loop) {
        if (loop == null) return;
        step("close.old." + label, () -> {
            loop.close();
            return "ok";
        });
    }

    private static void exerciseAndClose(String label, String backend) {
        EventLoop loop = open(label, backend);
        if (loop == null) return;
        try {
            exercise(label, loop);
        } finally {
            step(label + ".close", () -> {
                loop.close();
                return "ok";
            });
        }
    }

    /** Opens the default loop (backend null) or the named one; prints what it got or why not. */
    private static EventLoop open(String label, String backend) {
        try {
            EventLoop loop = backend == null ? EventLoop.open() : EventLoop.open(backend);
            System.out.println(label + "=opened " + loop.backendName() + " io=" + loop.io().kind());
            return loop;
        } catch (RuntimeException e) {
            System.out.println(label + "=refused " + describe(e));
            return null;
        }
    }

    private static void exercise(String label, EventLoop loop) {
        step(label + ".nop", () -> awaitBounded(loop, loop.io().nop()));
        step(label + ".read", () -> readPipe(loop));
        step(label + ".fd", () -> fdEvent(loop));
    }

    /** A read (AsyncIo) of a pipe that already holds 4 bytes: ok:4. */
    private static String readPipe(EventLoop loop) {
        try (Arena arena = Arena.ofConfined()) {
            int[] p = pipe(arena);
            try {
                writePing(arena, p[1]);
                MemorySegment buf = arena.allocate(16);
                return awaitBounded(loop, loop.io().read(p[0], buf, -1));
            } finally {
                Libc.close(p[0]);
                Libc.close(p[1]);
            }
        }
    }

    /** A READ fd event on a pipe that holds data: ok:fired. */
    private static String fdEvent(EventLoop loop) {
        try (Arena arena = Arena.ofConfined()) {
            int[] p = pipe(arena);
            FdEvent e = null;
            try {
                writePing(arena, p[1]);
                boolean[] fired = {false};
                e = loop.addFd(p[0], FdEvent.READ, (fde, flags) -> fired[0] = true);
                return runBounded(loop, () -> fired[0]) ? "ok:fired" : "timeout";
            } finally {
                if (e != null) e.close();
                Libc.close(p[0]);
                Libc.close(p[1]);
            }
        }
    }

    private static int[] pipe(Arena arena) {
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        int rc = Libc.pipe2(fds, Libc.O_CLOEXEC);
        if (rc < 0) throw new IllegalStateException("pipe2 failed: " + rc);
        return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
    }

    private static void writePing(Arena arena, int fd) {
        MemorySegment ping = arena.allocateFrom("ping"); // 4 bytes and a NUL: write the 4
        if (Libc.write(fd, ping, 4) != 4) throw new IllegalStateException("write to the pipe failed");
    }

    /** The request's outcome; a loop that throws is reported with what became of the request. */
    private static String awaitBounded(EventLoop loop, Request<Integer> r) {
        boolean completed;
        try {
            completed = runBounded(loop, () -> !r.isInProgress());
        } catch (RuntimeException e) {
            return "error:" + describe(e) + " | request=" + outcome(r);
        }
        return completed ? outcome(r) : "timeout";
    }

    private static String outcome(Request<Integer> r) {
        if (r.isInProgress()) return "in-progress";
        return r.isError() ? "error:" + describe(r.cause()) : "ok:" + r.result();
    }

    /** Runs the loop until {@code done} or {@link #STEP_LIMIT}; false at the limit. */
    private static boolean runBounded(EventLoop loop, BooleanSupplier done) {
        boolean[] late = {false};
        TimerEvent limit = loop.addTimer(STEP_LIMIT, (t, now) -> late[0] = true);
        try {
            loop.runUntil(() -> done.getAsBoolean() || late[0]);
        } finally {
            limit.cancel();
        }
        return done.getAsBoolean();
    }

    @FunctionalInterface
    private interface Step {
        String run() throws Exception;
    }

    /** Prints the step's result with the loop thread's CPU time and the wall time it took. */
    private static void step(String label, Step step) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        String result;
        try {
            result = step.run();
        } catch (Throwable t) {
            result = "error:" + describe(t);
        }
        long cpuMs = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
        long wallMs = (System.nanoTime() - wall0) / 1_000_000;
        System.out.println(label + "=" + result + " cpu_ms=" + cpuMs + " wall_ms=" + wallMs);
    }

    private static String describe(Throwable t) {
        String s = t.getClass().getSimpleName() + ": " + t.getMessage();
        if (t instanceof dev.tevent4j.RequestException && t.getCause() != null) {
            s += " <- " + describe(t.getCause());
        }
        return s.replace('\n', ' ');
    }
}
