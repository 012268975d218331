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
     * Drops a cached answer of {@link #unusableReason()}, after {@link #openPoller()} found the
     * backend unavailable: the next question asks the kernel again.
     */
    default void forgetUsability() {
    }
}
