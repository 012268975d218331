package dev.tevent4j.epoll;

import dev.tevent4j.contract.FdEventContract;

class EpollFdEventTest extends FdEventContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
