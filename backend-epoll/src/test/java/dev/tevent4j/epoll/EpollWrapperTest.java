package dev.tevent4j.epoll;

import dev.tevent4j.contract.WrapperContract;

class EpollWrapperTest extends WrapperContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
