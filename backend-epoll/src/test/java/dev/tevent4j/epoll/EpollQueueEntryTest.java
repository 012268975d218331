package dev.tevent4j.epoll;

import dev.tevent4j.contract.QueueEntryContract;

class EpollQueueEntryTest extends QueueEntryContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
