package dev.tevent4j.epoll;

import dev.tevent4j.contract.ImmediateContract;

class EpollImmediateTest extends ImmediateContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
