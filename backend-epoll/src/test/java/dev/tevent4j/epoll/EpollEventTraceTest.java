package dev.tevent4j.epoll;

import dev.tevent4j.contract.EventTraceContract;

class EpollEventTraceTest extends EventTraceContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
