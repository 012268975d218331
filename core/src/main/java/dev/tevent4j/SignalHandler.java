package dev.tevent4j;

/** Called on the loop thread for a signal that arrived. */
@FunctionalInterface
public interface SignalHandler {
    /**
     * @param count how many times the signal arrived since this handler was last called
     */
    void onSignal(SignalEvent se, int signum, int count);
}
