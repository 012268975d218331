package dev.tevent4j.epoll;

import dev.tevent4j.contract.RegisteredFilesContract;

class EpollRegisteredFilesTest extends RegisteredFilesContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
