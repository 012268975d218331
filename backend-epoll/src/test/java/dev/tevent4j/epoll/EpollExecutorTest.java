package dev.tevent4j.epoll;

import dev.tevent4j.contract.ExecutorContract;

class EpollExecutorTest extends ExecutorContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
