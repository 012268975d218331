package dev.tevent4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The profile of one request and the sub-requests it spawned, tevent's
 * {@code struct tevent_req_profile}: name, start and stop time, final state and error, and the
 * profiles of the requests created with {@link Request#createChild} under it (a tree). Made only
 * on a loop with profiling on ({@link Request#enableProfiling}); read it with
 * {@link Request#profile()} and print it with {@link #print()}.
 *
 * <p>Times are {@link System#nanoTime()} values. Every method is for the loop's thread.
 */
public final class RequestProfile {
    private final String name;
    private final RequestProfile parent;
    private final long startNanos;
    private long stopNanos = -1;
    private RequestState state = RequestState.IN_PROGRESS;
    private Throwable cause;
    private List<RequestProfile> subprofiles;

    RequestProfile(String name, RequestProfile parent, long startNanos) {
        this.name = name;
        this.parent = parent;
        this.startNanos = startNanos;
        if (parent != null) {
            if (parent.subprofiles == null) parent.subprofiles = new ArrayList<>(2);
            parent.subprofiles.add(this);
        }
    }

    void stopped(RequestState state, Throwable cause, long stopNanos) {
        this.state = state;
        this.cause = cause;
        this.stopNanos = stopNanos;
    }

    /** The request's name ({@link Request#create(EventLoop, String)}), tevent's req_name. */
    public String name() {
        return name;
    }

    /** The profile of the request this one is a sub-request of, or null for a root. */
    public RequestProfile parent() {
        return parent;
    }

    /** When the request was created. */
    public long startNanos() {
        return startNanos;
    }

    /** When it completed, or -1 while it is in progress. */
    public long stopNanos() {
        return stopNanos;
    }

    /** Stop minus start, or -1 while in progress. */
    public long durationNanos() {
        return stopNanos < 0 ? -1 : stopNanos - startNanos;
    }

    /** The state it completed in, {@link RequestState#IN_PROGRESS} until then. */
    public RequestState state() {
        return state;
    }

    /** The cause it failed with, or null (tevent's user_error, see {@link #errno()}). */
    public Throwable cause() {
        return cause;
    }

    /** The errno of a failure as {@link RequestFailure#errno()} maps it, 0 otherwise. */
    public int errno() {
        return RequestFailure.errnoOf(state, cause);
    }

    /** The profiles of its sub-requests, in creation order. */
    public List<RequestProfile> subprofiles() {
        return subprofiles == null ? List.of() : Collections.unmodifiableList(subprofiles);
    }

    /** {@link #print(int)} with no depth limit. */
    public String print() {
        return print(Integer.MAX_VALUE);
    }

    /**
     * The tree as text, one line per request, sub-requests indented by two spaces per level, in
     * the manner of tevent_req_profile_print(): {@code [name] +start -> +stop [duration] -> STATE (errno)},
     * times in seconds relative to this profile's start ("?" while in progress).
     *
     * @param maxDepth how many levels of sub-requests to print (tevent's max_indent); 0 prints
     *     this request only
     */
    public String print(int maxDepth) {
        if (maxDepth < 0) throw new IllegalArgumentException("maxDepth " + maxDepth + " is negative");
        StringBuilder sb = new StringBuilder();
        printInto(sb, 0, maxDepth, startNanos);
        return sb.toString();
    }

    private void printInto(StringBuilder sb, int depth, int maxDepth, long origin) {
        sb.append("  ".repeat(depth)).append('[').append(name).append("] +")
                .append(seconds(startNanos - origin)).append(" -> +")
                .append(stopNanos < 0 ? "?" : seconds(stopNanos - origin)).append(" [")
                .append(stopNanos < 0 ? "?" : seconds(stopNanos - startNanos)).append("] -> ")
                .append(state).append(" (").append(errno()).append(")\n");
        if (depth >= maxDepth || subprofiles == null) return;
        for (RequestProfile p : subprofiles) p.printInto(sb, depth + 1, maxDepth, origin);
    }

    private static String seconds(long nanos) {
        long micros = nanos / 1_000;
        return String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    @Override
    public String toString() {
        return "RequestProfile[" + name + ", " + state + (stopNanos < 0 ? "" : ", " + durationNanos() + " ns")
                + ", " + (subprofiles == null ? 0 : subprofiles.size()) + " subprofiles]";
    }
}
