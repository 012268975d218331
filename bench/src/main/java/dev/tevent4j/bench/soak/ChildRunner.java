package dev.tevent4j.bench.soak;

import dev.tevent4j.EventLoop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The parent side of the soak: one child JVM per backend, so each backend's fds, threads and
 * RSS are its own, with {@code -Xmx64m} so that GC pressure is real and native memory only a GC
 * would free shows up in the RSS. Compiler and GC thread counts are fixed, so the thread count
 * moves only when something of ours starts or leaks a thread. Prints the children's reports as
 * they come and a table of their summary lines.
 */
final class ChildRunner {
    private ChildRunner() {}

    /** The child exits with this when its backend turned out unusable. */
    static final int EXIT_UNUSABLE = 3;
    private static final long SLACK_SECONDS = 60;

    /** One row of the final table: the child's summary, or why there is none. */
    private record Outcome(String backend, Map<String, String> summary, String note) {}

    /** Runs every backend of {@code options}; 0 when every one run passed and at least one ran. */
    static int runAll(SoakOptions options, PrintStream out) {
        List<Outcome> outcomes = new ArrayList<>();
        for (String backend : options.backends()) {
            String why = unusableReason(backend);
            if (why != null) {
                out.println("soak: backend " + backend + " skipped: " + why);
                outcomes.add(new Outcome(backend, null, "skipped: " + why));
                continue;
            }
            outcomes.add(runChild(backend, options, out));
        }
        printTable(outcomes, out);
        boolean ran = false, failed = false;
        for (Outcome o : outcomes) {
            if (o.summary != null) {
                ran = true;
                failed |= !"PASS".equals(o.summary.get("result"));
            } else if (!o.note.startsWith("skipped")) {
                failed = true;
            }
        }
        if (!ran) out.println("soak: no backend ran");
        return ran && !failed ? 0 : 1;
    }

    /** Null when {@code backend} opens here, else why not. */
    static String unusableReason(String backend) {
        try (EventLoop probe = EventLoop.open(backend)) {
            return null;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The command that runs {@code backend}'s soak in a child JVM. */
    static List<String> childCommand(String backend, SoakOptions options) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m",
                "-XX:-UseDynamicNumberOfCompilerThreads", "-XX:-UseDynamicNumberOfGCThreads",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Soak.class.getName()));
        cmd.addAll(options.childArgs(backend));
        return cmd;
    }

    private static Outcome runChild(String backend, SoakOptions options, PrintStream out) {
        long limit = (long) Math.ceil(options.warmupSeconds() + options.seconds() + SoakOptions.DRAIN_SECONDS) + SLACK_SECONDS;
        Process child;
        try {
            child = new ProcessBuilder(childCommand(backend, options)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting the soak child JVM for " + backend, e);
        }
        // The watchdog ends a child that hangs, which also ends the read below.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!child.waitFor(limit, TimeUnit.SECONDS)) child.destroyForcibly();
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        });
        Map<String, String> summary = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.println(line);
                if (line.startsWith(SoakResult.SUMMARY_PREFIX)) summary = SoakResult.parseSummary(line);
            }
            int exit = child.waitFor();
            watchdog.join();
            if (exit == EXIT_UNUSABLE) return new Outcome(backend, null, "skipped: the child found it unusable");
            if (summary == null) {
                return new Outcome(backend, null, "child JVM exited with " + exit + " without a summary (killed after "
                        + limit + " s if it hung)");
            }
            if (exit != 0 && "PASS".equals(summary.get("result"))) {
                return new Outcome(backend, null, "child JVM exited with " + exit + " after a PASS summary");
            }
            return new Outcome(backend, summary, null);
        } catch (IOException e) {
            child.destroyForcibly();
            return new Outcome(backend, null, "reading the child's output failed: " + e);
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome(backend, null, "interrupted");
        }
    }

    /** A Markdown table, ready for docs/benchmarks.md. */
    private static void printTable(List<Outcome> outcomes, PrintStream out) {
        out.println();
        out.println("| backend | result | measured s | events handled | events/s | lost | dup | reordered | violations "
                + "| fds start -> end (before -> after close) | threads start -> end (before -> after close) | RSS MiB start -> end | GCs |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |");
        for (Outcome o : outcomes) {
            if (o.summary == null) {
                out.println("| " + o.backend + " | " + o.note.replace('|', '/') + " | | | | | | | | | | | |");
                continue;
            }
            Map<String, String> s = o.summary;
            String[] fds = s.get("fds").split("/"), threads = s.get("threads").split("/"), rss = s.get("rssKb").split("/");
            out.printf(Locale.ROOT, "| %s (%s) | %s | %s | %,d | %,d | %s | %s | %s | %s | %s -> %s (%s -> %s) | %s -> %s (%s -> %s) | %.0f -> %.0f | %s |%n",
                    o.backend, s.get("io"), s.get("result"), s.get("measured"), Long.parseLong(s.get("handled")),
                    Long.parseLong(s.get("rate")), s.get("lost"), s.get("duplicated"), s.get("reordered"), s.get("violations"),
                    fds[1], fds[2], fds[0], fds[3], threads[1], threads[2], threads[0], threads[3],
                    Long.parseLong(rss[1]) / 1024.0, Long.parseLong(rss[2]) / 1024.0, s.get("gc"));
        }
    }
}
