package dev.tevent4j.epoll;

import dev.tevent4j.contract.RequestChainProperties;

class EpollRequestChainTest extends RequestChainProperties {
    @Override
    protected String backend() {
        return "epoll";
    }
}
