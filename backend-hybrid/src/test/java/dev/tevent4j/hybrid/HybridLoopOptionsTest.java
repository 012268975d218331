package dev.tevent4j.hybrid;

import dev.tevent4j.EventLoop;
import dev.tevent4j.contract.LoopOptionsContract;
import dev.tevent4j.ring.Ring;
import dev.tevent4j.ring.Rings;

class HybridLoopOptionsTest extends LoopOptionsContract {
    @Override
    protected String backend() {
        return "hybrid";
    }

    @Override
    protected RingFacts ringFacts(EventLoop loop) {
        Ring ring = Rings.of(loop).orElseThrow();
        return new RingFacts(ring.sqEntries(), ring.cqEntries(), ring.usesRegisteredRingFd(), ring.ioWqMaxWorkers(0, 0));
    }

    @Override
    protected int defaultCqEntries() {
        return 512;
    }
}
