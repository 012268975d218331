package dev.tevent4j.epoll;

import dev.tevent4j.EventLoop;
import dev.tevent4j.contract.LoopOptionsContract;

class EpollLoopOptionsTest extends LoopOptionsContract {
    @Override
    protected String backend() {
        return "epoll";
    }

    @Override
    protected RingFacts ringFacts(EventLoop loop) {
        return null; // epoll's AsyncIo is a thread pool: no ring
    }

    @Override
    protected int defaultCqEntries() {
        return 0;
    }
}
