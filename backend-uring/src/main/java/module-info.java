/**
 * The experimental uring backend: fds and async syscalls on the ring. Found by
 * {@link java.util.ServiceLoader}; it exports nothing to applications.
 */
module dev.tevent4j.backend.uring {
    requires dev.tevent4j.core;
    requires dev.tevent4j.ring;

    provides dev.tevent4j.spi.BackendProvider with dev.tevent4j.uring.UringBackendProvider;
}
