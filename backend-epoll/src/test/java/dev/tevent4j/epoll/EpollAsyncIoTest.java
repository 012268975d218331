package dev.tevent4j.epoll;

import dev.tevent4j.contract.AsyncIoContract;

class EpollAsyncIoTest extends AsyncIoContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
