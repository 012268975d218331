package dev.tevent4j.epoll;

import dev.tevent4j.contract.JfrContract;

class EpollJfrTest extends JfrContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
