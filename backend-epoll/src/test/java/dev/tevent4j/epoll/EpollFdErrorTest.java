package dev.tevent4j.epoll;

import dev.tevent4j.contract.FdErrorContract;

class EpollFdErrorTest extends FdErrorContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
