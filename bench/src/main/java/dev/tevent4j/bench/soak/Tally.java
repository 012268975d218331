package dev.tevent4j.bench.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * The counters of one kind of soak traffic. Touched only by the loop thread; plain fields, so
 * counting an event allocates nothing.
 *
 * <p>Every event sent ends as exactly one of: handled (delivered once, in order or not),
 * withdrawn (cancelled, or timed out, before delivery: allowed), or lost (never delivered).
 * Duplicated and reordered count deliveries that broke the contract; violations count any other
 * broken rule (a timer early, a cancelled timer firing, an unexpected error), each with the
 * first few descriptions kept as incidents.
 */
final class Tally {
    private static final int KEPT_INCIDENTS = 6;

    final String kind;
    long sent;
    long handled;
    long withdrawn;
    long lost;
    long duplicated;
    long reordered;
    long violations;
    private final List<String> incidents = new ArrayList<>();
    private long incidentCount;

    Tally(String kind) {
        this.kind = kind;
    }

    /** Counts a broken rule and keeps its description if it is among the first few. */
    void violation(String what) {
        violations++;
        incident(what);
    }

    /** Keeps a description of something worth reading in the report (the first few only). */
    void incident(String what) {
        incidentCount++;
        if (incidents.size() < KEPT_INCIDENTS) incidents.add(what);
    }

    List<String> incidents() {
        return List.copyOf(incidents);
    }

    long incidentCount() {
        return incidentCount;
    }

    /** Nothing lost, duplicated, reordered or otherwise wrong. */
    boolean clean() {
        return lost == 0 && duplicated == 0 && reordered == 0 && violations == 0;
    }

    /** Adds {@code other}'s counters to this one (for the total row). */
    void add(Tally other) {
        sent += other.sent;
        handled += other.handled;
        withdrawn += other.withdrawn;
        lost += other.lost;
        duplicated += other.duplicated;
        reordered += other.reordered;
        violations += other.violations;
    }
}
