package dev.tevent4j.bench.soak;

import java.util.List;

/**
 * One kind of soak traffic on one loop. Every method runs on the loop thread, in this order:
 * {@link #start}, then (after the measured window) {@link #stop}, {@link #drained} at each tick
 * until true or the drain times out, {@link #settle}, {@link #settled} until true or the settle
 * times out, {@link #finish}; then, after the loop is closed, {@link #close}.
 */
interface Traffic {
    /** The counters this traffic fills. */
    List<Tally> tallies();

    /** Starts sending. */
    void start();

    /** Sends nothing new from now on; what is in flight may still arrive. */
    void stop();

    /** Whether everything sent has arrived (or been withdrawn). */
    boolean drained();

    /** Gives up waiting for more: cancels what waits for traffic that will not come. */
    default void settle() {}

    /** Whether nothing is in flight any more. */
    default boolean settled() {
        return drained();
    }

    /** Counts what never arrived as lost. */
    void finish();

    /** Releases fds and memory; the loop is closed by then, so no op is in flight. */
    default void close() {}
}
