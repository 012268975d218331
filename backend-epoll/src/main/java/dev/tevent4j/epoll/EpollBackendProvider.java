package dev.tevent4j.epoll;

import dev.tevent4j.spi.BackendProvider;
import dev.tevent4j.spi.Poller;

/** The "epoll" backend: level-triggered epoll; AsyncIo on a thread pool. */
public final class EpollBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public int defaultPriority() {
        return 10;
    }

    @Override
    public String unusableReason() {
        return null; // epoll exists on every Linux the JDK 25 supports
    }

    @Override
    public Poller openPoller() {
        return new EpollPoller();
    }
}
