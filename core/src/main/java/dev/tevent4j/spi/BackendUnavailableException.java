package dev.tevent4j.spi;

/**
 * Thrown by {@link BackendProvider#openPoller()} when the backend cannot work here now although
 * its probe said it could (io_uring disabled or filtered since the probe). The loop then asks
 * the provider to {@linkplain BackendProvider#forgetUsability() forget} its answer, and the
 * default selection moves on to the next backend.
 */
public class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }
}
