package dev.tevent4j.epoll;

import dev.tevent4j.contract.LifecycleContract;

class EpollLifecycleTest extends LifecycleContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
