package dev.tevent4j.epoll;

import dev.tevent4j.contract.WakeupContract;

class EpollWakeupTest extends WakeupContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
