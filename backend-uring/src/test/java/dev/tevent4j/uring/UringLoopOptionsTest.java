package dev.tevent4j.uring;

import dev.tevent4j.EventLoop;
import dev.tevent4j.contract.LoopOptionsContract;
import dev.tevent4j.ring.Ring;
import dev.tevent4j.ring.Rings;

class UringLoopOptionsTest extends LoopOptionsContract {
    @org.junit.jupiter.api.BeforeAll
    static void needsIoUring() {
        UringAvailable.assume();
    }

    @Override
    protected String backend() {
        return "uring";
    }

    @Override
    protected RingFacts ringFacts(EventLoop loop) {
        Ring ring = Rings.of(loop).orElseThrow();
        return new RingFacts(ring.sqEntries(), ring.cqEntries(), ring.usesRegisteredRingFd(), ring.ioWqMaxWorkers(0, 0));
    }

    @Override
    protected int defaultCqEntries() {
        return 4096;
    }
}
