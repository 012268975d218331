package dev.tevent4j.epoll;

import dev.tevent4j.contract.AsyncIoWaitingContract;

class EpollAsyncIoWaitingTest extends AsyncIoWaitingContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
