package dev.tevent4j.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sample server ({@code bin/tevent4j <command>}'s main class) in a child JVM on this test's
 * class path, for what a test must measure from outside: RSS, CPU time, open fds, stderr under
 * a low fd limit. Its stdout and stderr go to files; {@link #close()} kills it.
 */
final class ChildServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on [0-9.]+:(\\d+)");

    private final Process process;
    private final Path stdout, stderr;
    private final int port;

    /**
     * Starts {@code Main <args>} with {@code jvmOptions} and, when {@code fdLimit > 0}, a soft
     * and hard RLIMIT_NOFILE of that many (set by bash before it execs java, so the JVM cannot
     * raise it); returns once the server printed its port.
     */
    ChildServer(Path dir, int fdLimit, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        stdout = dir.resolve("stdout.txt");
        stderr = dir.resolve("stderr.txt");
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(List.of("--enable-native-access=ALL-UNNAMED"));
        java.addAll(jvmOptions);
        java.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.tevent4j.samples.Main"));
        java.addAll(List.of(args));
        List<String> cmd = new ArrayList<>();
        if (fdLimit > 0) cmd.addAll(List.of("bash", "-c", "ulimit -n " + fdLimit + " && exec \"$@\"", "bash"));
        cmd.addAll(java);
        process = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Integer found = null;
        while (found == null) {
            Matcher m = LISTENING.matcher(Files.readString(stdout));
            if (m.find()) found = Integer.parseInt(m.group(1));
            else if (!process.isAlive()) throw new IllegalStateException("server exited with " + process.exitValue() + ": " + Files.readString(stderr));
            else if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("server printed no port within 30 s: " + Files.readString(stderr));
            } else Thread.sleep(50);
        }
        port = found;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size, from /proc/PID/status VmRSS. */
    long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid() + "/status");
    }

    /** User + system CPU time in clock ticks (fields 14 and 15 of /proc/PID/stat; 100 per second on Linux). */
    long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // the command name may hold spaces
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Open fds of the server process. */
    int fdCount() throws IOException {
        if (!process.isAlive()) throw new IllegalStateException("server exited with " + process.exitValue() + ": " + Files.readString(stderr));
        try (var s = Files.list(Path.of("/proc/" + pid() + "/fd"))) {
            return (int) s.count();
        }
    }

    long stderrBytes() throws IOException {
        return Files.size(stderr);
    }

    String stderrHead(int maxChars) throws IOException {
        try (var in = Files.newBufferedReader(stderr)) {
            char[] c = new char[maxChars];
            int n = in.read(c);
            return n <= 0 ? "" : new String(c, 0, n);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            try {
                System.err.println("server had exited with " + process.exitValue() + "; its stderr:\n" + stderrHead(8000));
            } catch (IOException e) {
                System.err.println("server had exited with " + process.exitValue() + "; stderr unreadable: " + e);
            }
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
