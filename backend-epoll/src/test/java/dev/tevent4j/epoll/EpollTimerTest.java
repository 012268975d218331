package dev.tevent4j.epoll;

import dev.tevent4j.contract.TimerContract;

class EpollTimerTest extends TimerContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
