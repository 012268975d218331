package dev.tevent4j.spi;

/**
 * A backend, found with {@link java.util.ServiceLoader} (module path or
 * {@code META-INF/services/dev.tevent4j.spi.BackendProvider} on the class path).
 */
public interface BackendProvider {
    /** The name users select it by, e.g. "epoll". */
    String name();

    /**
     * Preference when no backend is named: the usable provider with the highest value is the
     * default; a negative value means never the default (experimental backends).
     */
    int defaultPriority();

    /** Null when the backend works on this machine, else why not (shown to users). */
    String unusableReason();

    /**
     * Opens the kernel side of one loop.
     *
     * @throws BackendUnavailableException when the backend stopped working since
     *     {@link #unusableReason()} said it works
     */
    Poller openPoller();

    /**
     * Opens the kernel side of one loop with its sizes and limits. A backend that has nothing to
     * size (no ring) need not override it: the default ignores the options.
     *
     * @param options the loop's options, checked already
     * @return the poller
     * @throws BackendUnavailableException as {@link #openPoller()}
     */
    default Poller openPoller(dev.tevent4j.LoopOptions options) {
        return openPoller();
    }

    /**
     * Drops a cached answer of {@link #unusableReason()}, after {@link #openPoller()} found the
     * backend unavailable: the next question asks the kernel again.
     */
    default void forgetUsability() {
    }
}
