package dev.tevent4j.epoll;

import dev.tevent4j.contract.RequestContract;

class EpollRequestTest extends RequestContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
