package dev.tevent4j.epoll;

import dev.tevent4j.contract.AsyncIoDeadlineContract;

class EpollAsyncIoDeadlineTest extends AsyncIoDeadlineContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
