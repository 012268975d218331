package dev.tevent4j.epoll;

import dev.tevent4j.contract.BadInputContract;

class EpollBadInputTest extends BadInputContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
