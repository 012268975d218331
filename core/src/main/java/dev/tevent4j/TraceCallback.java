package dev.tevent4j;

/** Receives the {@link TracePoint}s of every iteration, on the loop thread. */
@FunctionalInterface
public interface TraceCallback {
    void onTrace(TracePoint point);
}
