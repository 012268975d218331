package dev.tevent4j.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/tevent4j <args>} as a child JVM on this test's class path, with its own JVM
 * options and environment, for what only a fresh process shows: the backend chosen by
 * {@code -Dtevent4j.backend} or {@code TEVENT4J_BACKEND}, and io_uring refused by
 * {@code -Dtevent4j.io_uring.inject}. {@link #start} returns once the command exited or, for a
 * server, printed "listening on"; {@link #close()} kills a server still running.
 */
final class MainChild implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on [0-9.]+:(\\d+)");
    private static final int LIMIT_SECONDS = 30;

    private final Process process;
    private final Path stdout, stderr;

    private MainChild(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Runs {@code Main args} with {@code jvmOptions} and {@code env} added to (a value of null:
     * removed from) this process's environment; TEVENT4J_BACKEND is removed unless {@code env}
     * sets it, so that the caller's shell cannot change the outcome.
     */
    static MainChild start(Path dir, List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove(BackendChoice.ENV);
        env.forEach((k, v) -> {
            if (v == null) pb.environment().remove(k); else pb.environment().put(k, v);
        });
        MainChild c = new MainChild(pb.start(), out, err);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        while (c.process.isAlive() && c.port() < 0) {
            if (System.nanoTime() > deadline) {
                c.close();
                throw new IllegalStateException("neither exited nor listening within " + LIMIT_SECONDS + " s: " + c.stderr());
            }
            Thread.sleep(20);
        }
        if (!c.process.isAlive()) c.process.waitFor();
        return c;
    }

    /** The port the server printed, or -1 before it did (or when it exited without listening). */
    int port() throws IOException {
        Matcher m = LISTENING.matcher(stdout());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The exit status; fails if the command is still running. */
    int exitValue() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stdout() throws IOException {
        return Files.readString(stdout);
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        } catch (IOException e) {
            // a temp file left in target/ is harmless
        }
    }
}
