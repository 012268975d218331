package dev.tevent4j.bench.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What this process holds, read from /proc/self: open fds, OS threads (the JVM's own included)
 * and resident memory. The fd count includes the directory stream that counts them, the same in
 * every reading.
 */
record ProcessStats(int fds, int threads, long rssKb) {
    private static final Path FD_DIR = Path.of("/proc/self/fd");
    private static final Path STATUS = Path.of("/proc/self/status");

    static ProcessStats read() {
        try (Stream<Path> fds = Files.list(FD_DIR)) {
            int fdCount = (int) fds.count();
            int threads = -1;
            long rss = -1;
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("Threads:")) threads = Integer.parseInt(line.substring(8).trim());
                else if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
            }
            if (threads < 0 || rss < 0) throw new IllegalStateException(STATUS + " has no Threads or VmRSS line");
            return new ProcessStats(fdCount, threads, rss);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + FD_DIR + " and " + STATUS, e);
        }
    }

    /**
     * Reads again until fds and threads are back to {@code baseline}, for at most
     * {@code patienceMillis}: an exiting thread leaves /proc a little after join() returns.
     */
    static ProcessStats readUntilBackTo(ProcessStats baseline, long patienceMillis) throws InterruptedException {
        long until = System.nanoTime() + patienceMillis * 1_000_000;
        ProcessStats now = read();
        while ((now.fds > baseline.fds || now.threads > baseline.threads) && System.nanoTime() < until) {
            Thread.sleep(20);
            now = read();
        }
        return now;
    }
}
