package dev.tevent4j.epoll;

import dev.tevent4j.contract.PersonalityContract;

class EpollPersonalityTest extends PersonalityContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
