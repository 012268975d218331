package dev.tevent4j.epoll;

import dev.tevent4j.contract.FdDispatchContract;

class EpollFdDispatchTest extends FdDispatchContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
