package dev.tevent4j.epoll;

import dev.tevent4j.contract.RequestProfileContract;

class EpollRequestProfileTest extends RequestProfileContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
