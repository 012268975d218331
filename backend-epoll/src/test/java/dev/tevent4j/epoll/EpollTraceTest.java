package dev.tevent4j.epoll;

import dev.tevent4j.contract.TraceContract;

class EpollTraceTest extends TraceContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
