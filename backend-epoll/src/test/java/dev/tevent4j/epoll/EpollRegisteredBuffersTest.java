package dev.tevent4j.epoll;

import dev.tevent4j.contract.RegisteredBuffersContract;

class EpollRegisteredBuffersTest extends RegisteredBuffersContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
