package dev.tevent4j.epoll;

import dev.tevent4j.contract.AsyncIoSocketsContract;

class EpollAsyncIoSocketsTest extends AsyncIoSocketsContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
