/**
 * The hybrid backend: epoll for fds, io_uring for async syscalls; the default where io_uring
 * works. Found by {@link java.util.ServiceLoader}; it exports nothing to applications.
 */
module dev.tevent4j.backend.hybrid {
    requires dev.tevent4j.core;
    requires dev.tevent4j.ring;
    requires dev.tevent4j.backend.epoll;

    provides dev.tevent4j.spi.BackendProvider with dev.tevent4j.hybrid.HybridBackendProvider;
}
