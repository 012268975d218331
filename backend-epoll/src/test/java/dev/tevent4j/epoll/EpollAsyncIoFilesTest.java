package dev.tevent4j.epoll;

import dev.tevent4j.contract.AsyncIoFilesContract;

class EpollAsyncIoFilesTest extends AsyncIoFilesContract {
    @Override
    protected String backend() {
        return "epoll";
    }
}
