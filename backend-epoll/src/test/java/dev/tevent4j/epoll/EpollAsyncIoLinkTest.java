package dev.tevent4j.epoll;

import dev.tevent4j.contract.AsyncIoLinkContract;

class EpollAsyncIoLinkTest extends AsyncIoLinkContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
