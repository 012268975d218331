/**
 * The epoll backend: level-triggered epoll for fds, async syscalls on core's thread pool.
 * Found by {@link java.util.ServiceLoader}; it exports nothing to applications.
 */
// "module not found" for the qualified export's target: hybrid is compiled after this module.
@SuppressWarnings("module")
module dev.tevent4j.backend.epoll {
    requires dev.tevent4j.core;

    // The hybrid backend polls its fds with this module's poller.
    exports dev.tevent4j.epoll to dev.tevent4j.backend.hybrid;

    provides dev.tevent4j.spi.BackendProvider with dev.tevent4j.epoll.EpollBackendProvider;
}
