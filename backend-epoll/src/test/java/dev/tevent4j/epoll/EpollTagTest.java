package dev.tevent4j.epoll;

import dev.tevent4j.contract.TagContract;

class EpollTagTest extends TagContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
