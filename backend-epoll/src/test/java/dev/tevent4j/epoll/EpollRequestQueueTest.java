package dev.tevent4j.epoll;

import dev.tevent4j.contract.RequestQueueContract;

class EpollRequestQueueTest extends RequestQueueContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
