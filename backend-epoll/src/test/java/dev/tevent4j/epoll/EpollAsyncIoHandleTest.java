package dev.tevent4j.epoll;

import dev.tevent4j.contract.AsyncIoHandleContract;

class EpollAsyncIoHandleTest extends AsyncIoHandleContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
