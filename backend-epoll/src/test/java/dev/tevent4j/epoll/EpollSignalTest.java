package dev.tevent4j.epoll;

import dev.tevent4j.contract.SignalContract;

class EpollSignalTest extends SignalContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
