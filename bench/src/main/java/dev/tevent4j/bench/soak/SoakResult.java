package dev.tevent4j.bench.soak;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the soak of one backend found: the tallies per kind, the process readings (baseline
 * before the loop, start after the warm-up, end of the measured window, after close) and the
 * verdict. {@link #summaryLine} is the one line a parent reads back from a child.
 */
record SoakResult(String backend, String ioKind, SoakOptions options, double measuredSeconds, List<Tally> tallies,
                  ProcessStats baseline, ProcessStats start, ProcessStats end, ProcessStats closed,
                  long handledInWindow, long gcInWindow, boolean drainedInTime, long[] streamBytes, List<String> errors) {

    static final String SUMMARY_PREFIX = "soak-summary ";

    /** Every kind added up. */
    Tally total() {
        Tally t = new Tally("total");
        for (Tally k : tallies) t.add(k);
        return t;
    }

    /** Why the run failed; empty when it passed. */
    List<String> failures() {
        List<String> f = new ArrayList<>(errors);
        for (Tally t : tallies) {
            if (!t.clean()) {
                f.add(String.format(Locale.ROOT, "%s: %d lost, %d duplicated, %d reordered, %d violations",
                        t.kind, t.lost, t.duplicated, t.reordered, t.violations));
            }
            // A kind that never ran proves nothing: the traffic itself must have flowed.
            if (t.handled == 0 && !t.kind.equals("handler-exception")) f.add(t.kind + ": nothing was handled");
        }
        if (end.fds() > start.fds()) f.add("fds grew from " + start.fds() + " to " + end.fds() + " during the run");
        if (end.threads() > start.threads()) f.add("threads grew from " + start.threads() + " to " + end.threads() + " during the run");
        if (closed.fds() > baseline.fds()) f.add(closed.fds() + " fds after close, " + baseline.fds() + " before the loop opened");
        if (closed.threads() > baseline.threads()) f.add(closed.threads() + " threads after close, " + baseline.threads() + " before the loop opened");
        return f;
    }

    boolean passed() {
        return failures().isEmpty();
    }

    double eventsPerSecond() {
        return measuredSeconds > 0 ? handledInWindow / measuredSeconds : 0;
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "%n== soak %s (AsyncIo: %s): %.1f s measured after %.1f s warm-up, deadlines %s, seed %d%n",
                backend, ioKind, measuredSeconds, options.warmupSeconds(), options.deadlines() ? "on" : "off", options.seed());
        String row = "%-18s %14s %14s %11s %9s %9s %9s %9s%n";
        out.printf(Locale.ROOT, row, "kind", "sent", "handled", "withdrawn", "lost", "dup", "reordered", "violations");
        List<Tally> rows = new ArrayList<>(tallies);
        rows.add(total());
        for (Tally t : rows) {
            out.printf(Locale.ROOT, row, t.kind, t.sent, t.handled, t.withdrawn, t.lost, t.duplicated, t.reordered, t.violations);
        }
        out.printf(Locale.ROOT, "events handled in the measured window: %d (%.0f/s); GCs in the window: %d; drained in time: %s%n",
                handledInWindow, eventsPerSecond(), gcInWindow, drainedInTime ? "yes" : "no");
        out.printf(Locale.ROOT, "asyncio-stream bytes: %d sent, %d received%n", streamBytes[0], streamBytes[1]);
        String stats = "%-9s %10s %10s %10s %12s%n";
        out.printf(Locale.ROOT, stats, "process", "baseline", "start", "end", "after close");
        out.printf(Locale.ROOT, stats, "fds", baseline.fds(), start.fds(), end.fds(), closed.fds());
        out.printf(Locale.ROOT, stats, "threads", baseline.threads(), start.threads(), end.threads(), closed.threads());
        out.printf(Locale.ROOT, stats, "RSS MiB", mib(baseline), mib(start), mib(end), mib(closed));
        for (Tally t : rows) {
            if (t.kind.equals("total")) continue;
            List<String> incidents = t.incidents();
            if (incidents.isEmpty()) continue;
            out.println(t.kind + ": " + t.incidentCount() + " incident(s), the first:");
            for (String i : incidents) out.println("    " + i);
        }
        List<String> f = failures();
        out.println(f.isEmpty() ? "result: PASS" : "result: FAIL");
        for (String why : f) out.println("  - " + why);
    }

    /** key=value pairs on one line; see {@link #parseSummary}. */
    String summaryLine() {
        Tally t = total();
        return SUMMARY_PREFIX + String.format(Locale.ROOT,
                "backend=%s io=%s result=%s measured=%.1f handled=%d rate=%.0f lost=%d duplicated=%d reordered=%d violations=%d "
                        + "fds=%d/%d/%d/%d threads=%d/%d/%d/%d rssKb=%d/%d/%d/%d gc=%d deadlines=%s",
                backend, ioKind, passed() ? "PASS" : "FAIL", measuredSeconds, handledInWindow, eventsPerSecond(),
                t.lost, t.duplicated, t.reordered, t.violations,
                baseline.fds(), start.fds(), end.fds(), closed.fds(),
                baseline.threads(), start.threads(), end.threads(), closed.threads(),
                baseline.rssKb(), start.rssKb(), end.rssKb(), closed.rssKb(), gcInWindow, options.deadlines() ? "on" : "off");
    }

    static Map<String, String> parseSummary(String line) {
        if (!line.startsWith(SUMMARY_PREFIX)) throw new IllegalArgumentException("not a soak summary: " + line);
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : line.substring(SUMMARY_PREFIX.length()).trim().split(" +")) {
            int eq = kv.indexOf('=');
            if (eq > 0) m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    private static String mib(ProcessStats s) {
        return String.format(Locale.ROOT, "%.1f", s.rssKb() / 1024.0);
    }
}
