package dev.tevent4j.epoll;

import dev.tevent4j.contract.RequestStatesContract;

class EpollRequestStatesTest extends RequestStatesContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
